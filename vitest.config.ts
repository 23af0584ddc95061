import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Pact's native core reads this; the kit never phones home.
    env: { PACT_DO_NOT_TRACK: 'true' },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tests that verify drifting providers fail on purpose; pact-core's own "ERROR ... Verification
    // unsuccessful" line for them would read like a broken test. The kit's report is asserted instead.
    onConsoleLog: (log) => !/pact-core@[\d.]+: Verification unsuccessful/.test(log),
    typecheck: { enabled: true, include: ['src/**/*.test-d.ts', 'test/**/*.test-d.ts'] },
  },
})
