// Issue 18, items 1-8: what field tests of `getraze-mock verify` got wrong. Each test runs the
// built CLI in a child process (as a provider team does) and reads what it printed and wrote.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { afterEach, expect, it, onTestFinished } from 'vitest'
import { createExampleProvider } from '../../examples/provider/createExampleProvider.js'
import { buildReport } from '../../src/verify/buildReport.js'
import { createExchangeRecorder } from '../../src/verify/createExchangeRecorder.js'
import { formatDriftReport } from '../../src/verify/formatDriftReport.js'
import type { VerificationReport } from '../../src/pact/index.js'
import { listen } from '../../src/verify/loopbackHttp.js'
import { listPactFiles, preparePact } from '../../src/verify/pactFiles.js'
import type { PactFile, PlannedInteraction } from '../../src/verify/pactFiles.js'
import { reviewInteraction } from '../../src/consumer/reviewPact.js'
import { createRealisticProvider } from '../providers/createRealisticProvider.js'
import type { RealisticProviderOptions } from '../providers/createRealisticProvider.js'
import { runVerifyProcess } from '../pact/runVerifyCli.js'
import { writeTempFiles } from '../support/tempFiles.js'

const root = join(import.meta.dirname, '../..')
const pactFile = join(root, 'pacts/getraze-stage-client-getraze-external-api.json')
/** Every pact the package ships, as verify lists them when it falls back to them. */
const shippedPacts = readdirSync(join(root, 'pacts'))
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((name) => join(root, 'pacts', name))
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>
const committed = () => JSON.parse(readFileSync(pactFile, 'utf8')) as { interactions: Json[]; [key: string]: unknown }
const schema = JSON.parse(readFileSync(join(root, 'schemas/verification-report.v1.schema.json'), 'utf8')) as object
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema)
const cleanups: Array<() => Promise<void>> = []
// eslint-disable-next-line no-control-regex
const ansi = /\u001b\[/

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function startRealistic(options: RealisticProviderOptions = {}) {
  const running = await listen(createRealisticProvider(options).server)
  cleanups.push(running.close)
  return running.url
}

const verify = (args: string[], cwd = root) => runVerifyProcess(args, { cwd })

function expectValid(report: unknown) {
  validate(report)
  expect(validate.errors ?? []).toEqual([])
}

function row(report: VerificationReport, description: string) {
  const found = report.interactions.find((interaction) => interaction.description === description)
  if (!found) throw new Error(`no row for "${description}" in:\n${formatDriftReport(report)}`)
  return found
}

// Item 1
it('reports the path really sent under a base URL with a path, diagnoses the doubled prefix and summarises an HTML 404 page', async () => {
  const example = await listen(createExampleProvider({ ids: 'generate' }).server)
  cleanups.push(example.close)
  // An Express-like front: its own HTML 404 page for any path it does not serve.
  const front = await listen(
    createServer(async (request, response) => {
      let body = ''
      for await (const chunk of request) body += chunk
      if (!/^\/(external\/v1\/opportunities\/[^/]+\/stage|_pact\/provider-states)$/.test(request.url ?? '')) {
        response.writeHead(404, { 'content-type': 'text/html; charset=utf-8' })
        response.end(`<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot ${request.method} ${request.url}</pre>\n</body>\n</html>\n`)
        return
      }
      const answer = await fetch(`${example.url}${request.url}`, { method: request.method, headers: request.headers as Record<string, string>, body: body || undefined })
      response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(await answer.text())
    }),
  )
  cleanups.push(front.close)
  const [json] = writeTempFiles({ 'drift.json': '' })
  const run = await verify(['--pact', pactFile, '--only', 'to won', '--provider-base-url', `${front.url}/external/v1`, '--provider-states-setup-url', `${front.url}/_pact/provider-states`, '--report', `json=${json}`])
  const report = JSON.parse(readFileSync(json!, 'utf8')) as VerificationReport
  const won = row(report, 'a request to move an opportunity to won')
  expect(won.request!.path).toMatch(/^\/external\/v1\/external\/v1\/opportunities\/[0-9a-f-]{36}\/stage$/)
  expect(run.stderr).toContain(
    `Note: The base URL ${front.url}/external/v1 ends with /external/v1, and the pacts' paths start with it too, so requests go to /external/v1/external/v1/opportunities/opp_abc123def456/stage: drop /external/v1 from --provider-base-url.`,
  )
  expect(won.diagnoses[0]).toBe(
    `The request went to ${won.request!.path}: the base URL already ends with /external/v1, and the pact's path starts with it. Drop /external/v1 from --provider-base-url.`,
  )
  expect(run.stdout).toContain(`      sent     PATCH ${won.request!.path} (key in X-API-Key header) {"status":"won"}`)
  expect(run.stdout).toContain(`      answered 404 an HTML page: "Error: Cannot PATCH ${won.request!.path}"`)
  expect(run.stdout).not.toContain('<!DOCTYPE')
  expect(run.code).toBe(1)
})

// Item 2, and item 7's repeated setup-failure message
it('blames a failed setup of a state on the earlier interaction whose teardown was skipped, in words that do not repeat', async () => {
  const url = await startRealistic({ version: 'older', keyWrites: 'insert' })
  const pact = committed()
  const won = pact.interactions.find((interaction) => interaction.description === 'a request to move an opportunity to won')!
  const broken = structuredClone(won)
  broken.description = 'a request that comes first, with a state that fails'
  broken.providerStates[1].params.status = 'no-such-status'
  pact.interactions = [broken, structuredClone(won)]
  const [file, json] = writeTempFiles({ 'pact.json': pact, 'drift.json': '' })
  const run = await verify(['--pact', file!, '--provider-base-url', url, '--provider-states-setup-url', `${url}/_pact/provider-states`, '--report', `json=${json}`])
  const report = JSON.parse(readFileSync(json!, 'utf8')) as VerificationReport
  const second = row(report, 'a request to move an opportunity to won')
  expect(second.failures[0]).toEqual({
    path: 'state "an API key exists"',
    expected: 'set up',
    actual: null,
    message: 'Failed to set up provider state "an API key exists": the provider\'s state endpoint answered 500: duplicate key value violates unique constraint "api_keys_pkey".',
    category: 'provider-state',
  })
  expect(second.diagnoses[0]).toBe(
    'The state "an API key exists" most likely failed because of an earlier failure: the teardown of "a request that comes first, with a state that fails" did not run because its setup of "an opportunity exists" failed (Pact skips the teardown after a failed setup), so what its "an API key exists" set up was still there. Fix that setup first, and make every setup idempotent (an upsert), as the README\'s provider guide shows.',
  )
  const first = row(report, 'a request that comes first, with a state that fails')
  expect(first.failures[0]!.message).toMatch(/^Failed to set up provider state "an opportunity exists": the provider's state endpoint answered 400: param "status" /)
  expect(first.failures[0]!.message.match(/Failed to set up/g)).toHaveLength(1)
  expect(run.code).toBe(1)
})

// Item 3
// It verifies the shipped pacts, the kit's of every endpoint among them: a long run on a busy machine.
it("uses only pacts for the verified provider from pacts/, says which it skipped, and falls back to the shipped pact", async () => {
  const billing = { consumer: { name: 'invoice-ui' }, provider: { name: 'billing-service' }, interactions: [{ description: 'a request for invoices', request: { method: 'GET', path: '/invoices' }, response: { status: 200 } }], metadata: { pactSpecification: { version: '3.0.0' } } }
  const dir = mkdtempSync(join(tmpdir(), 'getraze-pacts-folder-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  mkdirSync(join(dir, 'pacts'))
  writeFileSync(join(dir, 'pacts/invoice-ui-billing-service.json'), JSON.stringify(billing))
  const only = await verify([], dir)
  expect(only.stderr).toContain(
    `Note: pacts/ here has no pact for getraze-external-api (skipped ${join(dir, 'pacts/invoice-ui-billing-service.json')} (provider "billing-service")): verifying the ${shippedPacts.length} pacts shipped with getraze-mock, ${shippedPacts.join(', ')}.`,
  )
  expect(only.stdout).toContain('Verification passed.')
  expect(only.code).toBe(0)

  writeFileSync(join(dir, 'pacts/getraze-stage-client-getraze-external-api.json'), readFileSync(pactFile))
  const both = await verify([], dir)
  expect(both.stderr).toContain(
    `Note: Skipped 1 pact from pacts/ for other providers: ${join(dir, 'pacts/invoice-ui-billing-service.json')} (provider "billing-service"). Verifying ${join(dir, 'pacts/getraze-stage-client-getraze-external-api.json')}.`,
  )
  expect(both.stdout).toContain(`Pacts: ${join(dir, 'pacts/getraze-stage-client-getraze-external-api.json')}\n`)
  expect(both.code).toBe(0)

  const other = await verify(['--provider', 'orders-service'], dir)
  expect(other.stderr.trim()).toBe(
    `Failed to verify orders-service: none of the pacts from pacts/ is for it (${join(dir, 'pacts/getraze-stage-client-getraze-external-api.json')} (provider "getraze-external-api"), ${join(dir, 'pacts/invoice-ui-billing-service.json')} (provider "billing-service")). Pass --pact with a pact for orders-service, or --provider NAME to verify another provider.`,
  )
  expect(other.code).toBe(2)
  // Every interaction of every shipped pact is verified: bounded work, longer than the default 30 s on a busy machine.
}, 180_000)

// Item 4
it('reviews a pact whose interactions send a key no state creates, and a literal not-found id', () => {
  const pact = committed()
  const noKeyState = structuredClone(pact.interactions.find((interaction) => interaction.description === 'a request to move an opportunity to won')!)
  noKeyState.providerStates = noKeyState.providerStates.filter((state: { name: string }) => state.name !== 'an API key exists')
  expect(reviewInteraction(noKeyState)).toEqual([
    {
      path: 'states',
      expected: 'a state that creates the API key ("an API key exists")',
      actual: ['an opportunity exists'],
      message: 'sends an API key no state creates; a provider answers 401 unless a state creates the key',
      category: 'pact-review',
    },
  ])
  const notFound = structuredClone(pact.interactions.find((interaction) => interaction.description === 'a request for an opportunity that does not exist')!)
  notFound.providerStates = notFound.providerStates.filter((state: { name: string }) => state.name !== 'no opportunity exists')
  delete notFound.request.generators
  expect(reviewInteraction(notFound)).toEqual([
    {
      path: 'request path',
      expected: 'the id the state "no opportunity exists" answers with (fromProviderState)',
      actual: 'opp_doesnotexist',
      message: 'literal id for an opportunity that must not exist; a provider whose ids have another form (UUIDs) may answer 400 or 500, not 404',
      category: 'pact-review',
    },
  ])
})

it('fails both pacts with --strict against the mock, which they pass otherwise', async () => {
  const pact = committed()
  const won = structuredClone(pact.interactions.find((interaction) => interaction.description === 'a request to move an opportunity to won')!)
  won.providerStates = won.providerStates.filter((state: { name: string }) => state.name !== 'an API key exists')
  const notFound = structuredClone(pact.interactions.find((interaction) => interaction.description === 'a request for an opportunity that does not exist')!)
  notFound.providerStates = notFound.providerStates.filter((state: { name: string }) => state.name !== 'no opportunity exists')
  delete notFound.request.generators
  const [noKey, literal] = writeTempFiles({ 'no-key.json': { ...pact, interactions: [won] }, 'literal.json': { ...pact, interactions: [notFound] } })
  for (const file of [noKey!, literal!]) {
    const run = await verify(['--pact', file, '--strict'])
    expect(run.stdout).toContain('✗ pact review: ')
    expect(run.stdout).toContain('Verification failed: 1 of 1 interaction.')
    expect(run.code).toBe(1)
  }
})

// Item 5
it('writes the JSON and JUnit reports when preflight fails, with the preflight failure as the cause', async () => {
  const closed = await listen(createServer())
  await closed.close()
  const [json, junit] = writeTempFiles({ 'drift.json': '', 'drift.xml': '' })
  const run = await verify(['--provider-base-url', closed.url, '--report', `json=${json}`, '--report', `junit=${junit}`])
  const message = `Failed to verify: the provider at ${closed.url} is not answering (ECONNREFUSED). Start the provider, or fix --provider-base-url.`
  expect(run.stderr).toContain(message)
  expect(run.code).toBe(2)
  const report = JSON.parse(readFileSync(json!, 'utf8')) as VerificationReport
  expectValid(report)
  expect(report).toMatchObject({ passed: false, target: closed.url, interactions: [], failure: { stage: 'preflight', code: 'PREFLIGHT_FAILED', message } })
  const xml = readFileSync(junit!, 'utf8')
  expect(xml).toContain('tests="1" failures="1"')
  expect(xml).toContain(`<failure message="${message.replace(/'/g, '&#39;')}">`)
})

// Item 6
it('checks --report paths before the run, and writes json=- to standard output', async () => {
  const [file] = writeTempFiles({ 'a-file': 'x' })
  const folder = join(file!, '..')
  const toFolder = await verify(['--report', `json=${folder}`])
  expect(toFolder.stderr.trim()).toBe(`Failed to parse --report: "json=${folder}" names a folder. Name a file in it, e.g. --report json=${join(folder, 'report.json')}.`)
  expect(toFolder.stdout).toBe('')
  expect(toFolder.code).toBe(2)

  const underFile = await verify(['--report', `junit=${file}/drift.xml`])
  expect(underFile.stderr.trim()).toBe(`Failed to parse --report: "junit=${file}/drift.xml" is inside ${file}, which is a file. Pass a path in a folder.`)
  expect(underFile.code).toBe(2)

  const toStdout = await verify(['--pact', pactFile, '--report', 'json=-'])
  const report = JSON.parse(toStdout.stdout) as VerificationReport
  expectValid(report)
  expect(report.passed).toBe(true)
  expect(toStdout.stderr).toContain('Verification passed.')
  expect(toStdout.code).toBe(0)
})

// Item 7
// Five runs of the CLI in child processes.
it('words the report and its errors for people: one interaction, no-match filters, report formats, quoted values, header matchers, state 404s', async () => {
  const one = await verify(['--pact', pactFile, '--only', 'to won'])
  expect(one.stdout).toMatch(/\n1 interaction: 1 passed, 0 failed, 0 with warnings/)

  const noState = await verify(['--pact', pactFile, '--state', 'a planet exists'])
  expect(noState.stderr.trim()).toBe(
    'Failed to select interactions: --state "a planet exists" matches none of the 10 interactions in 1 pact file. The states they use are "an API key has used its hourly rate limit", "an opportunity exists", "an API key exists", "no opportunity exists", "an API key has been revoked", "an API key has expired". Run getraze-mock verify --list to see each with its states.',
  )
  expect(noState.code).toBe(2)

  const xml = await verify(['--report', 'xml=foo.xml'])
  expect(xml.stderr.trim()).toBe('Failed to parse --report: "xml" is not a report format; the formats are json and junit. Pass --report json=FILE or --report junit=FILE (FILE - is standard output).')

  const url = await startRealistic({ version: 'older' })
  const limited = await verify(['--pact', pactFile, '--only', 'hourly rate limit', '--provider-base-url', url, '--provider-states-setup-url', `${url}/_pact/provider-states`])
  expect(limited.stdout).toContain('✗ header Retry-After: expected digits, e.g. 3600, got no such header')

  const missing = await verify(['--pact', pactFile, '--provider-base-url', url, '--provider-states-setup-url', `${url}/_pact/states`])
  expect(missing.stderr.trim()).toBe(
    `Failed to verify: the provider-state endpoint at ${url}/_pact/states answered 404 (Route not found) to the empty-state call POST {"state":"","params":{},"action":"setup"}. Check the path in --provider-states-setup-url: nothing answers state changes there (the README's example provider serves /_pact/provider-states).`,
  )
}, 120_000)

it('quotes an exact expected string, and gives every failure and warning a category', () => {
  const planned: PlannedInteraction[] = []
  const pact = committed()
  const won = structuredClone(pact.interactions.find((interaction) => interaction.description === 'a request to move an opportunity to won')!)
  delete won.response.generators
  preparePact({ ...pact, interactions: [won] } as PactFile, 'pact.json', {}, planned)
  const label = 'Verifying a pact between getraze-stage-client and getraze-external-api Given an API key exists And an opportunity exists - a request to move an opportunity to won'
  const recorder = createExchangeRecorder()
  recorder.exchange({ method: 'PATCH', path: '/external/v1/opportunities/opp_abc123def456/stage', status: 200, headers: {}, body: '{"success":true,"data":{"id":"opp_abc123def456","name":"Jane Roe","status":"won"}}' })
  const report = buildReport(
    {
      result: false,
      interactionResults: [{ description: won.description, result: 'Failed' }],
      errors: [{ interaction: label, mismatch: { type: 'mismatches', mismatches: [{ type: 'BodyMismatch', path: '$.data.name', expected: '"John Doe"', actual: '"Jane Roe"', mismatch: "Expected 'Jane Roe' to be equal to 'John Doe'" }] } }],
    },
    planned,
    recorder,
    { provider: 'getraze-external-api', target: 'x', pactSources: [], kitVersion: '0', startedAt: new Date(0), durationMs: 1, notices: [], statesSetUp: true, strict: false },
  )
  const text = formatDriftReport(report)
  expect(text).toContain('✗ $.data.name: expected "John Doe", got "Jane Roe"')
  expect(text).toContain('! pact review: $.data.id: expected the id the provider state answers with (fromProviderState), got "opp_abc123def456"')
  const [interaction] = report.interactions
  expect(interaction!.failures.map((failure) => failure.category)).toEqual(['pact'])
  expect(new Set(interaction!.warnings.map((warning) => warning.category))).toEqual(new Set(['pact-review', 'documented-contract']))
  expect(interaction!.warnings.some((warning) => warning.message.startsWith('pact review:'))).toBe(false)
  expectValid(JSON.parse(JSON.stringify(report)))
})

// Item 8
it("keeps Pact's own output out of the default output, and gives it without colour at debug and in --pact-log", async () => {
  const url = await startRealistic({ version: 'newer' })
  const [log] = writeTempFiles({ 'pact.log': '' })
  const args = ['--pact', pactFile, '--provider-base-url', url, '--provider-states-setup-url', `${url}/_pact/provider-states`]
  const quiet = await verify(args)
  const everything = quiet.stdout + quiet.stderr
  expect(everything).not.toMatch(ansi)
  expect(everything).not.toContain('Verifying a pact between')
  expect(quiet.stdout.split('\n')[0]).toBe(`Drift report: getraze-external-api at ${url}`)
  expect(quiet.code).toBe(1)

  const debug = await verify([...args, '--log-level', 'debug', '--pact-log', log!])
  expect(debug.stderr).toContain('Verifying a pact between getraze-stage-client and getraze-external-api')
  expect(debug.stderr).toMatch(/ DEBUG /)
  expect(debug.stderr + debug.stdout).not.toMatch(ansi)
  const written = readFileSync(log!, 'utf8')
  expect(written).toContain('Verifying a pact between getraze-stage-client and getraze-external-api')
  expect(written).not.toMatch(ansi)
  expect(debug.stdout.split('\n')[0]).toBe(`Drift report: getraze-external-api at ${url}`)
})
