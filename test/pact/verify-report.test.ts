// The drift report a provider team acts on (issue 9): against a provider that behaves as the
// production provider was seen to behave, the text, JSON and JUnit reports show the cause of each
// difference; the JSON matches its published schema; state failures belong to their interaction;
// preflight stops a run that cannot say anything about drift.
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { afterEach, expect, it } from 'vitest'
import { createExampleProvider } from '../../examples/provider/createExampleProvider.js'
import { runCli } from '../../src/cli/index.js'
import { formatDriftReport, formatJUnitReport, verifyPacts } from '../../src/pact/index.js'
import type { VerificationReport } from '../../src/pact/index.js'
import { listPactFiles } from '../../src/verify/pactFiles.js'
import { listen } from '../../src/verify/loopbackHttp.js'
import { createRealisticProvider } from '../providers/createRealisticProvider.js'
import { runVerifyCli } from './runVerifyCli.js'
import type { RealisticProviderOptions } from '../providers/createRealisticProvider.js'

const root = join(import.meta.dirname, '../..')
const pactFile = join(root, 'pacts/getraze-stage-client-getraze-external-api.json')
/** Every pact the package ships, as verify lists them when it falls back to them. */
const shippedPacts = readdirSync(join(root, 'pacts'))
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((name) => join(root, 'pacts', name))
const schema = JSON.parse(readFileSync(join(root, 'schemas/verification-report.v1.schema.json'), 'utf8')) as object
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema)
const cleanups: Array<() => Promise<void>> = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function startRealistic(options: RealisticProviderOptions = {}) {
  const running = await listen(createRealisticProvider(options).server)
  cleanups.push(running.close)
  return running.url
}

// Verifications that fail on purpose run in a child process: Pact's native core prints its
// failures to stdout, which would read like broken tests in `npm test`.
async function verifyQuietly(args: string[]): Promise<VerificationReport> {
  const run = await runVerifyCli(args)
  if (!run.report) throw new Error(`verify wrote no report (exit ${run.code}):\n${run.output}`)
  return run.report
}

function row(report: VerificationReport, description: string) {
  const found = report.interactions.find((interaction) => interaction.description === description)
  if (!found) throw new Error(`no row for "${description}" in:\n${formatDriftReport(report)}`)
  return found
}

function block(text: string, description: string): string {
  const start = text.indexOf(`  ${description}\n`)
  if (start === -1) throw new Error(`no block for "${description}" in:\n${text}`)
  const rest = text.slice(start + description.length + 3)
  const end = rest.search(/^(PASS|FAIL|PEND)  |^$/m)
  return rest.slice(0, end === -1 ? undefined : end)
}

function expectValidReport(report: VerificationReport) {
  // Through JSON, as `--report json=` writes it.
  const written = JSON.parse(JSON.stringify(report)) as unknown
  const valid = validate(written)
  expect(validate.errors ?? []).toEqual([])
  expect(valid).toBe(true)
  // The schema is not vacuous: a report with a field the schema does not know fails.
  expect(validate({ ...(written as object), surprise: true })).toBe(false)
}

