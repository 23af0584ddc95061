/**
 * Test control of `getraze-mock serve` from another process, as a Playwright suite would drive
 * it: the real binary runs in a child process, and this process talks to it over HTTP only,
 * through `connectAdmin` and `fetch`.
 */
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { expect, it, onTestFinished } from 'vitest'
import { connectAdmin } from '../src/admin/connectAdmin.js'

const bin = fileURLToPath(new URL('../bin/getraze-mock.js', import.meta.url))

/** Starts `getraze-mock serve` with `args`; resolves with its URL and what it wrote to stderr. */
async function serve(args: string[]): Promise<{ url: string; stderr: () => string }> {
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--quiet', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  onTestFinished(() => {
    child.kill('SIGKILL')
  })
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /listening on (http:\/\/\S+)/.exec(line)
      if (match) resolve(match[1]!)
    })
    child.on('close', (code) => reject(new Error(`getraze-mock serve exited (${code}) before listening: ${stderr}`)))
  })
  return { url, stderr: () => stderr }
}

const patchWon = (url: string) =>
  fetch(`${url}/external/v1/opportunities/opp_abc123def456/stage`, {
    method: 'PATCH',
    headers: { 'X-API-Key': 'YOUR_API_KEY', 'Content-Type': 'application/json' },
    body: '{"status":"won"}',
  })

it('drives a served mock from another process: fault, clock, journal, verification and reset', async () => {
  const { url, stderr } = await serve(['--now', '2024-01-25T10:00:00Z', '--admin-token', 'e2e-token', '--journal-size', '50'])
  const admin = connectAdmin(url, { token: 'e2e-token' })

  await admin.faults.add({ error: 'RATE_LIMIT_EXCEEDED', times: 1 })
  const limited = await patchWon(url)
  await admin.clock.advance(Number(limited.headers.get('retry-after')))
  const won = (await (await patchWon(url)).json()) as { data: { won_at: string } }

  expect(limited.status).toBe(429)
  expect(won.data.won_at).toBe('2024-01-25T11:00:00Z')
  await admin.expectCalls({ method: 'PATCH' }, 2)
  await expect(admin.expectCalls({ status: 500 }, 1)).rejects.toMatchObject({ code: 'CALLS_MISMATCH' })
  await admin.reset()
  expect(await admin.journal.count()).toBe(0)
  expect((await admin.clock.now()).toISOString()).toBe('2024-01-25T10:00:00.000Z')
  expect(stderr()).toBe('')
})

it('warns on start when it listens beyond loopback with the admin API open and no token', async () => {
  const { url, stderr } = await serve(['--host', '0.0.0.0'])
  await patchWon(url.replace('0.0.0.0', '127.0.0.1'))

  expect(stderr()).toContain('warning: listening on 0.0.0.0 with the admin API (/__admin) on and no --admin-token')
})

it('serves no admin API with --no-admin', async () => {
  const { url } = await serve(['--no-admin'])

  const response = await fetch(`${url}/__admin/clock`)

  expect(response.status).toBe(404)
})
