// Provider verification of the committed pact: against the mock (the kit's conformance check),
// against providers that generate or accept ids (provider-state injection), and against a
// provider that drifts from the docs, whose every difference the report must name.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer } from 'node:http'
import { afterEach, expect, it } from 'vitest'
import { createExampleProvider } from '../../examples/provider/createExampleProvider.js'
import { runCli } from '../../src/cli/index.js'
import { formatDriftReport, verifyPacts } from '../../src/pact/index.js'
import type { VerificationReport } from '../../src/pact/index.js'
import { startDivergentProvider } from '../providers/createDivergentProvider.js'
import { startFakeBroker } from '../providers/startFakeBroker.js'
import { runVerifyCli } from './runVerifyCli.js'
import { listen as startProvider } from '../../src/verify/loopbackHttp.js'

const pactFile = join(import.meta.dirname, '../../pacts/getraze-stage-client-getraze-external-api.json')
const committedPact = () => JSON.parse(readFileSync(pactFile, 'utf8')) as { interactions: Array<Record<string, unknown>> }
const cleanups: Array<() => Promise<void>> = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

function row(report: VerificationReport, description: string) {
  const found = report.interactions.find((interaction) => interaction.description === description)
  if (!found) throw new Error(`no row for "${description}" in:\n${formatDriftReport(report)}`)
  return found
}

async function startExample(ids: 'generate' | 'accept') {
  const provider = createExampleProvider({ ids })
  const running = await startProvider(provider.server)
  cleanups.push(running.close)
  return { ...running, requests: provider.requests }
}

it('passes every interaction of the committed pact against the mock', async () => {
  const report = await verifyPacts({ pactUrls: [pactFile] })
  expect(report.interactions).toHaveLength(committedPact().interactions.length)
  expect(report.interactions.filter((interaction) => interaction.verdict !== 'passed')).toEqual([])
  expect(report.interactions.flatMap((interaction) => interaction.warnings)).toEqual([])
  expect(report.passed).toBe(true)
})

it('passes against a provider that generates its own ids, through provider-state injection', async () => {
  const provider = await startExample('generate')
  const report = await verifyPacts({
    pactUrls: [pactFile],
    providerBaseUrl: provider.url,
    providerStatesSetupUrl: `${provider.url}/_pact/provider-states`,
  })
  expect(formatDriftReport(report)).toContain('Verification passed.')
  expect(report.passed).toBe(true)
  // The ids in the paths were the provider's UUIDs, never the pact's example id.
  expect(provider.requests.length).toBe(report.interactions.length)
  expect(provider.requests.some((path) => path.includes('opp_abc123def456'))).toBe(false)
  expect(provider.requests.every((path) => /\/opportunities\/[0-9a-f-]{36}\/stage$/.test(path))).toBe(true)
})

it('passes against a provider that accepts the ids it is given', async () => {
  const provider = await startExample('accept')
  const report = await verifyPacts({
    pactUrls: [pactFile],
    providerBaseUrl: provider.url,
    providerStatesSetupUrl: `${provider.url}/_pact/provider-states`,
  })
  expect(report.passed).toBe(true)
  expect(provider.requests).toContain('/external/v1/opportunities/opp_abc123def456/stage')
})

it('fails against a drifting provider and names each difference with path, expected and actual', async () => {
  const provider = await startDivergentProvider()
  cleanups.push(provider.close)
  // In a child process: Pact's native core prints the failures it finds to stdout.
  const run = await runVerifyCli(['--pact', pactFile, '--provider-base-url', provider.url, '--provider-states-setup-url', `${provider.url}/_pact/provider-states`])
  const report = run.report!
  expect(report.passed).toBe(false)

  const notFound = row(report, 'a request for an opportunity that does not exist')
  expect(notFound.verdict).toBe('failed')
  expect(notFound.failures).toContainEqual(
    expect.objectContaining({ path: '$.error.code', expected: 'NOT_FOUND', actual: 'OPPORTUNITY_NOT_FOUND' }),
  )
  expect(notFound.warnings).toContainEqual(expect.objectContaining({ path: '$.error.code', message: 'undocumented error code "OPPORTUNITY_NOT_FOUND"' }))

  const won = row(report, 'a request to move an opportunity to won')
  expect(won.verdict).toBe('failed')
  expect(won.failures).toContainEqual(expect.objectContaining({ path: '$.data', message: 'missing won_at' }))
  expect(won.warnings).toContainEqual(expect.objectContaining({ path: '$.data', actual: ['deal_value', 'pipeline_id'] }))

  // The most telling difference first, then success, then the rest; the provider's answer shown.
  const lost = row(report, 'a request to move an opportunity to lost')
  expect(lost.failures.map((failure) => failure.path)).toEqual(['status', '$.success', '$'])
  expect(lost.failures[0]).toMatchObject({ expected: 200, actual: 400 })
  expect(lost.response).toMatchObject({ status: 400, errorCode: 'INVALID_STATUS', errorMessage: 'Status value is not valid' })
  expect(lost.request).toMatchObject({ method: 'PATCH', path: '/external/v1/opportunities/opp_abc123def456/stage', key: 'X-API-Key header', body: { status: 'lost' } })

  // Extra fields alone do not fail a pact; the report still shows them, in one warning.
  const open = row(report, 'a request to move an opportunity to an open status')
  expect(open.verdict).toBe('passed')
  expect(open.warnings).toEqual([
    {
      path: '$.data',
      expected: ['id', 'name', 'status', 'won_at', 'lost_at', 'updated_at'],
      actual: ['deal_value', 'pipeline_id'],
      message: "2 extra fields the docs' answer does not show; of the documented opportunity resource: deal_value; never mentioned in the docs: pipeline_id",
      category: 'documented-contract',
    },
  ])

  const text = formatDriftReport(report)
  expect(text).toContain('FAIL  a request for an opportunity that does not exist')
  expect(text).toContain('      answered 404 OPPORTUNITY_NOT_FOUND "Opportunity not found"\n      ✗ $.error.code: expected "NOT_FOUND", got "OPPORTUNITY_NOT_FOUND"')
  expect(text).toContain('      answered 400 INVALID_STATUS "Status value is not valid"\n      ✗ status: expected 200, got 400\n')
  expect(text).not.toContain('✗ -')
  expect(text).toContain('Verification failed: 3 of 10 interactions.')
})

