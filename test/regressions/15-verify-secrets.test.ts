// Issue 15, items 3, 4, 5 and 11 (verify's part): secrets in what `verify` prints.
// - 3: Pact's own mismatch output showed a provider's echo of the `--header` value and of the
//   basic auth from the provider URL, at every log level; the state URL's at debug.
// - 4, 11: a mistyped URL was quoted whole, password included, or gave "This is a bug".
// - 5: the kit's loopback proxies relayed anyone's request, adding the run's credentials.
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it, onTestFinished } from 'vitest'
import { toVerifyOptions } from '../../src/cli/toVerifyOptions.js'
import type { VerifyArgs } from '../../src/cli/toVerifyOptions.js'
import { createExchangeRecorder } from '../../src/verify/createExchangeRecorder.js'
import { verifyPacts } from '../../src/pact/index.js'
import { listen } from '../../src/verify/loopbackHttp.js'
import { startBrokerProxy } from '../../src/verify/startBrokerProxy.js'
import { startRecordingProxy } from '../../src/verify/startRecordingProxy.js'
import { startStateServer } from '../../src/verify/startStateServer.js'
import { createEchoingProvider } from '../providers/createEchoingProvider.js'
import { runVerifyProcess } from '../pact/runVerifyCli.js'
import { writeTempFiles } from '../support/tempFiles.js'

const root = join(import.meta.dirname, '../..')
const pactFile = join(root, 'pacts/getraze-stage-client-getraze-external-api.json')
const secrets = { header: 'gw-key-0a7f3c91e5', urlPassword: 'url-pw-5b2e9d40aa', statePassword: 'state-pw-8c1d6e2f77', bearer: 'tok-9d8c7b6a5f4e' }
const basic = (password: string) => Buffer.from(`ci:${password}`).toString('base64')
const forms = (secret: string) => [secret, Buffer.from(secret).toString('base64').replace(/=+$/, ''), encodeURIComponent(secret)]
const forbidden = [
  ...Object.values(secrets).flatMap(forms),
  basic(secrets.urlPassword),
  basic(secrets.statePassword),
  encodeURIComponent(basic(secrets.urlPassword)),
]

let providerUrl = ''
const closers: Array<() => Promise<void>> = []

beforeAll(async () => {
  const running = await listen(createEchoingProvider().server)
  closers.push(running.close)
  providerUrl = running.url
})

afterAll(async () => {
  for (const close of closers.reverse()) await close()
})

const runVerify = (args: string[]) => runVerifyProcess(args)

it.each(['error', 'warn', 'info', 'debug', 'trace'])(
  "keeps every secret a provider echoes out of Pact's output, the report and the log file at log level %s",
  async (level) => {
    const [json, junit, log] = writeTempFiles({ 'drift.json': '', 'drift.xml': '', 'pact.log': '' })
    const host = new URL(providerUrl).host
    const run = await runVerify([
      '--pact', pactFile,
      '--provider-base-url', `http://ci:${secrets.urlPassword}@${host}`,
      '--provider-states-setup-url', `http://ci:${secrets.statePassword}@${host}/_pact/provider-states`,
      '--header', `X-Gateway-Key: ${secrets.header}`,
      '--header', `X-Upstream-Authorization: Bearer ${secrets.bearer}`,
      '--report', `json=${json}`,
      '--report', `junit=${junit}`,
      '--pact-log', log!,
      '--log-level', level,
    ])
    const files = [readFileSync(json!, 'utf8'), readFileSync(junit!, 'utf8'), readFileSync(log!, 'utf8')]
    const everything = [run.stdout, run.stderr, ...files].join('\n')
    expect(forbidden.filter((secret) => everything.includes(secret))).toEqual([])
    // The provider did answer with the echo, and Pact's account of it reached the log file.
    expect(files[2]).toContain('x-gateway-key')
    expect(run.stdout).toContain('Verification failed: 10 of 10 interactions.')
    expect(run.code).toBe(1)
  },
  90_000,
)

const args = (overrides: Partial<VerifyArgs>): VerifyArgs => ({ provider: 'getraze-external-api', publish: false, enablePending: false, logLevel: 'error', ...overrides })

