// Issue 18, item 17: a pact that uses the kit's provider states (its own, the builders', a recorded
// one) could not be verified against a running `serve`: `verify --provider-base-url <serve>` passed
// 2 of 10, with the honest note that the failures were likely missing data. `serve` now answers
// the states on its admin API, and `verify` finds that route when pointed at a getraze-mock.
//
// The serve and verify below are the built CLI in child processes, as a consumer team runs them.
// The builders' and the recorded pacts are written from `endpoints`, so endpoints added later are
// in them too.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PactV4 } from '@pact-foundation/pact'
import { setupServer } from 'msw/node'
import { afterAll, beforeAll, expect, it, onTestFinished } from 'vitest'
import { buildableBehaviours, planInteraction } from '../../src/consumer/planInteraction.js'
import { endpoints } from '../../src/contract/endpoints.js'
import type { EndpointDefinition } from '../../src/contract/EndpointDefinition.js'
import { createGetRazeMock } from '../../src/handlers/index.js'
import { addInteraction, recordPact, verifyPacts } from '../../src/pact/index.js'
import { startMockServer } from '../../src/server/startMockServer.js'
import { listen, readBody } from '../../src/verify/loopbackHttp.js'
import { runVerifyCli } from '../pact/runVerifyCli.js'
import { startServeProcess } from '../support/serveProcess.js'
import { writeTempFiles } from '../support/tempFiles.js'
import { pathOf } from '../support/transports.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const definitions = endpoints as readonly EndpointDefinition[]
const dir = mkdtempSync(join(tmpdir(), 'getraze-serve-provider-'))
const provider = 'getraze-external-api'
// The interactions of every pact the package ships (the stage pact and the kit's pact of every endpoint).
const shippedInteractions = readdirSync(join(root, 'pacts'))
  .filter((name) => name.endsWith('.json'))
  .flatMap((name) => (JSON.parse(readFileSync(join(root, 'pacts', name), 'utf8')) as { interactions: Array<{ description: string }> }).interactions)
let builtPact = ''
let recordedPact = ''

afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Every buildable behaviour of every endpoint, added with the builders and sent to Pact's mock server. */
async function writeBuildersPact(): Promise<string> {
  const consumer = 'serve-builders'
  const pact = new PactV4({ consumer, provider, dir, logLevel: 'error' })
  for (const endpoint of definitions) {
    for (const behaviour of buildableBehaviours(endpoint)) {
      const { request } = planInteraction(endpoint, behaviour)
      await addInteraction(pact, endpoint, behaviour).executeTest(async (server) => {
        const query = request.query ? `?${new URLSearchParams(request.query)}` : ''
        const body = request.body === undefined ? undefined : JSON.stringify(request.body)
        await (await fetch(`${server.url}${request.path}${query}`, { method: request.method, headers: request.headers, body })).arrayBuffer()
      })
    }
  }
  return join(dir, `${consumer}-${provider}.json`)
}

/** What a consumer's msw tests might send each endpoint: the docs' example, an unknown record, and three keys that fail. */
async function writeRecordedPact(): Promise<string> {
  const mock = createGetRazeMock({ baseUrl: 'https://app.getraze.com', now: '2024-01-25T10:00:00Z' })
  const server = setupServer(...mock.handlers)
  server.listen({ onUnhandledRequest: 'error' })
  const recorder = recordPact(mock, { consumer: 'serve-recorder' })
  try {
    for (const endpoint of definitions) {
      const { params, query, body } = endpoint.example
      const unknown = Object.fromEntries(Object.entries(params).map(([name, value]) => [name, `${value}_nope`]))
      const send = async (pathParams: Record<string, string>, key: string | undefined) => {
        const search = query ? `?${new URLSearchParams(query)}` : ''
        const headers: Record<string, string> = { ...(key === undefined ? {} : { 'X-API-Key': key }), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) }
        const url = `https://app.getraze.com${pathOf(endpoint, pathParams)}${search}`
        await (await fetch(url, { method: endpoint.method, headers, body: body === undefined ? undefined : JSON.stringify(body) })).arrayBuffer()
      }
      await send(params, 'YOUR_API_KEY')
      if (Object.keys(params).length > 0) await send(unknown, 'YOUR_API_KEY')
      await send(params, 'gr_test_expired')
      await send(params, 'gr_test_revoked')
      await send(params, undefined)
      mock.reset()
    }
  } finally {
    recorder.stop()
    server.close()
  }
  return recorder.write(dir)
}