it('fails an interaction whose provider state the kit does not know, naming the state', async () => {
  const pact = committedPact()
  const [interaction] = pact.interactions.filter((entry) => entry.description === 'a request without an API key')
  interaction!.providerStates = [{ name: 'a state nobody implements', params: {} }]
  const file = join(mkdtempSync(join(tmpdir(), 'getraze-verify-')), 'unknown-state.json')
  writeFileSync(file, JSON.stringify({ ...pact, interactions: [interaction] }))

  // In a child process: Pact's core logs the failing state change at ERROR to stdout.
  const run = await runVerifyCli(['--pact', file])
  expect(run.code).toBe(1)
  const report = run.report!
  expect(report.passed).toBe(false)
  expect(report.interactions[0]!.failures[0]).toEqual(
    expect.objectContaining({
      path: 'state "a state nobody implements"',
      message: expect.stringMatching(/^Failed to set up provider state "a state nobody implements": getraze-mock has no handler for it\. Use one of: "an opportunity exists"/),
    }),
  )
})

it('exits 1 from the CLI on drift, writes json and junit reports, and never prints header values', async () => {
  const provider = await startDivergentProvider()
  cleanups.push(provider.close)
  const dir = mkdtempSync(join(tmpdir(), 'getraze-report-'))
  const { code, output } = await runVerifyCli([
    '--pact', pactFile,
    '--provider-base-url', provider.url,
    '--provider-states-setup-url', `${provider.url}/_pact/provider-states`,
    '--header', 'X-Provider-Token: s3cr3t-value',
    '--report', `json=${join(dir, 'drift.json')}`,
    '--report', `junit=${join(dir, 'drift.xml')}`,
  ])
  const lines = [output]
  expect(code).toBe(1)
  expect(lines.join('\n')).not.toContain('s3cr3t-value')
  expect(provider.seenHeaders).toHaveLength(10)
  expect(provider.seenHeaders.every((headers) => headers['x-provider-token'] === 's3cr3t-value')).toBe(true)
  const json = JSON.parse(readFileSync(join(dir, 'drift.json'), 'utf8')) as VerificationReport
  expect(json.passed).toBe(false)
  expect(json.interactions).toHaveLength(10)
  const junit = readFileSync(join(dir, 'drift.xml'), 'utf8')
  expect(junit).toMatch(/<testsuite name="getraze-external-api" tests="10" failures="3" skipped="0" time="\d+\.\d{3}"/)
  expect(junit).toContain('<failure message="status: expected 200, got 400 (the provider answered 400 INVALID_STATUS &#34;Status value is not valid&#34;)">')
})

// Every committed pact, the kit's of every endpoint among them: a long run on a busy machine.
it('exits 0 from the CLI when the mock honours the pacts', async () => {
  const lines: string[] = []
  const code = await runCli(['verify'], { out: (line) => lines.push(line), err: (line) => lines.push(line) })
  expect(lines.join('\n')).toContain('Verification passed.')
  expect(code).toBe(0)
}, 120_000)

it('exits 2 on a usage error, naming the flag', async () => {
  const lines: string[] = []
  const code = await runCli(['verify', '--provider-states-setup-url', 'http://127.0.0.1:9/states'], {
    out: (line) => lines.push(line),
    err: (line) => lines.push(line),
  })
  expect(code).toBe(2)
  expect(lines).toEqual([
    'Failed to parse --provider-states-setup-url: given without --provider-base-url. The mock uses its built-in states; pass --provider-base-url to verify a real provider.',
  ])
})