it.each([
  [
    { providerBaseUrl: 'http://ci:PASS@127.0.0.1:99999' },
    'Failed to parse --provider-base-url: "http://***:***@127.0.0.1:99999" is not a URL: port 99999 is out of range (1-65535). Pass e.g. --provider-base-url http://localhost:3000.',
  ],
  [
    { providerBaseUrl: 'ftp://ci:PASS@127.0.0.1/' },
    'Failed to parse --provider-base-url: "ftp://***:***@127.0.0.1/" is not an http(s) URL. Pass e.g. --provider-base-url http://localhost:3000.',
  ],
  [
    { providerBaseUrl: 'http://ci:PASS@my host/' },
    'Failed to parse --provider-base-url: "http://***:***@my host/" is not a URL: it contains a space. Pass e.g. --provider-base-url http://localhost:3000.',
  ],
  [
    { providerBaseUrl: 'http://ci:pa/ss#word@host/' },
    'Failed to parse --provider-base-url: "http://***:***@host/" is not a URL. Pass e.g. --provider-base-url http://localhost:3000.',
  ],
  [
    { providerBaseUrl: 'ci:PASS@host' },
    'Failed to parse --provider-base-url: "***:***@host" is not an http(s) URL. Pass e.g. --provider-base-url http://localhost:3000.',
  ],
  [
    { brokerUrl: 'https://ci:PASS@broker.example:70000' },
    'Failed to parse --broker-url: "https://***:***@broker.example:70000" is not a URL: port 70000 is out of range (1-65535). Pass e.g. --broker-url https://broker.example.',
  ],
  [
    { providerBaseUrl: 'http://localhost:3000', providerStatesSetupUrl: 'ftp://ci:PASS@localhost/_pact' },
    'Failed to parse --provider-states-setup-url: "ftp://***:***@localhost/_pact" is not an http(s) URL. Pass e.g. --provider-states-setup-url http://localhost:3000.',
  ],
  [
    { pact: ['http://u:PASS@h:99999/x'] },
    'Failed to parse --pact: "http://***:***@h:99999/x" is not a URL: port 99999 is out of range (1-65535). Pass e.g. --pact https://broker.example/pacts/provider/P/consumer/C/latest.',
  ],
  [
    { providerBaseUrl: 'gopher://localhost/?api_key=PASS&x=1' },
    'Failed to parse --provider-base-url: "gopher://localhost/?api_key=***&x=1" is not an http(s) URL. Pass e.g. --provider-base-url http://localhost:3000.',
  ],
] as Array<[Partial<VerifyArgs>, string]>)('quotes a mistyped URL without its password: %j', (flags, message) => {
  expect(() => toVerifyOptions(args(flags))).toThrow(message)
  let thrown = ''
  try {
    toVerifyOptions(args(flags))
  } catch (error) {
    thrown = (error as Error).message
  }
  expect(thrown).not.toMatch(/PASS|pa\/ss/)
})

it('refuses a mistyped URL given to verifyPacts without quoting its password', async () => {
  await expect(verifyPacts({ providerBaseUrl: 'http://ci:PASS@127.0.0.1:99999' })).rejects.toThrow(
    'Failed to verify: providerBaseUrl "http://***:***@127.0.0.1:99999" is not a URL: port 99999 is out of range (1-65535). Pass an http(s) URL, e.g. http://localhost:3000.',
  )
  await expect(verifyPacts({ pactUrls: ['http://u:PASS@h:99999/x'] })).rejects.toThrow(
    'Failed to read the pact at "http://***:***@h:99999/x": it is not a URL: port 99999 is out of range (1-65535). Check the URL passed to --pact.',
  )
})

it('answers a --pact URL with an invalid port with a clear message and exit 2, not "This is a bug"', async () => {
  const run = await runVerify(['--pact', 'http://u:PASS@h:99999/x'])
  expect(run.stderr.trim()).toBe(
    'Failed to parse --pact: "http://***:***@h:99999/x" is not a URL: port 99999 is out of range (1-65535). Pass e.g. --pact https://broker.example/pacts/provider/P/consumer/C/latest.',
  )
  expect(run.stdout).toBe('')
  expect(run.code).toBe(2)
})

/** An upstream that records every request it gets. */
async function startUpstream() {
  const seen: Array<{ method: string; url: string; authorization?: string; gateway?: string }> = []
  const running = await listen(
    createServer((request, response) => {
      seen.push({ method: request.method ?? '', url: request.url ?? '', authorization: request.headers.authorization, gateway: request.headers['x-gateway-key'] as string | undefined })
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}')
    }),
  )
  onTestFinished(running.close)
  return { ...running, seen }
}

