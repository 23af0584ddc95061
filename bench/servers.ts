import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { compareWithLastBuild, runBuild } from '../scripts/buildInputs.mjs'
import type { ServerSpec } from './measure.js'
import { frozenNow } from './request.js'

/** The repository root. */
export const root = fileURLToPath(new URL('..', import.meta.url))
const binary = join(root, 'bin', 'getraze-mock.js')

const log = (line: string) => process.stdout.write(`${line}\n`)

/**
 * Builds the kit when a build input changed since the last build (the check `npm run serve`
 * makes, scripts/buildInputs.mjs), with `npm run build`, so that the binary measured (which runs
 * the CLI's bundle) is the code in src/. With `allowBuild` false it only warns.
 */
export function ensureBuilt(allowBuild: boolean) {
  const state = compareWithLastBuild(root)
  if (state.upToDate) return
  if (!allowBuild) {
    if (!existsSync(join(root, 'dist', 'bundle', 'index.js'))) throw new Error('dist/ is missing and --no-build was given; run npm run build first')
    log(`warning: ${state.reason}; measuring the existing build (--no-build)`)
    return
  }
  log(`Building dist/ (${state.reason})...`)
  const build = runBuild(root)
  if (build.status !== 0) {
    throw new Error('Failed to build dist/ (see the output of npm run build above). Fix the build, or pass --no-build to measure the existing dist/.')
  }
}

/**
 * `getraze-mock serve` from the real binary, quiet, with the clock frozen at the docs' instant
 * (and the default request journal on), plus any `extraArgs`.
 */
export function mockSpec(id: string, label: string, fixtures: string, extraArgs: readonly string[] = []): ServerSpec {
  return {
    id,
    label,
    command: process.execPath,
    args: (port) => [binary, 'serve', '--port', String(port), '--host', '127.0.0.1', '--quiet', '--now', frozenNow, '--fixtures', fixtures, ...extraArgs],
    cwd: root,
  }
}

/** The bare node:http reference server (bench/bareServer.mjs). */
export const bareSpec: ServerSpec = {
  id: 'bare',
  label: 'bare node:http',
  command: process.execPath,
  args: (port) => [join(root, 'bench', 'bareServer.mjs'), String(port), frozenNow],
  cwd: root,
}
