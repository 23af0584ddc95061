// What the recorder must never do, whatever the target: change what passes through, print or
// write a key, grow without bound, or fail outside the envelope.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { createServer, request } from 'node:http'
import type { IncomingHttpHeaders } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, it } from 'vitest'
import { GetRazeMockError } from '../src/errors/GetRazeMockError.js'
import { createRecorder, startRecorder } from '../src/server/index.js'
import type { RecorderOptions } from '../src/server/index.js'
import { listen } from '../src/verify/loopbackHttp.js'
import { createDriftingTarget, driftingRow } from './providers/createDriftingTarget.js'
import { createEchoingProvider } from './providers/createEchoingProvider.js'
import { listenTls } from './providers/listenTls.js'

const cleanups: Array<() => Promise<unknown> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'getraze-record-safety-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** A recorder whose lines and notices are kept, writing to a temporary folder. */
async function record(target: string, options: Partial<RecorderOptions> = {}) {
  const said: string[] = []
  const out = tempDir()
  const recorder = await startRecorder({ target, port: 0, out, onDifference: (line) => said.push(line), onNotice: (line) => said.push(line), ...options })
  let closed = false
  cleanups.push(() => (closed ? undefined : recorder.close()))
  return {
    url: recorder.url,
    said,
    out,
    async close() {
      closed = true
      return recorder.close()
    },
  }
}

/** Everything a recording wrote, as one text. */
function writtenIn(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath, entry.name), 'utf8'))
    .join('\n')
}

it('refuses a target that is not http(s), quoting it without its password', () => {
  expect(() => createRecorder({ target: 'ftp://deploy:hunter2-secret@files.example/' })).toThrow(
    new GetRazeMockError('INVALID_OPTION', 'Failed to create the recorder: target "ftp://***:***@files.example/" is not an http(s) URL. Pass the provider\'s base URL, e.g. target: \'https://sandbox.getraze.example\'.'),
  )
  expect(() => createRecorder({ target: 'http://deploy:hunter2-secret@127.0.0.1:99999' })).toThrow(
    'Failed to create the recorder: target "http://***:***@127.0.0.1:99999" is not a URL: port 99999 is out of range (1-65535). Pass the provider\'s base URL, e.g. target: \'https://sandbox.getraze.example\'.',
  )
  expect(() => createRecorder({ target: 'https://staging.example/api?token=abc' })).toThrow(
    'Failed to create the recorder: target "https://staging.example/api?token=***" has a query or a fragment. Pass the base URL only; the request brings its own query.',
  )
  expect(() => createRecorder({ target: 'https://staging.example', reports: [{ format: 'json', file: 'r.json' }] })).toThrow(
    'Failed to create the recorder: reports are given without shadow. The reports are the shadow report: pass shadow: true too.',
  )
})

it('forwards the request and the answer unchanged, but the connection\'s own headers, under the target\'s base path', async () => {
  const seen: Array<{ method?: string; url?: string; headers: IncomingHttpHeaders; body: string }> = []
  const target = await listen(
    createServer(async (request, response) => {
      let body = ''
      for await (const chunk of request) body += chunk
      seen.push({ method: request.method, url: request.url, headers: request.headers, body })
      response.writeHead(418, 'Short and stout', { 'content-type': 'text/plain', 'x-provider-trace': 'abc', 'set-cookie': ['a=1', 'b=2'] })
      response.end('not json \u00e9')
    }),
  )
  cleanups.push(() => target.close())
  const recorder = await record(`${target.url}/api/`)

  const response = await fetch(`${recorder.url}/external/v1/opportunities/opp_1/stage?x=1&api_key=query_key`, {
    method: 'PATCH',
    headers: { 'X-API-Key': 'header_key', Authorization: 'Bearer bearer_key', 'X-Client': 'crm', 'Content-Type': 'application/json', Connection: 'keep-alive' },
    body: '{"status":"won","extra":[1,2]}',
  })

  expect(response.status).toBe(418)
  expect(response.statusText).toBe('Short and stout')
  expect(response.headers.get('x-provider-trace')).toBe('abc')
  expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2'])
  expect(await response.text()).toBe('not json \u00e9')
  expect(seen).toHaveLength(1)
  expect(seen[0]).toMatchObject({ method: 'PATCH', url: '/api/external/v1/opportunities/opp_1/stage?x=1&api_key=query_key', body: '{"status":"won","extra":[1,2]}' })
  expect(seen[0]!.headers).toMatchObject({ 'x-api-key': 'header_key', authorization: 'Bearer bearer_key', 'x-client': 'crm', host: new URL(target.url).host })
})

