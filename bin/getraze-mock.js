#!/usr/bin/env node
// A shim: the CLI is the library's own code, bundled by scripts/bundleCli.mjs for a fast start.
import { runCli } from '../dist/bundle/index.js'

process.exitCode = await runCli(process.argv.slice(2))