/** A raw request with the Host and Origin the test chooses (fetch would set its own Host). */
function send(url: string, options: { method?: string; host?: string; origin?: string; body?: string } = {}): Promise<number> {
  const target = new URL(url)
  return new Promise((resolve, reject) => {
    import('node:http').then(({ request }) => {
      const outgoing = request(
        {
          hostname: target.hostname,
          port: target.port,
          path: `${target.pathname}${target.search}`,
          method: options.method ?? 'GET',
          headers: { host: options.host ?? target.host, ...(options.origin ? { origin: options.origin } : {}), 'content-type': 'application/json' },
        },
        (response) => {
          response.resume()
          response.on('end', () => resolve(response.statusCode ?? 0))
        },
      )
      outgoing.on('error', reject)
      outgoing.end(options.body)
    }, reject)
  })
}

const runSecret = 'a3f1c9e07b5d42e8a6c1f0d9b8e7a6c5'

it('refuses a broker-proxy request without the run secret, and it never reaches the broker with the token', async () => {
  const broker = await startUpstream()
  const proxy = await startBrokerProxy(broker.url, 'Bearer broker-token-123', runSecret)
  onTestFinished(proxy.close)
  const origin = new URL(proxy.url).origin
  expect(await send(`${origin}/pacticipants/victim`, { method: 'DELETE' })).toBe(403)
  expect(await send(`${origin}/${runSecret.slice(0, -1)}/pacticipants/victim`, { method: 'DELETE' })).toBe(403)
  expect(await send(`${proxy.url}/pacticipants/victim`, { method: 'DELETE', host: 'attacker.example' })).toBe(403)
  expect(await send(`${proxy.url}/pacticipants/victim`, { method: 'DELETE', origin: 'https://attacker.example' })).toBe(403)
  expect(broker.seen).toEqual([])
  // The run's own Pact, which has the secret, is relayed with the token.
  expect(await send(`${proxy.url}/pacticipants/mine`)).toBe(200)
  expect(broker.seen).toEqual([{ method: 'GET', url: '/pacticipants/mine', authorization: 'Bearer broker-token-123', gateway: undefined }])
})

it('refuses a recording-proxy request without the run secret or from a foreign Host, and never adds the credentials', async () => {
  const provider = await startUpstream()
  const proxy = await startRecordingProxy(provider.url, createExchangeRecorder(), runSecret, { headers: { 'X-Gateway-Key': 'gw-secret-456' } })
  onTestFinished(proxy.close)
  const origin = new URL(proxy.url).origin
  expect(await send(`${origin}/external/v1/opportunities/x/stage`, { method: 'PATCH', body: '{}' })).toBe(403)
  expect(await send(`${proxy.url}/external/v1/opportunities/x/stage`, { method: 'PATCH', body: '{}', host: 'rebound.example:80' })).toBe(403)
  expect(provider.seen).toEqual([])
  expect(await send(`${proxy.url}/external/v1/opportunities/x/stage`, { method: 'PATCH', body: '{}' })).toBe(200)
  expect(provider.seen).toEqual([{ method: 'PATCH', url: '/external/v1/opportunities/x/stage', authorization: undefined, gateway: 'gw-secret-456' }])
})

it('refuses a state-server request without the run secret or with an Origin, and never runs the state', async () => {
  const calls: string[] = []
  const states = await startStateServer(
    {
      setup: async (state) => {
        calls.push(state)
        return {}
      },
      teardown: async () => {},
    },
    createExchangeRecorder(),
    runSecret,
  )
  onTestFinished(states.close)
  const body = JSON.stringify({ state: 'an opportunity exists', params: {}, action: 'setup' })
  const origin = new URL(states.url).origin
  expect(await send(origin, { method: 'POST', body })).toBe(403)
  expect(await send(states.url, { method: 'POST', body, origin: 'https://attacker.example' })).toBe(403)
  expect(await send(states.url, { method: 'POST', body, host: 'attacker.example' })).toBe(403)
  expect(calls).toEqual([])
  expect(await send(states.url, { method: 'POST', body })).toBe(200)
  expect(calls).toEqual(['an opportunity exists'])
})