it('sends the target URL\'s credentials as basic auth only for its own callers, to requests without an Authorization of their own, and never prints them', async () => {
  const authorizations: Array<string | undefined> = []
  const target = await listen(
    createServer((request, response) => {
      authorizations.push(request.headers.authorization)
      response.writeHead(401, { 'content-type': 'application/json' })
      response.end(JSON.stringify({ success: false, error: { code: 'MISSING_API_KEY', message: `got ${request.headers.authorization}` } }))
    }),
  )
  cleanups.push(() => target.close())
  const withCredentials = target.url.replace('http://', 'http://ci:pa55word-9@')
  const recorder = await record(withCredentials, { shadow: true })

  await (await fetch(`${recorder.url}/external/v1/opportunities/opp_1`)).text()
  await (await fetch(`${recorder.url}/external/v1/opportunities/opp_1`, { headers: { Authorization: 'Bearer own_key_1' } })).text()
  // A page that reached the recorder by DNS rebinding sends its own name as Host: refused, not relayed.
  const rebound = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const { port } = new URL(recorder.url)
    request({ host: '127.0.0.1', port, path: '/external/v1/opportunities/opp_1', headers: { host: `evil.example:${port}` } }, (answer) => {
      let body = ''
      answer.on('data', (chunk) => (body += chunk))
      answer.on('end', () => resolve({ status: answer.statusCode ?? 0, body }))
    })
      .on('error', reject)
      .end()
  })
  const result = await recorder.close()

  expect(rebound.status).toBe(403)
  expect(JSON.parse(rebound.body).error.code).toBe('FORBIDDEN')
  expect(authorizations).toEqual([`Basic ${Buffer.from('ci:pa55word-9').toString('base64')}`, 'Bearer own_key_1'])
  const everything = [...recorder.said, result.reportText, writtenIn(recorder.out)].join('\n')
  expect(everything).not.toContain('pa55word-9')
  expect(everything).not.toContain(Buffer.from('ci:pa55word-9').toString('base64'))
  expect(everything).not.toContain('own_key_1')
})

it('hides a key and credential headers the target echoes back, in every form, from every line, report and file', async () => {
  const target = await listen(createEchoingProvider().server)
  cleanups.push(() => target.close())
  const out = tempDir()
  const recorder = await record(target.url, { shadow: true, reports: [{ format: 'json', file: join(out, 'shadow.json') }, { format: 'junit', file: join(out, 'shadow.xml') }] })
  const key = 'gr_live_Echo+Me/Secret=42'

  await (await fetch(`${recorder.url}/external/v1/opportunities/opp_1`, { headers: { 'X-API-Key': key, 'X-Gateway-Token': 'gw-token-Q7v9', Cookie: 'session=sess-81bz' } })).text()
  await (await fetch(`${recorder.url}/external/v1/opportunities/opp_1/stage`, { method: 'PATCH', headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ status: 'won', note: key }) })).text()
  await (await fetch(`${recorder.url}/external/v1/opportunities/opp_1?api_key=${encodeURIComponent(key)}`)).text()
  const result = await recorder.close()

  const everything = [...recorder.said, result.reportText, JSON.stringify(result), writtenIn(recorder.out), writtenIn(out)].join('\n')
  expect(recorder.said.length).toBeGreaterThan(0)
  for (const form of [key, encodeURIComponent(key), Buffer.from(key).toString('base64'), 'Echo+Me', 'gw-token-Q7v9', 'sess-81bz']) expect(everything).not.toContain(form)
})