beforeAll(async () => {
  builtPact = await writeBuildersPact()
  recordedPact = await writeRecordedPact()
}, 120_000)

const servedNote = (url: string) =>
  `Note: Provider states are set up by the getraze-mock at ${url} (POST /__admin/provider-states, found on its admin API); each teardown resets it, as POST /__admin/reset does.`

it('verifies the shipped pact against a running serve, the states set up by the mock, and says so', async () => {
  const served = await startServeProcess([])
  const run = await runVerifyCli(['--provider-base-url', served.url], { cwd: root })

  expect(shippedInteractions.length).toBeGreaterThan(definitions.length)
  expect(run.report?.totals, run.output).toEqual({ interactions: shippedInteractions.length, passed: shippedInteractions.length, failed: 0, pending: 0, withWarnings: 0 })
  expect(run.code).toBe(0)
  expect(run.output).toContain(servedNote(served.url))
  expect(run.output).not.toContain('no --provider-states-setup-url was given')
}, 120_000)

it("verifies a pact written by the builders for every endpoint's behaviours against a running serve", async () => {
  const pact = JSON.parse(readFileSync(builtPact, 'utf8')) as { interactions: unknown[] }
  const served = await startServeProcess([])
  const run = await runVerifyCli(['--provider-base-url', served.url, '--pact', builtPact])

  expect(run.report?.totals, run.output).toMatchObject({ interactions: pact.interactions.length, passed: pact.interactions.length, failed: 0 })
  expect(pact.interactions.length).toBe(definitions.reduce((count, endpoint) => count + buildableBehaviours(endpoint).length, 0))
  expect(run.code).toBe(0)
  expect(run.output).toContain(servedNote(served.url))
}, 120_000)

it('verifies a pact recorded from msw tests against a running serve', async () => {
  const pact = JSON.parse(readFileSync(recordedPact, 'utf8')) as { interactions: Array<{ providerStates?: unknown[] }> }
  const served = await startServeProcess([])
  const run = await runVerifyCli(['--provider-base-url', served.url, '--pact', recordedPact])

  expect(pact.interactions.filter((interaction) => (interaction.providerStates ?? []).length > 0).length).toBeGreaterThan(definitions.length)
  expect(run.report?.totals, run.output).toMatchObject({ interactions: pact.interactions.length, passed: pact.interactions.length, failed: 0 })
  expect(run.code).toBe(0)
  expect(run.output).toContain(servedNote(served.url))
}, 120_000)

