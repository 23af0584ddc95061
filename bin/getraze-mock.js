#!/usr/bin/env node
// A shim: the CLI is the library's own code, bundled by scripts/bundleCli.mjs for a fast start.
// In a clone nothing is built until `npm run build` (installed packages ship dist/), so say that
// plainly instead of Node's module-not-found trace.
import { existsSync } from 'node:fs'

const bundle = new URL('../dist/bundle/index.js', import.meta.url)
if (!existsSync(bundle)) {
  process.stderr.write(
    'Failed to start getraze-mock: dist/ is missing (this is a clone of the kit, not an installed package). Run npm run build, or npm run serve, which builds first.\n',
  )
  process.exit(1)
}
const { runCli } = await import(bundle.href)
process.exitCode = await runCli(process.argv.slice(2))
