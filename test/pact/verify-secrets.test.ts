// Secrets in `verify` output (issue 8, item 7): a header value, the broker token and passwords
// in the provider and state URLs must reach the provider and the broker, and appear nowhere in
// what the CLI prints or writes, at every Pact log level. Pact's native core writes its log
// straight to the process's stdout, so the CLI runs as a child process and all of its output
// is searched.
import { spawn } from 'node:child_process'
import { createServer } from 'node:http'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createExampleProvider } from '../../examples/provider/createExampleProvider.js'
import { listen } from '../../src/verify/loopbackHttp.js'
import { startFakeBroker } from '../providers/startFakeBroker.js'
import { writeTempFiles } from '../support/tempFiles.js'

const root = join(import.meta.dirname, '../..')
const pact = JSON.parse(readFileSync(join(root, 'pacts/getraze-stage-client-getraze-external-api.json'), 'utf8')) as Record<string, unknown>
const secrets = {
  header: 'gw-key-0a7f3c91e5',
  urlPassword: 'url-pw-5b2e9d40aa',
  statePassword: 'state-pw-8c1d6e2f77',
  brokerToken: 'broker-tok-3f9a1b7c2d',
}
const basic = (password: string) => Buffer.from(`ci:${password}`).toString('base64')
const forbidden = [...Object.values(secrets), basic(secrets.urlPassword), basic(secrets.statePassword)]

const seen: Array<{ url: string; authorization?: string; gateway?: string }> = []
let providerUrl = ''
let broker: Awaited<ReturnType<typeof startFakeBroker>>
const closers: Array<() => Promise<void>> = []

beforeAll(async () => {
  const inner = createExampleProvider({ ids: 'accept' })
  const upstream = await listen(inner.server)
  closers.push(upstream.close)
  // A provider behind basic auth: it answers 401 to any request without the URL's credentials.
  const front = createServer(async (request, response) => {
    let text = ''
    for await (const chunk of request) text += chunk
    seen.push({ url: request.url ?? '', authorization: request.headers.authorization, gateway: request.headers['x-gateway-key'] as string | undefined })
    const isState = request.url?.startsWith('/_pact/')
    const password = isState ? secrets.statePassword : secrets.urlPassword
    if (request.headers.authorization !== `Basic ${basic(password)}`) {
      response.writeHead(401).end()
      return
    }
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(request.headers)) {
      if (typeof value === 'string' && !['host', 'content-length', 'authorization', 'connection'].includes(name)) headers[name] = value
    }
    const answer = await fetch(`${upstream.url}${request.url}`, { method: request.method, headers, body: text || undefined })
    const outHeaders: Record<string, string> = {}
    answer.headers.forEach((value, name) => {
      if (!['content-length', 'transfer-encoding', 'connection', 'keep-alive'].includes(name)) outHeaders[name] = value
    })
    response.writeHead(answer.status, outHeaders).end(await answer.text())
  })
  const running = await listen(front)
  closers.push(running.close)
  providerUrl = running.url
  broker = await startFakeBroker(pact, 'getraze-external-api')
  closers.push(broker.close)
})

afterAll(async () => {
  for (const close of closers.reverse()) await close()
})

function runVerify(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [join(root, 'bin/getraze-mock.js'), 'verify', ...args], {
    cwd: root,
    env: { ...process.env, PACT_DO_NOT_TRACK: 'true', PACT_BROKER_TOKEN: secrets.brokerToken },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk) => (output += chunk))
  child.stderr.on('data', (chunk) => (output += chunk))
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })))
}

it.each(['error', 'warn', 'info', 'debug', 'trace'])(
  'prints no header value, token or URL password at log level %s, and still sends them all',
  async (level) => {
    const [json, junit] = writeTempFiles({ 'drift.json': '', 'drift.xml': '' })
    const url = new URL(providerUrl)
    seen.length = 0
    broker.requests.length = 0
    const { code, output } = await runVerify([
      '--broker-url', broker.url,
      '--provider-base-url', `http://ci:${secrets.urlPassword}@${url.host}`,
      '--provider-states-setup-url', `http://ci:${secrets.statePassword}@${url.host}/_pact/provider-states`,
      '--header', `X-Gateway-Key: ${secrets.header}`,
      '--report', `json=${json}`,
      '--report', `junit=${junit}`,
      '--log-level', level,
    ])
    const everything = [output, readFileSync(json!, 'utf8'), readFileSync(junit!, 'utf8')].join('\n')
    const leaks = forbidden.map((secret) => everything.split(secret).length - 1)
    expect(leaks).toEqual(forbidden.map(() => 0))
    expect(output).toContain(`at http://***:***@${url.host}`)
    expect(output).toContain('Verification passed.')
    expect(code).toBe(0)
    // The credentials worked: every call carried them.
    const patches = seen.filter((entry) => entry.url.startsWith('/external/'))
    expect(patches).toHaveLength(10)
    expect(patches.every((entry) => entry.gateway === secrets.header)).toBe(true)
    expect(seen.filter((entry) => entry.url.startsWith('/_pact/')).length).toBeGreaterThan(10)
    expect(broker.requests.every((request) => request.authorization === `Bearer ${secrets.brokerToken}`)).toBe(true)
    if (level === 'trace') expect(output.split('\n').length).toBeGreaterThan(500)
  },
  60_000,
)