it('shows the newer provider answer under every failure: stage_id, codes, the missing Retry-After', async () => {
  const url = await startRealistic({ version: 'newer' })
  const report = await verifyQuietly(['--pact', pactFile, '--provider-base-url', url, '--provider-states-setup-url', `${url}/_pact/provider-states`])
  expect(report.totals).toEqual({ interactions: 10, passed: 3, failed: 7, pending: 0, withWarnings: 1 })
  const text = formatDriftReport(report)
  expect(text).not.toMatch(/✗ -/)

  const won = block(text, 'a request to move an opportunity to won')
  expect(won).toMatch(/sent {5}PATCH \/external\/v1\/opportunities\/[0-9a-f-]{36}\/stage \(key in X-API-Key header\) \{"status":"won"\}\n/)
  expect(won).toContain('answered 400 VALIDATION_ERROR "stage_id is required"\n      ✗ status: expected 200, got 400\n      ✗ $.success: expected true, got false\n')
  expect(row(report, 'a request to move an opportunity to won').failures.map((failure) => failure.path)).toEqual(['status', '$.success', '$'])

  expect(block(text, 'a request with a status that is not valid')).toContain('✗ $.error.code: expected "INVALID_STATUS", got "VALIDATION_ERROR"')
  expect(block(text, 'a request for an opportunity that does not exist')).toContain('answered 400 VALIDATION_ERROR "stage_id is required"\n      ✗ status: expected 404, got 400')
  expect(block(text, 'a request with an expired API key')).toContain(
    'answered 401 INVALID_API_KEY "Invalid or expired API key."\n      ✗ $.error.code: expected "EXPIRED_API_KEY", got "INVALID_API_KEY"',
  )
  const limited = block(text, 'a request after the API key has used its hourly rate limit')
  expect(limited).toContain('✗ header Retry-After: expected digits, e.g. 3600, got no such header')
  expect(limited).not.toContain('! header retry-after')
  expect(block(text, 'a request with an API key that lacks opportunities:write')).toContain(
    "! $.error: 2 extra fields the docs' answer does not show; never mentioned in the docs: required_permission, current_permissions",
  )

  expectValidReport(report)
  const json = row(report, 'a request to move an opportunity to won')
  expect(json.response).toMatchObject({ status: 400, errorCode: 'VALIDATION_ERROR', errorMessage: 'stage_id is required' })
  expect(json.failures[0]).toEqual({ path: 'status', expected: 200, actual: 400, message: 'expected 200 but was 400', category: 'pact' })
  expect(json.states[1]).toMatchObject({ name: 'an opportunity exists', params: { id: 'opp_abc123def456', name: 'John Doe', status: 'negotiation' }, error: null })
  expect((json.states[1]!.answer as { id: string }).id).toMatch(/^[0-9a-f-]{36}$/)

  // Each cause in the JSON: the provider's code and message, the extra 403 fields, the missing header.
  expect(row(report, 'a request with an expired API key').response).toMatchObject({ status: 401, errorCode: 'INVALID_API_KEY', errorMessage: 'Invalid or expired API key.' })
  expect(row(report, 'a request with a status that is not valid').failures[0]).toEqual({ path: '$.error.code', expected: 'INVALID_STATUS', actual: 'VALIDATION_ERROR', message: expect.any(String), category: 'pact' })
  expect(row(report, 'a request with an API key that lacks opportunities:write').warnings).toEqual([
    expect.objectContaining({ path: '$.error', actual: ['required_permission', 'current_permissions'] }),
  ])
  expect(row(report, 'a request after the API key has used its hourly rate limit').failures).toContainEqual(
    expect.objectContaining({ path: 'header Retry-After', expected: 'digits, e.g. 3600', actual: null }),
  )

  // And in the JUnit file: the most telling difference with the provider's answer.
  const junit = formatJUnitReport(report)
  expect(junit).toContain('failure message="status: expected 200, got 400 (the provider answered 400 VALIDATION_ERROR &#34;stage_id is required&#34;)"')
  expect(junit).toContain('failure message="$.error.code: expected &#34;EXPIRED_API_KEY&#34;, got &#34;INVALID_API_KEY&#34; (the provider answered 401 INVALID_API_KEY &#34;Invalid or expired API key.&#34;)"')
  expect(junit).toContain('failure message="$.error.code: expected &#34;INVALID_STATUS&#34;, got &#34;VALIDATION_ERROR&#34; (the provider answered 400 VALIDATION_ERROR &#34;stage_id is required&#34;)"')
  expect(junit).toContain('✗ header Retry-After: expected digits, e.g. 3600, got no such header')
  expect(junit).toContain('<system-out>$.error: 2 extra fields the docs&#39; answer does not show; never mentioned in the docs: required_permission, current_permissions</system-out>')
  expect(junit).toMatch(/name="a request to move an opportunity to won \[given an API key exists and an opportunity exists\]" time="\d+\.\d{3}"/)
})

it('shows the older provider vocabulary, its whole row as one grouped warning and PostgreSQL timestamps', async () => {
  const url = await startRealistic({ version: 'older' })
  const report = await verifyQuietly(['--pact', pactFile, '--provider-base-url', url, '--provider-states-setup-url', `${url}/_pact/provider-states`])
  expect(report.totals.passed).toBe(6)
  const text = formatDriftReport(report)
  expect(block(text, 'a request to move an opportunity to an open status')).toContain(
    'answered 400 VALIDATION_ERROR "status must be one of: leads, invite_sent, accepted, qualifying, qualified, discarded, scheduled, won, lost"',
  )
  const won = row(report, 'a request to move an opportunity to won')
  expect(won.verdict).toBe('passed')
  // won_at with milliseconds and lost_at: null are what the pact and the docs allow.
  expect(won.warnings.map((warning) => warning.path)).toEqual(['$', '$.data.created_at', '$.data'])
  expect(won.warnings[2]!.message).toMatch(/^35 extra fields the docs' answer does not show; of the documented opportunity resource: email, phone, company, .*; never mentioned in the docs: account_id, title, /)
  expect(won.warnings[1]).toEqual({
    path: '$.data.created_at',
    expected: 'a UTC timestamp such as 2024-01-25T10:00:00Z',
    actual: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d+\+00$/),
    message: 'not a UTC timestamp in the documented form',
    category: 'documented-contract',
  })
  expect(won.warnings[0]).toMatchObject({ path: '$', actual: ['stage_change'] })
  expectValidReport(report)
})

