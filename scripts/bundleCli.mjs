// Bundles the CLI into dist/bundle/ so `getraze-mock serve` starts fast: unbundled, Node loads
// about 740 module files at start-up (555 of them es-toolkit, pulled in whole by @msw/data), which
// took about 0.9 s of the 1 s to the first response (measured for issue 4). The Pact side stays a
// separate chunk, loaded only by `verify`, and @pact-foundation/pact stays external (native core,
// optional peer). dist/bundle/ sits two levels deep, like dist/store/, so the default fixtures
// path (../../fixtures/default.json) resolves the same from both.
import { build } from 'esbuild'
import { recordBuild } from './buildInputs.mjs'

await build({
  entryPoints: { index: 'src/cli/index.ts' },
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['@pact-foundation/pact'],
  // Some bundled CommonJS dependencies call require(); give ESM output one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  // No source maps: they would point at src/, which the package does not ship (issue 10).
  sourcemap: false,
  // Whitespace and syntax only: identifiers stay, so a stack trace from the CLI still names functions.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
})

// The build succeeded: record what it was built from, so that `npm run serve` can skip the next one.
recordBuild(process.cwd())
