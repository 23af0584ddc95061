import { spawn, spawnSync } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { beforeAll, expect, it, onTestFinished } from 'vitest'
import { maskApiKey } from '../src/server/createRequestListener.js'
import { startMockServer } from '../src/server/startMockServer.js'
import { buildFixtureFile, buildOpportunity } from './support/builders.js'
import { writeTempFiles } from './support/tempFiles.js'
import { documentedResponse } from './support/documentedResponse.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const bin = fileURLToPath(new URL('../bin/getraze-mock.js', import.meta.url))

beforeAll(() => {
  // `npm test` builds first (pretest); the bin is a shim over dist/.
  if (!existsSync(fileURLToPath(new URL('../dist/cli/index.js', import.meta.url)))) {
    throw new Error('dist/ is missing, and bin/getraze-mock.js runs from it. Run `npm run build` (or `npm test`, which builds first).')
  }
})

interface Cli {
  child: ChildProcess
  /** Resolves with the first stdout line that matches, or rejects if the process exits first. */
  waitForLine(pattern: RegExp): Promise<RegExpMatchArray>
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string[]; stderr: string }>
}

/** Spawns the real binary; it is killed when the test finishes if it still runs. */
function spawnCli(args: string[], env: NodeJS.ProcessEnv = process.env): Cli {
  const child = spawn(process.execPath, [bin, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] })
  const stdout: string[] = []
  let stderr = ''
  const waiters: Array<{ pattern: RegExp; resolve: (match: RegExpMatchArray) => void; reject: (error: Error) => void }> = []
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  createInterface({ input: child.stdout! }).on('line', (line) => {
    stdout.push(line)
    for (const waiter of [...waiters]) {
      const match = line.match(waiter.pattern)
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve(match)
      }
    }
  })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string[]; stderr: string }>((resolve) => {
    child.on('close', (code, signal) => {
      for (const waiter of waiters) waiter.reject(new Error(`getraze-mock exited (${code ?? signal}) before printing ${waiter.pattern}. stderr: ${stderr}`))
      resolve({ code, signal, stdout, stderr })
    })
  })
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  return {
    child,
    exited,
    waitForLine(pattern) {
      const seen = stdout.map((line) => line.match(pattern)).find(Boolean)
      if (seen) return Promise.resolve(seen)
      return new Promise((resolve, reject) => waiters.push({ pattern, resolve, reject }))
    },
  }
}

it("serves the docs' request with a frozen clock, logs it with the key masked, and exits 0 on SIGTERM", async () => {
  const cli = spawnCli(['serve', '--port', '0', '--now', '2024-01-25T10:00:00Z'])
  const [, url] = await cli.waitForLine(/listening on (http:\/\/\S+)/)

  // The docs' cURL example, pointed at the mock.
  const response = await fetch(`${url}/external/v1/opportunities/opp_abc123def456/stage`, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/json', 'X-API-Key': 'YOUR_API_KEY' },
    body: JSON.stringify({ status: 'won' }),
  })
  const body: unknown = await response.json()
  const [logLine] = await cli.waitForLine(/^PATCH \/external\/v1\/opportunities\/opp_abc123def456\/stage 200 .*$/)
  cli.child.kill('SIGTERM')
  const exit = await cli.exited

  expect(response.status).toBe(200)
  expect(body).toEqual(documentedResponse)
  expect(logLine).toContain(`key=${maskApiKey('YOUR_API_KEY')}`)
  expect(logLine).not.toContain('YOUR_API_KEY')
  expect(exit).toMatchObject({ code: 0, signal: null, stderr: '' })
})

it('finishes a request in flight on SIGTERM, then exits 0', async () => {
  const cli = spawnCli(['serve', '--port', '0', '--quiet', '--grace-period', '3000'])
  const [, url] = await cli.waitForLine(/listening on (http:\/\/\S+)/)
  const body = '{"status":"won"}'

  const answer = new Promise<number | undefined>((resolve, reject) => {
    const request = httpRequest(
      `${url}/external/v1/opportunities/opp_abc123def456/stage`,
      { method: 'PATCH', headers: { 'x-api-key': 'YOUR_API_KEY', 'content-length': String(body.length) } },
      (response) => {
        response.resume()
        response.on('end', () => resolve(response.statusCode))
      },
    )
    request.on('error', reject)
    request.write(body.slice(0, 4))
    setTimeout(() => {
      cli.child.kill('SIGTERM')
      setTimeout(() => request.end(body.slice(4)), 200)
    }, 200)
  })

  expect(await answer).toBe(200)
  const exit = await cli.exited
  expect(exit.code).toBe(0)
})

it('prints a one-line error and exits 1 for a port that is not a number', async () => {
  const exit = await spawnCli(['serve', '--port', 'abc']).exited

  expect(exit.code).toBe(1)
  expect(exit.stdout).toEqual([])
  expect(exit.stderr).toBe('Failed to parse --port: "abc" is not a port number (0-65535). Pass e.g. --port 4010, or --port 0 for a free port.\n')
})

