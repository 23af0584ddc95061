#!/usr/bin/env node
// `npm run serve [-- flags]`: builds the kit only when a build input changed since the last build
// (scripts/buildInputs.mjs), says which, then runs `getraze-mock serve` in this very process, so
// that SIGINT and SIGTERM reach the server and it stops the way `serve` does.
import { fileURLToPath } from 'node:url'
import { compareWithLastBuild, runBuild } from './buildInputs.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const say = (line) => process.stderr.write(`${line}\n`)

// npm runs a script through a shell (`sh -c`); killing npm signals only that shell, which exits
// and leaves this process running. So the server stops when the process that started this one is
// gone (watched below), unless a signal has stopped it already. The parent is read now: it may be
// gone before the server listens.
const parent = process.ppid
let signalled = false
const onSignal = (signal) => {
  signalled = true
  // Until the server handles signals itself, stop as if nobody listened.
  if (process.listenerCount(signal) === 1) {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    process.kill(process.pid, signal)
  }
}
process.on('SIGINT', onSignal)
process.on('SIGTERM', onSignal)

const state = compareWithLastBuild(root)
if (state.upToDate) {
  say('getraze-mock is up to date: no build input changed since the last build.')
} else {
  say(`Building getraze-mock (${state.reason})...`)
  const build = runBuild(root)
  if (build.status !== 0) {
    say(`Failed to build getraze-mock: npm run build ${build.error ? `could not start (${build.error.message})` : `exited with ${build.status ?? build.signal}`}. Fix what it printed above, then run npm run serve again.`)
    process.exit(1)
  }
  say('Built.')
}

const { runCli } = await import(new URL('../dist/bundle/index.js', import.meta.url).href)
const exitCode = await runCli(['serve', ...process.argv.slice(2)])
if (exitCode !== 0) process.exit(exitCode)

const watch = setInterval(() => {
  if (process.ppid === parent) return
  clearInterval(watch)
  if (signalled) return
  say('npm run serve: the process that started the server has exited; stopping the server.')
  process.kill(process.pid, 'SIGTERM')
}, 500)
watch.unref()
