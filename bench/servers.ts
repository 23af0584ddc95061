import { execFileSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ServerSpec } from './measure.js'
import { frozenNow } from './request.js'

/** The repository root. */
export const root = fileURLToPath(new URL('..', import.meta.url))
const binary = join(root, 'bin', 'getraze-mock.js')

const log = (line: string) => process.stdout.write(`${line}\n`)

/**
 * Rebuilds dist/ when any library source is newer than it, so that the binary measured (which
 * runs dist/bundle/, the CLI's bundle) is the code in src/: the compiler's output, then the
 * bundle, as `npm run build` makes them. With `allowBuild` false it only warns.
 */
export function ensureBuilt(allowBuild: boolean) {
  let builtAt = 0
  try {
    // The older of the two outputs: a build stopped between them leaves the bundle stale.
    builtAt = Math.min(statSync(join(root, 'dist', 'cli', 'index.js')).mtimeMs, statSync(join(root, 'dist', 'bundle', 'index.js')).mtimeMs)
  } catch {
    builtAt = 0
  }
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((latest, entry) => {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) return Math.max(latest, newest(path))
      if (!entry.name.endsWith('.ts') || /\.test(-d)?\.ts$/.test(entry.name)) return latest
      return Math.max(latest, statSync(path).mtimeMs)
    }, 0)
  if (builtAt > 0 && newest(join(root, 'src')) <= builtAt) return
  if (!allowBuild) {
    if (builtAt === 0) throw new Error('dist/ is missing and --no-build was given; run npm run build first')
    log('warning: src/ is newer than dist/; measuring the existing build (--no-build)')
    return
  }
  log(builtAt === 0 ? 'Building dist/ (missing)...' : 'Rebuilding dist/ (src/ changed since the last build)...')
  try {
    execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], {
      cwd: root,
      stdio: 'inherit',
    })
    // The binary runs the bundle: the compiler's output alone would leave it measuring old code.
    execFileSync(process.execPath, [join(root, 'scripts', 'bundleCli.mjs')], { cwd: root, stdio: 'inherit' })
  } catch {
    throw new Error('Failed to build dist/ (see the compiler output above). Fix the build, or pass --no-build to measure the existing dist/.')
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
