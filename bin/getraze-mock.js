#!/usr/bin/env node
// A shim: everything lives in the built library, so the CLI and the API cannot drift apart.
import { runCli } from '../dist/cli/index.js'

process.exitCode = await runCli(process.argv.slice(2))