it('prints a one-line error and exits 1 for an unknown flag', async () => {
  const exit = await spawnCli(['serve', '--prot', '4010']).exited

  expect(exit.code).toBe(1)
  expect(exit.stderr.trimEnd().split('\n')).toHaveLength(1)
  expect(exit.stderr).toContain('prot')
})

it('prints the fixture error naming the file, the record and the field, and exits 1', async () => {
  const [bad] = writeTempFiles({ 'bad.json': buildFixtureFile({ opportunities: [buildOpportunity({ status: 'closed' as never })] }) })

  const exit = await spawnCli(['serve', '--port', '0', '--fixtures', bad!]).exited

  expect(exit.code).toBe(1)
  expect(exit.stdout).toEqual([])
  expect(exit.stderr).toBe(
    `Failed to load fixtures: ${bad}, opportunities[0] (id "opp_built"), field "status": must be one of new, contacted, qualified, proposal, negotiation, won, lost. Fix the record and start again.\n`,
  )
})

it('prints a one-line PORT_IN_USE error and exits 1 when the port is taken', async () => {
  const taken = await startMockServer({ port: 0 })
  onTestFinished(() => taken.close())
  const port = new URL(taken.url).port

  const exit = await spawnCli(['serve', '--port', port]).exited

  expect(exit.code).toBe(1)
  expect(exit.stderr).toBe(
    `Failed to start the mock server: port ${port} on 127.0.0.1 is already in use. Stop the other process or pick another port with --port (0 picks a free one).\n`,
  )
})

it("lists serve's options and examples on --help", async () => {
  const exit = await spawnCli(['serve', '--help']).exited
  const help = exit.stdout.join('\n')

  expect(exit.code).toBe(0)
  for (const option of ['--port', '--host', '--fixtures', '--now', '--quiet', '--cors', '--cors-origin', '--max-body-bytes', '--help']) {
    expect(help).toContain(option)
  }
  expect(help).toContain('Examples:')
  expect(help).toContain('getraze-mock serve --now 2024-01-25T10:00:00Z')
})

it('prints the package version on --version and exits 0', async () => {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }

  const exit = await spawnCli(['--version']).exited

  expect(exit).toMatchObject({ code: 0, stdout: [version], stderr: '' })
})

it('names a mistyped command and suggests the right one in one sentence each', async () => {
  const exit = await spawnCli(['serv']).exited

  expect(exit.code).toBe(1)
  expect(exit.stderr).toBe('Failed to parse the command line: "serv" is not a command. Did you mean serve? Run getraze-mock --help for the commands.\n')
})

it('reads --now without a zone as UTC whatever TZ says, and prints the UTC instant in the banner', async () => {
  const cli = spawnCli(['serve', '--port', '0', '--quiet', '--now', '2024-01-25T10:00:00'], { ...process.env, TZ: 'America/New_York' })
  const [, url] = await cli.waitForLine(/listening on (http:\/\/\S+)/)
  const [banner] = await cli.waitForLine(/^.*clock frozen at.*$/)

  const response = await fetch(`${url}/external/v1/opportunities/opp_abc123def456/stage`, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/json', 'X-API-Key': 'YOUR_API_KEY' },
    body: JSON.stringify({ status: 'won' }),
  })
  const body: unknown = await response.json()
  cli.child.kill('SIGTERM')
  await cli.exited

  expect(banner).toContain('clock frozen at 2024-01-25T10:00:00Z;')
  expect(body).toEqual(documentedResponse)
})

it('counts one record in the singular in the banner', async () => {
  const [one] = writeTempFiles({ 'one.json': buildFixtureFile() })
  const cli = spawnCli(['serve', '--port', '0', '--quiet', '--fixtures', one!])

  const [banner] = await cli.waitForLine(/^.*API key.*$/)
  cli.child.kill('SIGTERM')
  await cli.exited

  expect(banner).toBe('  1 opportunity, 1 API key, real clock; try:')
})

it('names --host and --port when it cannot listen on the address', async () => {
  const exit = await spawnCli(['serve', '--port', '0', '--host', '203.0.113.1']).exited

  expect(exit.code).toBe(1)
  expect(exit.stderr).toBe('Failed to start the mock server: cannot listen on 203.0.113.1:0 (EADDRNOTAVAIL). Check --host and --port.\n')
})

it('tells a clone without dist/ to build first instead of printing a module trace', () => {
  const clone = mkdtempSync(join(tmpdir(), 'getraze-clone-'))
  onTestFinished(() => rmSync(clone, { recursive: true, force: true }))
  mkdirSync(join(clone, 'bin'))
  copyFileSync(bin, join(clone, 'bin', 'getraze-mock.js'))

  const result = spawnSync(process.execPath, [join(clone, 'bin', 'getraze-mock.js'), 'serve'], { encoding: 'utf8' })

  expect(result.status).toBe(1)
  expect(result.stderr).toBe(
    'Failed to start getraze-mock: dist/ is missing (this is a clone of the kit, not an installed package). Run npm run build, or npm run serve, which builds first.\n',
  )
})
