import { spawn } from 'node:child_process'
import { request as httpRequest } from 'node:http'
import type { ClientRequest, IncomingHttpHeaders } from 'node:http'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { expect, it, onTestFinished } from 'vitest'
import { startMockServer } from '../../src/server/startMockServer.js'
import { docsNow } from '../support/transports.js'

// Issue 15, item 7 (and issue 18, item 15): answers in flight on shutdown close their connection,
// the server stops as soon as the last one has gone out, and `serve` says what it stopped and
// what a second signal drops.

const root = fileURLToPath(new URL('../..', import.meta.url))
const bin = fileURLToPath(new URL('../../bin/getraze-mock.js', import.meta.url))
const body = '{"status":"won"}'

interface Answer {
  status: number | undefined
  headers: IncomingHttpHeaders
  /** Resolves when the server has closed the connection. */
  closed: Promise<void>
}

/**
 * A PATCH whose body is held back until `finish()`: a request in flight. It asks
 * `Expect: 100-continue`, so `received` resolves when the server has it.
 */
function startRequest(url: string): { request: ClientRequest; received: Promise<void>; answer: Promise<Answer>; finish(): void } {
  const request = httpRequest(`${url}/external/v1/opportunities/opp_abc123def456/stage`, {
    method: 'PATCH',
    headers: { 'x-api-key': 'YOUR_API_KEY', 'content-length': String(body.length), expect: '100-continue' },
  })
  const received = new Promise<void>((resolve) => request.once('continue', () => resolve()))
  const answer = new Promise<Answer>((resolve, reject) => {
    request.on('response', (response) => {
      const closed = new Promise<void>((done) => response.socket.once('close', () => done()))
      response.resume()
      response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, closed }))
    })
    request.on('error', reject)
  })
  // Marked handled here; a test that expects the answer awaits it.
  answer.catch(() => undefined)
  request.flushHeaders()
  void received.then(() => request.write(body.slice(0, 4)))
  return { request, received, answer, finish: () => request.end(body.slice(4)) }
}

function spawnServe(args: string[]) {
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--quiet', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  const lines: string[] = []
  const waiters: Array<{ pattern: RegExp; resolve: (match: RegExpMatchArray) => void }> = []
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line)
    for (const waiter of [...waiters]) {
      const match = line.match(waiter.pattern)
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve(match)
      }
    }
  })
  const exited = new Promise<{ code: number | null; stdout: string[]; stderr: string }>((resolve) => {
    child.on('close', (code) => resolve({ code, stdout: lines, stderr }))
  })
  return {
    child,
    exited,
    waitForLine: (pattern: RegExp) =>
      new Promise<RegExpMatchArray>((resolve, reject) => {
        waiters.push({ pattern, resolve })
        void exited.then(() => reject(new Error(`serve exited before printing ${pattern}; stderr: ${stderr}`)))
      }),
  }
}

it('answers a request in flight on close() with Connection: close, and resolves as soon as it has gone out', async () => {
  // Grace period and keep-alive far longer than the test's timeout: close() must not wait for either.
  const running = await startMockServer({ now: docsNow, port: 0, gracePeriodMs: 120_000, keepAliveTimeoutMs: 120_000 })
  const inFlight = startRequest(running.url)
  await inFlight.received

  const closed = running.close()
  inFlight.finish()
  const answer = await inFlight.answer

  expect(answer.status).toBe(200)
  expect(answer.headers.connection).toBe('close')
  await answer.closed
  await closed
})

it('counts the requests in flight', async () => {
  const running = await startMockServer({ now: docsNow, port: 0 })
  onTestFinished(() => running.close())
  const first = startRequest(running.url)
  const second = startRequest(running.url)
  await Promise.all([first.received, second.received])
  expect(running.inFlight).toBe(2)

  first.finish()
  await first.answer

  expect(running.inFlight).toBe(1)
  second.finish()
  await second.answer
  expect(running.inFlight).toBe(0)
})

it('serve finishes a request in flight on SIGTERM, says so, and exits 0 as soon as it has answered', async () => {
  const serve = spawnServe(['--grace-period', '120000', '--keep-alive-timeout', '120000'])
  const [, url] = await serve.waitForLine(/listening on (http:\/\/\S+)/)
  const inFlight = startRequest(url!)
  await inFlight.received

  serve.child.kill('SIGTERM')
  await serve.waitForLine(/^Stopping on SIGTERM/)
  inFlight.finish()
  const answer = await inFlight.answer
  const exit = await serve.exited

  expect(answer.status).toBe(200)
  expect(answer.headers.connection).toBe('close')
  expect(exit.code).toBe(0)
  expect(exit.stderr).toBe('')
  expect(exit.stdout.slice(-2)).toEqual([
    'Stopping on SIGTERM: finishing 1 request in flight (up to 120000 ms; SIGTERM again stops at once).',
    'getraze-mock stopped on SIGTERM; 1 request was in flight.',
  ])
})

it('serve says it stopped, with no requests in flight, on SIGINT', async () => {
  const serve = spawnServe([])
  await serve.waitForLine(/listening on/)

  serve.child.kill('SIGINT')
  const exit = await serve.exited

  expect(exit.code).toBe(0)
  expect(exit.stdout.at(-1)).toBe('getraze-mock stopped on SIGINT; no requests were in flight.')
})

it('serve stops at once on a second signal and says how many requests in flight it drops', async () => {
  const serve = spawnServe(['--grace-period', '120000'])
  const [, url] = await serve.waitForLine(/listening on (http:\/\/\S+)/)
  const inFlight = startRequest(url!)
  await inFlight.received

  serve.child.kill('SIGTERM')
  await serve.waitForLine(/^Stopping on SIGTERM: finishing 1 request in flight/)
  serve.child.kill('SIGINT')
  const exit = await serve.exited

  expect(exit.code).toBe(1)
  expect(exit.stderr).toBe('getraze-mock: SIGINT while stopping: stopping at once; 1 request in flight dropped unanswered.\n')
  await expect(inFlight.answer).rejects.toThrow()
})

it('serve says what the end of the grace period drops', async () => {
  const serve = spawnServe(['--grace-period', '300'])
  const [, url] = await serve.waitForLine(/listening on (http:\/\/\S+)/)
  const inFlight = startRequest(url!)
  await inFlight.received

  serve.child.kill('SIGTERM')
  const exit = await serve.exited

  expect(exit.code).toBe(0)
  expect(exit.stderr).toBe('getraze-mock: the 300 ms grace period is over; 1 request in flight dropped unanswered.\n')
  expect(exit.stdout.at(-1)).toBe('getraze-mock stopped on SIGTERM; 1 request was in flight.')
  await expect(inFlight.answer).rejects.toThrow()
})
