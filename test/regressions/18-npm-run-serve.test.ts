import { spawn } from 'node:child_process'
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, it } from 'vitest'

// Issue 18, item 15: `npm run serve` built everything on each start and said nothing for about
// 15 s; it printed nothing when it stopped; killing npm left the server running. These run in a
// copy of the kit, so that building there cannot disturb the dist/ other tests use.

const root = fileURLToPath(new URL('../..', import.meta.url))
let work: string

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'getraze-mock-serve-'))
  for (const path of ['src', 'scripts', 'bin', 'fixtures', 'dist', '.tmp', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json']) {
    if (existsSync(join(root, path))) cpSync(join(root, path), join(work, path), { recursive: true })
  }
  symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'), 'dir')
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

/** Starts serve in the copy, through npm or straight through the script, and reads its output. */
function startServe(via: 'npm' | 'node') {
  const args = ['--port', '0', '--quiet']
  const child =
    via === 'npm'
      ? spawn('npm', ['run', 'serve', '--silent', '--', ...args], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(process.execPath, ['scripts/serve.mjs', ...args], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] })
  const stdout: string[] = []
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const listening = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      stdout.push(line)
      const match = /listening on (http:\/\/\S+)/.exec(line)
      if (match) resolve(match[1]!)
    })
    child.on('close', () => reject(new Error(`serve exited before listening; stderr: ${stderr}`)))
  })
  // 'close' comes once every holder of the output pipes has exited: npm, its shell and the server.
  const closed = new Promise<{ stdout: string[]; stderr: string }>((resolve) => child.on('close', () => resolve({ stdout, stderr })))
  return { child, listening, closed, stderr: () => stderr }
}

const builtCli = () => statSync(join(work, 'dist/bundle/index.js'))

it('serve stops on SIGTERM and says so', async () => {
  const serve = startServe('node')
  await serve.listening

  serve.child.kill('SIGTERM')
  const { stdout } = await serve.closed

  expect(stdout.at(-1)).toBe('getraze-mock stopped on SIGTERM; no requests were in flight.')
}, 300_000)

it('serve builds nothing when no build input changed since the last build, and says so', async () => {
  const before = builtCli()

  const serve = startServe('node')
  await serve.listening
  serve.child.kill('SIGTERM')
  const { stderr } = await serve.closed

  expect(stderr).toBe('getraze-mock is up to date: no build input changed since the last build.\n')
  expect(builtCli().mtimeMs).toBe(before.mtimeMs)
}, 60_000)

it('npm run serve builds when a source changed, names it, and stops the server when npm is killed', async () => {
  appendFileSync(join(work, 'src/cli/runCli.ts'), '\n// changed by the test\n')

  const serve = startServe('npm')
  const url = await serve.listening
  const building = serve.stderr()
  serve.child.kill('SIGTERM')
  const { stdout, stderr } = await serve.closed

  expect(building).toMatch(/^Building getraze-mock \(src\/cli\/runCli\.ts changed since the last build\)\.\.\.\n/)
  // tsc keeps comments; the bundle's minifier drops them.
  expect(readFileSync(join(work, 'dist/cli/runCli.js'), 'utf8')).toContain('changed by the test')
  expect(stdout.at(-1)).toBe('getraze-mock stopped on SIGTERM; no requests were in flight.')
  expect(stderr).not.toContain('Failed')
  await expect(fetch(url)).rejects.toThrow()
}, 300_000)

it('serve is up to date again after that build', async () => {
  const serve = startServe('node')
  await serve.listening
  serve.child.kill('SIGTERM')
  const { stderr } = await serve.closed

  expect(stderr).toBe('getraze-mock is up to date: no build input changed since the last build.\n')
}, 60_000)
