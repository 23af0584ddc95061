// What `npm run build` reads, fingerprinted, so that `npm run serve` builds only when it changed.
// The build records the fingerprints of its inputs when it succeeds (scripts/bundleCli.mjs, its
// last step); serve compares them with the files as they are now.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

/** Where the last build's record is kept (git-ignored, outside the packed dist/). */
export const buildRecordPath = '.tmp/build-inputs.json'

/** What the build outputs that serve runs; without it there is nothing to serve. */
const builtCli = 'dist/bundle/index.js'

/** Files and folders the build reads, relative to the package root. */
const inputs = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json', 'scripts/bundleCli.mjs', 'scripts/buildInputs.mjs']

/** Tests sit beside the code in src/ but are not built. */
const notBuilt = /\.test(-d)?\.ts$/

function listFiles(root, path) {
  return readdirSync(join(root, path), { withFileTypes: true }).flatMap((entry) => {
    const child = `${path}/${entry.name}`
    if (entry.isDirectory()) return listFiles(root, child)
    return entry.isFile() && !notBuilt.test(entry.name) ? [child] : []
  })
}

/**
 * Fingerprints of the build's inputs as they are now: path (with `/`) to a SHA-256 of the content.
 *
 * @example
 * fingerprintBuildInputs(process.cwd())['src/index.ts'] // 'a3f1...'
 */
export function fingerprintBuildInputs(root) {
  const files = inputs.flatMap((input) => {
    const full = join(root, input)
    if (!existsSync(full)) return []
    return statSync(full).isDirectory() ? listFiles(root, input) : [input]
  })
  const fingerprints = {}
  for (const file of files.sort()) fingerprints[file] = createHash('sha256').update(readFileSync(join(root, file))).digest('hex')
  return fingerprints
}

/**
 * Records the inputs of a build that has just succeeded.
 *
 * @example
 * recordBuild(process.cwd())
 */
export function recordBuild(root) {
  const path = join(root, buildRecordPath)
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, `${JSON.stringify({ files: fingerprintBuildInputs(root) }, null, 1)}\n`)
}

function describeFiles(files) {
  const shown = files.slice(0, 3).join(', ')
  return files.length > 3 ? `${shown} and ${files.length - 3} more` : shown
}

/**
 * Whether dist/ was built from the inputs as they are now, and if not, why, in words for the
 * "Building getraze-mock (...)" line.
 *
 * @example
 * compareWithLastBuild(root) // { upToDate: false, reason: 'src/cli/runCli.ts changed since the last build' }
 */
export function compareWithLastBuild(root) {
  if (!existsSync(join(root, builtCli))) return { upToDate: false, reason: 'no build yet' }
  let recorded
  try {
    recorded = JSON.parse(readFileSync(join(root, buildRecordPath), 'utf8')).files
  } catch {
    return { upToDate: false, reason: 'no record of what the last build was built from' }
  }
  const current = fingerprintBuildInputs(root)
  const changed = Object.keys(current).filter((file) => recorded[file] !== current[file])
  const removed = Object.keys(recorded).filter((file) => !(file in current))
  if (changed.length === 0 && removed.length === 0) return { upToDate: true }
  const parts = []
  if (changed.length > 0) parts.push(`${describeFiles(changed)} changed`)
  if (removed.length > 0) parts.push(`${describeFiles(removed)} removed`)
  return { upToDate: false, reason: `${parts.join('; ')} since the last build` }
}

/**
 * Runs `npm run build --silent` in `root`, with the npm that runs the calling script when there
 * is one (npm sets npm_execpath), else the one on the PATH. Returns spawnSync's result.
 *
 * @example
 * const build = runBuild(root)
 * if (build.status !== 0) process.exit(1)
 */
export function runBuild(root) {
  const npm = process.env.npm_execpath
  return npm
    ? spawnSync(process.execPath, [npm, 'run', 'build', '--silent'], { cwd: root, stdio: 'inherit' })
    : spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' })
}