it('says which id a state created and which one a pact with literal ids sent', async () => {
  const url = await startRealistic({ version: 'older' })
  const pact = JSON.parse(readFileSync(pactFile, 'utf8')) as { interactions: Array<{ request: Record<string, unknown>; response: Record<string, unknown> }> }
  for (const interaction of pact.interactions) {
    delete interaction.request.generators
    delete interaction.response.generators
  }
  const file = join(mkdtempSync(join(tmpdir(), 'getraze-literal-')), 'literal.json')
  writeFileSync(file, JSON.stringify(pact))
  const report = await verifyQuietly(['--pact', file, '--provider-base-url', url, '--provider-states-setup-url', `${url}/_pact/provider-states`, '--only', 'to won'])
  const won = row(report, 'a request to move an opportunity to won')
  expect(won.response).toMatchObject({ status: 500, errorCode: 'INTERNAL_ERROR' })
  expect(won.diagnoses).toEqual([
    expect.stringMatching(
      /^The state "an opportunity exists" created id "[0-9a-f-]{36}", but the request went to id "opp_abc123def456": the pact's path has a literal id\. The pact needs provider-state injection/,
    ),
  ])
  expect(formatDriftReport(report)).toContain('      ? The state "an opportunity exists" created id')
})

it('passes a provider that follows the docs, with no warning about what the docs allow', async () => {
  const running = await listen(createExampleProvider({ ids: 'generate' }).server)
  cleanups.push(running.close)
  const report = await verifyPacts({ pactUrls: [pactFile], providerBaseUrl: running.url, providerStatesSetupUrl: `${running.url}/_pact/provider-states` })
  expect(report.passed).toBe(true)
  expect(report.interactions.flatMap((interaction) => interaction.warnings)).toEqual([])
  expectValidReport(report)
})

it('attributes each failing state to its own interaction', async () => {
  // A state endpoint that fails two key states (Pact retries each for about a second).
  const failing = new Set(['an API key has expired', 'an API key has been revoked'])
  const server = createServer(async (request, response) => {
    let text = ''
    for await (const chunk of request) text += chunk
    const call = JSON.parse(text || '{}') as { state?: string }
    const fails = failing.has(call.state ?? '')
    response.writeHead(fails ? 503 : 200, { 'content-type': 'application/json' }).end(fails ? '{"error":"database is down"}' : '{}')
  })
  const states = await listen(server)
  cleanups.push(states.close)
  const url = await startRealistic()
  // In a child process: Pact's core logs each failing state change at ERROR to stdout.
  const run = await runVerifyCli(['--pact', pactFile, '--provider-base-url', url, '--provider-states-setup-url', states.url])
  expect(run.code).toBe(1)
  const report = run.report!
  for (const interaction of report.interactions) {
    const failedStates = interaction.failures.filter((failure) => failure.path.startsWith('state '))
    const expected = interaction.states.filter((state) => failing.has(state.name)).map((state) => `state "${state.name}"`)
    expect(failedStates.map((failure) => failure.path)).toEqual(expected)
    if (expected.length === 0) continue
    expect(interaction.failures[0]!.message).toContain("the provider's state endpoint answered 503: database is down.")
    expect(interaction.failures.some((failure) => failure.path === 'verification')).toBe(false)
    expect(interaction.request).toBeNull()
  }
  expect(report.interactions.filter((interaction) => interaction.failures.some((failure) => failure.path.startsWith('state ')))).toHaveLength(2)
  expect(run.output).toContain('sent     nothing: the request was not sent to the provider')
})

it('exits 2 before Pact runs when the provider is not answering, or the state endpoint refuses the empty state', async () => {
  const lines: string[] = []
  const io = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) }
  const closed = await listen(createServer())
  await closed.close()
  expect(await runCli(['verify', '--provider-base-url', closed.url], io)).toBe(2)
  expect(lines).toEqual([`Failed to verify: the provider at ${closed.url} is not answering (ECONNREFUSED). Start the provider, or fix --provider-base-url.`])

  lines.length = 0
  const url = await startRealistic()
  expect(await runCli(['verify', '--provider-base-url', url, '--provider-states-setup-url', `${url}/wrong-path`], io)).toBe(2)
  expect(lines).toEqual([
    `Failed to verify: the provider-state endpoint at ${url}/wrong-path answered 404 (Route not found) to the empty-state call POST {"state":"","params":{},"action":"setup"}. Check the path in --provider-states-setup-url: nothing answers state changes there (the README's example provider serves /_pact/provider-states).`,
  ])
})

