import { request as httpRequest } from 'node:http'
import { expect, it, onTestFinished } from 'vitest'
import { startMockServer } from '../../src/server/startMockServer.js'
import type { MockServerOptions, RunningMockServer } from '../../src/server/createMockServer.js'
import { rawPatch, sendRaw } from '../support/rawHttp.js'
import { docsNow } from '../support/transports.js'

// Issue 8, defects 4, 5 and 8: oversized bodies, requests Node's parser rejects, shutdown.

async function start(options: MockServerOptions = {}): Promise<RunningMockServer> {
  const running = await startMockServer({ now: docsNow, ...options, port: 0 })
  onTestFinished(() => running.close())
  return running
}

async function stillServes(url: string) {
  const response = await fetch(`${url}/external/v1/opportunities/opp_abc123def456/stage`, {
    method: 'PATCH',
    headers: { 'x-api-key': 'YOUR_API_KEY' },
    body: '{"status":"won"}',
  })
  return response.status
}

it('answers 413 at once to a declared 10 GiB body without reading it, and closes the connection', async () => {
  const { url } = await start()

  const exchange = await sendRaw(url, [rawPatch(['Content-Length: 10737418240'], '{"status":')], { keepOpen: true, timeoutMs: 2000 })

  expect(exchange.status).toBe(413)
  expect(exchange.ended).toBe('closed')
  expect(exchange.text.toLowerCase()).toContain('connection: close')
  expect((exchange.json as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE')
  expect(await stillServes(url)).toBe(200)
})

it('answers 413 as soon as a chunked body crosses the limit', async () => {
  const { url } = await start({ maxBodyBytes: 1024 })
  const chunk = (text: string) => `${text.length.toString(16)}\r\n${text}\r\n`

  const exchange = await sendRaw(url, [rawPatch(['Transfer-Encoding: chunked'], ''), chunk('x'.repeat(800)), chunk('x'.repeat(800))], {
    keepOpen: true,
    gapMs: 20,
    timeoutMs: 2000,
  })

  expect(exchange.status).toBe(413)
  expect(exchange.ended).toBe('closed')
})

it('refuses a body over the limit before the client sends it when it asks Expect: 100-continue', async () => {
  const { url } = await start({ maxBodyBytes: 1024 })

  const exchange = await sendRaw(url, [rawPatch(['Content-Length: 5000', 'Expect: 100-continue'], '')], { keepOpen: true, timeoutMs: 2000 })

  expect(exchange.text).not.toContain('100 Continue')
  expect(exchange.status).toBe(413)
})

it.each([
  ['a duplicate Content-Length', rawPatch(['Content-Length: 16', 'Content-Length: 17'], '{"status":"won"}'), 400, 'VALIDATION_ERROR'],
  ['bad chunk framing', rawPatch(['Transfer-Encoding: chunked'], 'zz\r\nnope\r\n'), 400, 'VALIDATION_ERROR'],
  ['a request line that is not HTTP', 'HELLO THERE\r\n\r\n', 400, 'VALIDATION_ERROR'],
  ['headers over the limit', rawPatch([`X-Big: ${'a'.repeat(20_000)}`, 'Content-Length: 0'], ''), 431, 'HEADERS_TOO_LARGE'],
  ['an unsupported Expect', rawPatch(['Expect: something-else', 'Content-Length: 16'], '{"status":"won"}'), 417, 'EXPECTATION_FAILED'],
])('answers %s in the envelope and keeps serving', async (_name, raw, status, code) => {
  const { url } = await start()

  const exchange = await sendRaw(url, [raw], { keepOpen: true, timeoutMs: 2000 })

  expect(exchange.status).toBe(status)
  expect(exchange.json).toMatchObject({ success: false, error: { code } })
  expect(await stillServes(url)).toBe(200)
})

it('answers 408 REQUEST_TIMEOUT to a client that sends its headers too slowly', async () => {
  const { url } = await start({ headersTimeoutMs: 200, requestTimeoutMs: 400 })

  const exchange = await sendRaw(url, ['PATCH /external/v1/opportunities/opp_abc123def456/stage HTTP/1.1\r\n', 'Host: x\r\n'], {
    keepOpen: true,
    timeoutMs: 3000,
  })

  expect(exchange.status).toBe(408)
  expect(exchange.json).toMatchObject({ error: { code: 'REQUEST_TIMEOUT' } })
})

it('lets a request in flight finish when the server closes, then stops', async () => {
  const running = await startMockServer({ now: docsNow, port: 0, gracePeriodMs: 5000 })
  const { port } = new URL(running.url)
  const body = '{"status":"won"}'

  const answer = new Promise<{ status: number | undefined; text: string }>((resolve, reject) => {
    const request = httpRequest(
      {
        port: Number(port),
        host: '127.0.0.1',
        method: 'PATCH',
        path: '/external/v1/opportunities/opp_abc123def456/stage',
        headers: { 'x-api-key': 'YOUR_API_KEY', 'content-length': String(body.length) },
      },
      (response) => {
        let text = ''
        response.on('data', (chunk) => (text += chunk))
        response.on('end', () => resolve({ status: response.statusCode, text }))
      },
    )
    request.on('error', reject)
    request.write(body.slice(0, 5))
    // The rest of the body arrives after close() has been called.
    setTimeout(() => {
      closed = running.close()
      setTimeout(() => request.end(body.slice(5)), 100)
    }, 100)
  })
  let closed: Promise<void> | undefined

  const result = await answer
  await closed

  expect(result.status).toBe(200)
  expect(JSON.parse(result.text)).toMatchObject({ success: true, data: { status: 'won' } })
  await expect(fetch(running.url)).rejects.toThrow()
})

it('closes connections still open when the grace period ends', async () => {
  const running = await startMockServer({ now: docsNow, port: 0, gracePeriodMs: 100 })
  const pending = sendRaw(running.url, [rawPatch(['Content-Length: 100'], '{"st')], { keepOpen: true, timeoutMs: 3000 })
  await new Promise((wait) => setTimeout(wait, 100))

  await running.close()

  expect((await pending).ended).toBe('closed')
})

it('answers 408 REQUEST_TIMEOUT to a client whose body takes longer than the request timeout', async () => {
  const { url } = await start({ headersTimeoutMs: 200, requestTimeoutMs: 300 })

  const exchange = await sendRaw(url, [rawPatch(['Content-Length: 16'], '{"st'), 'at', 'us'], { gapMs: 400, keepOpen: true, timeoutMs: 3000 })

  expect(exchange.status).toBe(408)
  expect(exchange.json).toMatchObject({ error: { code: 'REQUEST_TIMEOUT' } })
})

it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
  const { url } = await start({ keepAliveTimeoutMs: 200 })

  const exchange = await sendRaw(url, [rawPatch(['Content-Length: 16'], '{"status":"won"}')], { keepOpen: true, timeoutMs: 3000 })

  expect(exchange.status).toBe(200)
  expect(exchange.ended).toBe('closed')
})