it('fetches pacts from a Pact Broker and publishes the results with the options mapped to Pact', async () => {
  const broker = await startFakeBroker(committedPact(), 'getraze-external-api')
  cleanups.push(broker.close)
  const previousToken = process.env.PACT_BROKER_TOKEN
  process.env.PACT_BROKER_TOKEN = 'broker-token'
  cleanups.push(async () => {
    if (previousToken === undefined) delete process.env.PACT_BROKER_TOKEN
    else process.env.PACT_BROKER_TOKEN = previousToken
  })
  const lines: string[] = []
  const code = await runCli(
    [
      'verify',
      '--broker-url', broker.url,
      '--provider-version', '1.2.3',
      '--provider-branch', 'main',
      '--publish',
      '--consumer-version-selector', '{"mainBranch":true}',
      '--consumer-version-selector', '{"deployedOrReleased":true}',
      '--enable-pending',
      '--include-wip-pacts-since', '2024-01-01',
    ],
    { out: (line) => lines.push(line), err: (line) => lines.push(line) },
  )
  expect(lines.join('\n')).toContain('Verification passed.')
  expect(code).toBe(0)
  expect(broker.requests.every((request) => request.authorization === 'Bearer broker-token')).toBe(true)
  expect(broker.requests.find((request) => request.method === 'POST' && request.url.endsWith('/for-verification'))?.body).toEqual({
    consumerVersionSelectors: [{ mainBranch: true }, { deployedOrReleased: true }],
    includePendingStatus: true,
    includeWipPactsSince: '2024-01-01',
    providerVersionBranch: 'main',
  })
  expect(broker.requests.some((request) => request.method === 'PUT' && request.url === '/pacticipants/getraze-external-api/branches/main/versions/1.2.3')).toBe(true)
  const published = broker.requests.find((request) => request.url.startsWith('/pacts/1/verification-results'))
  expect(published?.body).toMatchObject({ providerApplicationVersion: '1.2.3', success: true })
})

it('asks the broker for main-branch and deployed or released pacts when no selector is given', async () => {
  const broker = await startFakeBroker(committedPact(), 'getraze-external-api')
  cleanups.push(broker.close)
  const lines: string[] = []
  const code = await runCli(['verify', '--broker-url', broker.url], { out: (line) => lines.push(line), err: (line) => lines.push(line) })
  expect(lines.join('\n')).toContain('Verification passed.')
  expect(code).toBe(0)
  const request = broker.requests.find((entry) => entry.method === 'POST' && entry.url.endsWith('/for-verification'))
  expect(request?.body).toMatchObject({ consumerVersionSelectors: [{ mainBranch: true }, { deployedOrReleased: true }] })
})

it('passes against the Express example provider and its own store', async () => {
  const { createExpressProvider } = await import('../../examples/provider/createExpressProvider.js')
  const running = await startProvider(createServer(createExpressProvider()))
  cleanups.push(running.close)
  const report = await verifyPacts({ pactUrls: [pactFile], providerBaseUrl: running.url, providerStatesSetupUrl: `${running.url}/_pact/provider-states` })
  expect(report.interactions.filter((interaction) => interaction.verdict !== 'passed')).toEqual([])
  expect(report.interactions.flatMap((interaction) => interaction.warnings)).toEqual([])
  expect(report.passed).toBe(true)
})

it('verifies a pact from a URL with credentials, and publishes the results through the same URL', async () => {
  const broker = await startFakeBroker(committedPact(), 'getraze-external-api')
  cleanups.push(broker.close)
  const withCredentials = broker.url.replace('http://', 'http://ci:pact-url-pw-7c1e@')
  const lines: string[] = []
  const code = await runCli(['verify', '--pact', `${withCredentials}/pacts/1`, '--provider-version', '2.0.0', '--publish', '--broker-url', broker.url], {
    out: (line) => lines.push(line),
    err: (line) => lines.push(line),
  })
  expect(lines.join('\n')).toContain('Verification passed.')
  expect(lines.join('\n')).not.toContain('pact-url-pw-7c1e')
  expect(code).toBe(0)
  expect(broker.requests.filter((request) => request.url === '/pacts/1').map((request) => request.authorization)).toContain(
    `Basic ${Buffer.from('ci:pact-url-pw-7c1e').toString('base64')}`,
  )
  // Both sources publish: the broker's pact and the one from the URL (a file copy would not).
  const published = broker.requests.filter((request) => request.url.startsWith('/pacts/1/verification-results'))
  expect(published.map((request) => request.authorization)).toContain(`Basic ${Buffer.from('ci:pact-url-pw-7c1e').toString('base64')}`)
  expect(published).toHaveLength(2)
})