it("uses the admin token of a serve started with one, from GETRAZE_MOCK_ADMIN_TOKEN or --admin-token-file, and stops with the fix without it, never printing it", async () => {
  const token = 'serve-admin-token-4242'
  const served = await startServeProcess([], { GETRAZE_MOCK_ADMIN_TOKEN: token })
  const [tokenFile] = writeTempFiles({ token: `${token}\n` }) as [string]
  const args = ['--provider-base-url', served.url, '--only', 'to won']

  const without = await runVerifyCli(args, { cwd: root, env: { GETRAZE_MOCK_ADMIN_TOKEN: '' } })
  const wrong = await runVerifyCli(args, { cwd: root, env: { GETRAZE_MOCK_ADMIN_TOKEN: 'not-the-token-77' } })
  const fromEnv = await runVerifyCli(args, { cwd: root, env: { GETRAZE_MOCK_ADMIN_TOKEN: token } })
  const fromFile = await runVerifyCli([...args, '--admin-token-file', tokenFile], { cwd: root, env: { GETRAZE_MOCK_ADMIN_TOKEN: '' } })

  const refused = (code: string, fix: string) =>
    `Failed to verify: the provider at ${served.url} is a getraze-mock, and its admin API, which sets up the pacts' provider states, refused this run (${code}). ${fix} Set GETRAZE_MOCK_ADMIN_TOKEN (or pass --admin-token-file FILE) to the token it was started with.`
  expect(without.code, without.output).toBe(2)
  expect(without.output).toContain(refused('ADMIN_TOKEN_REQUIRED', 'It needs its admin token.'))
  expect(without.report?.failure?.stage).toBe('preflight')
  expect(wrong.code, wrong.output).toBe(2)
  expect(wrong.output).toContain(refused('ADMIN_TOKEN_INVALID', 'It refused the admin token given.'))
  expect(wrong.output).not.toContain('not-the-token-77')
  const toWon = shippedInteractions.filter((interaction) => interaction.description.includes('to won')).length
  expect(toWon).toBeGreaterThan(0)
  for (const run of [fromEnv, fromFile]) {
    expect(run.report?.totals, run.output).toMatchObject({ interactions: toWon, passed: toWon })
    expect(run.code).toBe(0)
    expect(run.output).toContain(servedNote(served.url))
    expect(`${run.output}${JSON.stringify(run.report)}`).not.toContain(token)
  }
}, 120_000)

it('verifies a provider that serves the same admin path with something of its own as any provider, with the usual note and no admin token sent', async () => {
  const seen: string[] = []
  // A real provider's own page at that path, and 404 elsewhere: it is no getraze-mock.
  const provider = await listen(
    createServer((request, response) => {
      seen.push(`${request.method} ${request.url}${request.headers.authorization ? ` ${request.headers.authorization}` : ''}`)
      const own = request.url === '/__admin/provider-states'
      response.writeHead(own ? 200 : 404, { 'content-type': 'application/json' })
      response.end(JSON.stringify(own ? { states: ['pipeline seeded'], ok: true } : { error: 'not here' }))
    }),
  )
  onTestFinished(() => provider.close())

  const report = await verifyPacts({ providerBaseUrl: provider.url, only: 'to won', reportFailedRuns: true, adminToken: 'mock-admin-token-31' })

  expect(report.notices.join('\n')).toContain('no --provider-states-setup-url was given')
  expect(report.notices.join('\n')).not.toContain('set up by the getraze-mock')
  expect(seen.filter((line) => line.includes('/__admin/'))).toEqual(['GET /__admin/provider-states'])
  expect(seen.filter((line) => line.includes('mock-admin-token-31'))).toEqual([])
  expect(report.passed).toBe(false)
})

it("lets an explicit providerStatesSetupUrl win over a getraze-mock's own state endpoint", async () => {
  const mock = await startMockServer({ port: 0 })
  onTestFinished(() => mock.close())
  const calls: string[] = []
  // The team's own state endpoint; here it hands each call on to the mock's, so the run can pass.
  const states = await listen(
    createServer(async (request, response) => {
      const body = await readBody(request)
      calls.push((JSON.parse(body) as { action: string }).action)
      const answer = await fetch(`${mock.url}/__admin/provider-states`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
      response.writeHead(answer.status, { 'content-type': 'application/json' })
      response.end(await answer.text())
    }),
  )
  onTestFinished(() => states.close())

  const report = await verifyPacts({ providerBaseUrl: mock.url, providerStatesSetupUrl: states.url, only: 'to won' })

  expect(report.passed).toBe(true)
  expect(calls).toContain('setup')
  expect(calls).toContain('teardown')
  expect(report.notices.join('\n')).not.toContain('set up by the getraze-mock')
})