it('holds at most maxRecords records, says so once, and checks requests for the others against the docs only', async () => {
  const staging = createDriftingTarget()
  staging.addKey('capped_key')
  for (let index = 1; index <= 5; index++) staging.addRow(driftingRow(`opp_${index}`, { updated_at: '2024-01-20T14:00:00Z', created_at: '2024-01-15T10:30:00Z' }))
  const target = await listen(staging.server)
  cleanups.push(() => target.close())
  const recorder = await record(target.url, { shadow: true, maxRecords: 3 })

  for (let round = 0; round < 2; round++) {
    for (let index = 1; index <= 5; index++) await (await fetch(`${recorder.url}/external/v1/opportunities/opp_${index}`, { headers: { 'X-API-Key': 'capped_key' } })).text()
  }
  const result = await recorder.close()

  const cap = 'The recorder holds 3 records, the most it keeps (maxRecords, --max-records); later records are forwarded but neither written to the fixtures nor shadowed.'
  expect(recorder.said.filter((line) => line === cap)).toHaveLength(1)
  expect(result.fixtures).toMatchObject({ records: 2, referenced: 1 })
  // The campaign the rows name counts as a record too.
  const fixtures = JSON.parse(readFileSync(result.fixturesFile, 'utf8'))
  expect(fixtures.campaigns.map((record: { id: string }) => record.id)).toEqual(['camp_fair24'])
  expect(fixtures.opportunities.map((record: { id: string }) => record.id)).toEqual(['opp_1', 'opp_2'])
  expect(result.reportText).toContain('10 to documented endpoints, 4 of them compared with the mock (6 named records the mock could not hold, checked against the docs only)')
  expect(result.reportText).toContain(`Note: ${cap}`)
  // The records over the cap are no 404 from the mock: nothing but the row's drift is reported.
  expect(result.report!.interactions.flatMap((row) => row.failures).filter((failure) => failure.path === 'status')).toEqual([])
})

it('forwards a body over maxBodyBytes whole, without recording it, and says so once', async () => {
  const staging = createDriftingTarget()
  staging.addKey('big_key')
  staging.addRow(driftingRow('opp_1'))
  const target = await listen(staging.server)
  cleanups.push(() => target.close())
  const recorder = await record(target.url, { maxBodyBytes: 200 })

  const answer = await fetch(`${recorder.url}/external/v1/opportunities/opp_1`, { headers: { 'X-API-Key': 'big_key' } })
  const body = await answer.text()
  const result = await recorder.close()

  expect(answer.status).toBe(200)
  expect(body.length).toBeGreaterThan(200)
  expect(JSON.parse(body).data.id).toBe('opp_1')
  expect(recorder.said).toEqual(['A request or answer body was larger than 200 bytes: it was forwarded whole, but not recorded (the maxBodyBytes option).'])
  expect(result).toMatchObject({ requests: 0, fixtures: { records: 0 }, pactFile: undefined })
})

it('answers 502 BAD_GATEWAY in the envelope when the target does not answer, naming it without its password', async () => {
  const gone = await listen(createServer(() => undefined))
  const port = new URL(gone.url).port
  await gone.close()
  const recorder = await record(`http://ops:topsecret77@127.0.0.1:${port}`)

  const response = await fetch(`${recorder.url}/external/v1/opportunities/opp_1`, { headers: { 'X-API-Key': 'k_1' } })

  expect(response.status).toBe(502)
  expect(await response.json()).toEqual({
    success: false,
    error: {
      code: 'BAD_GATEWAY',
      message: `Failed to forward the request: the target http://***:***@127.0.0.1:${port} did not answer (ECONNREFUSED). Check --target and that the provider is running.`,
    },
  })
  expect(recorder.said).toEqual([`The target http://***:***@127.0.0.1:${port} did not answer a request (ECONNREFUSED); the client got 502 BAD_GATEWAY.`])
})

it('forwards nothing to an https target whose certificate this machine does not trust: 502 BAD_GATEWAY saying how to trust it, nothing recorded', async () => {
  const staging = createDriftingTarget()
  staging.addKey('tls_key')
  staging.addRow(driftingRow('opp_1'))
  const target = await listenTls(staging.server)
  cleanups.push(() => target.close())
  const recorder = await record(target.url)

  const response = await fetch(`${recorder.url}/external/v1/opportunities/opp_1`, { headers: { 'X-API-Key': 'tls_key' } })
  const result = await recorder.close()

  expect(response.status).toBe(502)
  const trust = "Start the recorder with NODE_EXTRA_CA_CERTS set to a PEM file of the certificate's CA (or of the certificate itself, when it signed itself)"
  expect(await response.json()).toEqual({
    success: false,
    error: { code: 'BAD_GATEWAY', message: `Failed to forward the request: the target ${target.url} sent a TLS certificate this machine does not trust (DEPTH_ZERO_SELF_SIGNED_CERT). ${trust}.` },
  })
  expect(recorder.said).toEqual([
    `The target ${target.url} did not answer a request (DEPTH_ZERO_SELF_SIGNED_CERT: its TLS certificate is not trusted; start the recorder with NODE_EXTRA_CA_CERTS set to a PEM file of the certificate's CA (or of the certificate itself, when it signed itself)); the client got 502 BAD_GATEWAY.`,
  ])
  expect(result).toMatchObject({ requests: 0, fixtures: { apiKeys: 0, records: 0 }, pactFile: undefined })
})
