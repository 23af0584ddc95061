// Provider verification of the kit's own pact of the whole API (pacts/getraze-kit-...json,
// written by kit.pact.test.ts): against the mock, through `getraze-mock verify` itself, and
// against both example providers, which generate their own ids and were written from the docs.
import { createServer } from 'node:http'
import { join } from 'node:path'
import { readFileSync } from 'node:fs'
import { afterEach, expect, it } from 'vitest'
import { createExampleProvider } from '../../examples/provider/createExampleProvider.js'
import { createExpressProvider } from '../../examples/provider/createExpressProvider.js'
import { endpoints } from '../../src/contract/endpoints.js'
import { compileRoutes } from '../../src/core/matchRoute.js'
import { formatDriftReport, verifyPacts } from '../../src/pact/index.js'
import type { VerificationReport } from '../../src/pact/index.js'
import { listen } from '../../src/verify/loopbackHttp.js'
import { runVerifyCli } from './runVerifyCli.js'

const pactFile = join(import.meta.dirname, '../../pacts/getraze-kit-getraze-external-api.json')
const pact = () => JSON.parse(readFileSync(pactFile, 'utf8')) as { interactions: Array<{ request: { method: string; path: string } }> }
const cleanups: Array<() => Promise<void>> = []
/** A verification of every interaction of every endpoint: long on a busy machine. */
const long = 180_000

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

function expectPassed(report: VerificationReport): void {
  expect(report.interactions.filter((interaction) => interaction.verdict !== 'passed'), formatDriftReport(report)).toEqual([])
  expect(report.interactions.flatMap((interaction) => interaction.warnings)).toEqual([])
  expect(report.interactions).toHaveLength(pact().interactions.length)
  expect(report.passed).toBe(true)
}

it('covers every endpoint', () => {
  const route = compileRoutes(endpoints)
  const covered = new Set(pact().interactions.map(({ request }) => {
    const match = route(request.method, request.path)
    return match.kind === 'endpoint' ? match.endpoint.operationId : undefined
  }))
  expect(endpoints.map((endpoint) => endpoint.operationId).filter((operationId) => !covered.has(operationId))).toEqual([])
})

it('passes against the mock, through the CLI', async () => {
  const run = await runVerifyCli(['--pact', pactFile])
  expect(run.code, run.output).toBe(0)
  expectPassed(run.report!)
}, long)

it.each(['generate', 'accept'] as const)('passes against the node:http example provider that %ss ids', async (ids) => {
  const provider = createExampleProvider({ ids })
  const running = await listen(provider.server)
  cleanups.push(running.close)
  const report = await verifyPacts({ pactUrls: [pactFile], providerBaseUrl: running.url, providerStatesSetupUrl: `${running.url}/_pact/provider-states` })
  expectPassed(report)
  // Generated ids never matched the pact's example ids.
  if (ids === 'generate') expect(provider.requests.filter((path) => /_abc123def456/.test(path))).toEqual([])
}, long)

it('passes against the Express example provider and its own store', async () => {
  const running = await listen(createServer(createExpressProvider()))
  cleanups.push(running.close)
  const report = await verifyPacts({ pactUrls: [pactFile], providerBaseUrl: running.url, providerStatesSetupUrl: `${running.url}/_pact/provider-states` })
  expectPassed(report)
}, long)
