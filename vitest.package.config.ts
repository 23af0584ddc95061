import { defineConfig } from 'vitest/config'

// The packed-tarball smoke test (test/package/): `npm run test:package`, run by .ci/run after `npm test`.
export default defineConfig({
  test: {
    include: ['test/package/**/*.test.ts'],
    env: { PACT_DO_NOT_TRACK: 'true' },
    testTimeout: 120_000,
    hookTimeout: 240_000,
  },
})