it('says first and plainly that states will not be set up without a state endpoint', async () => {
  const url = await startRealistic()
  const run = await runVerifyCli(['--pact', pactFile, '--provider-base-url', url])
  expect(run.code).toBe(1)
  // stderr and stdout are one stream here; the note comes before Pact's own output.
  expect(run.output.split('\n')[0]).toBe(
    'Note: 10 of 10 interactions use provider states, but no --provider-states-setup-url was given: they run against whatever data the provider has, so their failures are likely missing data, not drift. Pass --provider-states-setup-url (see "A provider team\'s guide" in the README).',
  )
})

it('runs a subset with --only and --state, and lists interactions with --list', async () => {
  const lines: string[] = []
  const io = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) }
  expect(await runCli(['verify', '--pact', pactFile, '--list', '--state', 'an API key has expired'], io)).toBe(0)
  expect(lines).toEqual([
    [
      `${pactFile} (consumer getraze-stage-client)`,
      '  a request with an expired API key',
      '      given an API key has expired {"key":"gr_test_pact_expired"}',
      '      given an opportunity exists {"id":"opp_abc123def456","name":"John Doe","status":"negotiation"}',
      '1 interaction',
    ].join('\n'),
  ])
  const report = await verifyPacts({ pactUrls: [pactFile], only: 'API KEY' })
  expect(report.interactions.map((interaction) => interaction.description)).toEqual([
    'a request after the API key has used its hourly rate limit',
    'a request with a revoked API key',
    'a request with an API key that lacks opportunities:write',
    'a request with an expired API key',
    'a request without an API key',
  ])
  expect(report.passed).toBe(true)
  lines.length = 0
  expect(await runCli(['verify', '--pact', pactFile, '--only', 'nothing like this'], io)).toBe(2)
  expect(lines).toHaveLength(1)
  expect(lines[0]).toMatch(/^Failed to select interactions: --only "nothing like this" matches none of the 10 interactions in 1 pact file\. They are "a request after/)
})

// Every pact the package ships, the kit's of every endpoint among them: a long run on a busy machine.
it('verifies the pact the package ships when the folder has no pacts/, and says which file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'getraze-no-pacts-'))
  const child = spawn(process.execPath, [join(root, 'bin/getraze-mock.js'), 'verify'], { cwd: dir, env: { ...process.env, PACT_DO_NOT_TRACK: 'true' } })
  let output = ''
  child.stdout.on('data', (chunk) => (output += chunk))
  child.stderr.on('data', (chunk) => (output += chunk))
  const code = await new Promise((resolve) => child.on('close', resolve))
  expect(output).toContain(`Note: No pacts/ folder here: verifying the ${shippedPacts.length} pacts shipped with getraze-mock, ${shippedPacts.join(', ')}.`)
  expect(output).toContain('Verification passed.')
  expect(code).toBe(0)
  // Every interaction of every shipped pact is verified: bounded work, longer than the default 30 s on a busy machine.
}, 180_000)

it('says so when a provider answers 500 for the pact example id a state answered back', async () => {
  // A state endpoint that answers the pact's own ids back, in front of the realistic provider.
  const url = await startRealistic({ version: 'older' })
  const server = createServer(async (request, response) => {
    let text = ''
    for await (const chunk of request) text += chunk
    const call = JSON.parse(text || '{}') as { state?: string; params?: { id?: string } }
    await fetch(`${url}/_pact/provider-states`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: text })
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(call.state === 'no opportunity exists' ? { id: call.params?.id } : {}))
  })
  const states = await listen(server)
  cleanups.push(states.close)
  const report = await verifyQuietly(['--pact', pactFile, '--provider-base-url', url, '--provider-states-setup-url', states.url, '--only', 'does not exist'])
  const [notFound] = report.interactions
  expect(notFound!.response).toMatchObject({ status: 500, errorCode: 'INTERNAL_ERROR' })
  expect(notFound!.diagnoses).toEqual([
    'The provider answered 500 for id "opp_doesnotexist", the pact\'s example id, which the state "no opportunity exists" answered back: a provider that only knows ids of its own form (UUIDs, say) may fail on it. The state should create or pick an id in the provider\'s own form and answer { "id": "..." }, and the pact should take the path\'s id from the state (provider-state injection).',
  ])
})
