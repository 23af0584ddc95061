// `getraze-mock record` in front of a provider that follows the docs (the example provider):
// what it writes must replay, verify and shadow clean. A consumer team's session, as the README's
// "bootstrap fixtures from a sandbox account" describes it: the app's own traffic through the
// recorder, then fixtures, a pact and (with --shadow) a report with nothing in it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createExampleProvider } from '../examples/provider/createExampleProvider.js'
import { formatDriftReport, verifyPacts } from '../src/pact/index.js'
import { startMockServer, startRecorder } from '../src/server/index.js'
import type { RecordingResult } from '../src/server/index.js'
import { listen } from '../src/verify/loopbackHttp.js'

const root = join(import.meta.dirname, '..')
const schema = JSON.parse(readFileSync(join(root, 'schemas/verification-report.v1.schema.json'), 'utf8')) as object
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema)
const out = mkdtempSync(join(tmpdir(), 'getraze-record-conforming-'))

/** One request of the session, and what the target answered. */
interface Call {
  method: 'PATCH'
  path: string
  key: string | undefined
  keyIn: 'header' | 'bearer'
  body: unknown
  answer?: { status: number; body: any; limit: string | null; remaining: string | null; retryAfter: string | null }
}

const calls: Call[] = [
  ['opp_sandbox_1', 'won', 'sandbox_writer'],
  ['opp_sandbox_2', 'archived', 'sandbox_writer'],
  ['opp_sandbox_2', 'proposal', 'sandbox_writer'],
  ['opp_sandbox_2', 'lost', 'sandbox_writer', 'bearer'],
  ['opp_missing', 'won', 'sandbox_writer'],
  ['opp_sandbox_1', 'won', 'sandbox_reader'],
  ['opp_sandbox_1', 'won', undefined],
  ['opp_sandbox_1', 'won', 'sandbox_nobody'],
  ['opp_sandbox_1', 'won', 'sandbox_expired'],
  ['opp_sandbox_1', 'won', 'sandbox_limited'],
].map(([id, status, key, keyIn]) => ({ method: 'PATCH', path: `/external/v1/opportunities/${id}/stage`, key, keyIn: (keyIn ?? 'header') as Call['keyIn'], body: { status } }))

async function send(base: string, call: Call, key = call.key) {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' }
  if (key !== undefined && call.keyIn === 'header') headers['X-API-Key'] = key
  if (key !== undefined && call.keyIn === 'bearer') headers.Authorization = `Bearer ${key}`
  const response = await fetch(`${base}${call.path}`, { method: call.method, headers, body: JSON.stringify(call.body) })
  return {
    status: response.status,
    body: (await response.json()) as any,
    limit: response.headers.get('x-ratelimit-limit'),
    remaining: response.headers.get('x-ratelimit-remaining'),
    retryAfter: response.headers.get('retry-after'),
  }
}

/** What must be the same when the recorded requests are replayed: all but the clock's values and the wording of messages. */
function comparable(answer: NonNullable<Call['answer']>) {
  const timestamps = JSON.parse(JSON.stringify(answer.body ?? null).replace(/"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z"/g, '"<timestamp>"'))
  const body = timestamps?.success === false ? { success: false, code: timestamps.error.code } : timestamps
  return { status: answer.status, body, limit: answer.limit, remaining: answer.remaining, retryAfter: answer.retryAfter === null ? null : 'present' }
}

let result: RecordingResult
const lines: string[] = []

beforeAll(async () => {
  const sandbox = createExampleProvider({ ids: 'accept' })
  const provider = await listen(sandbox.server)
  try {
    // The sandbox account's data, as the provider team set it up.
    const setUp = (state: string, params: object) =>
      fetch(`${provider.url}/_pact/provider-states`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ state, params, action: 'setup' }) })
    await setUp('an API key exists', { key: 'sandbox_writer', permissions: ['opportunities:read', 'opportunities:write'] })
    await setUp('an API key exists', { key: 'sandbox_reader', permissions: ['opportunities:read'] })
    await setUp('an API key has expired', { key: 'sandbox_expired' })
    await setUp('an API key has used its hourly rate limit', { key: 'sandbox_limited' })
    await setUp('an opportunity exists', { id: 'opp_sandbox_1', name: 'Ana Lima', status: 'negotiation' })
    await setUp('an opportunity exists', { id: 'opp_sandbox_2', name: 'Bruno Dias', status: 'qualified' })

    const recorder = await startRecorder({ target: provider.url, port: 0, out, shadow: true, consumer: 'crm-sync', onDifference: (line) => lines.push(line), onNotice: (line) => lines.push(line) })
    for (const call of calls) call.answer = await send(recorder.url, call)
    result = await recorder.close()
  } finally {
    await provider.close()
  }
}, 60_000)

afterAll(() => rmSync(out, { recursive: true, force: true }))

it('answers the client with what the target answered', () => {
  expect(calls.map((call) => [call.answer!.status, call.answer!.body.error?.code ?? call.answer!.body.data.status])).toEqual([
    [200, 'won'],
    [400, 'INVALID_STATUS'],
    [200, 'proposal'],
    [200, 'lost'],
    [404, 'NOT_FOUND'],
    [403, 'INSUFFICIENT_PERMISSIONS'],
    [401, 'MISSING_API_KEY'],
    [401, 'INVALID_API_KEY'],
    [401, 'EXPIRED_API_KEY'],
    [429, 'RATE_LIMIT_EXCEEDED'],
  ])
})

it('shadows a provider that follows the docs without a single difference', () => {
  expect(lines).toEqual([])
  expect(result.report!.passed).toBe(true)
  expect(result.report!.interactions.map((row) => [row.description, row.verdict])).toEqual([
    ['a request after the API key has used its hourly rate limit', 'passed'],
    ['a request for an opportunity that does not exist', 'passed'],
    ['a request to move an opportunity to an open status', 'passed'],
    ['a request to move an opportunity to lost', 'passed'],
    ['a request to move an opportunity to won', 'passed'],
    ['a request with a status that is not valid', 'passed'],
    ['a request with an API key that lacks opportunities:write', 'passed'],
    ['a request with an expired API key', 'passed'],
    ['a request with an unknown API key', 'passed'],
    ['a request without an API key', 'passed'],
  ])
  expect(result.reportText).toContain('Requests: 10 forwarded, 10 answered by the target; 10 to documented endpoints, 10 of them compared with the mock')
  expect(result.reportText).toContain('Documented behaviours seen: 10. Differences by kind: none.')
  expect(result.reportText!.split('\n').at(-1)).toBe('No differences: every answer was what the mock, holding the same records, answers.')
  expect(validate(result.report), JSON.stringify(validate.errors)).toBe(true)
})

it('writes fixtures that replay the recorded requests to the same answers, placeholders standing for the keys', async () => {
  expect(result.keys).toEqual({
    gr_recorded_1: 'sand***',
    gr_recorded_2: 'sand***',
    gr_recorded_3: 'sand***',
    gr_recorded_4: 'sandb***',
    gr_recorded_5: 'sandb***',
  })
  const placeholders = new Map(['sandbox_writer', 'sandbox_reader', 'sandbox_nobody', 'sandbox_expired', 'sandbox_limited'].map((key, index) => [key, `gr_recorded_${index + 1}`]))
  const replay = await startMockServer({ port: 0, fixtures: result.fixturesFile })
  try {
    for (const call of calls) {
      const again = await send(replay.url, call, call.key === undefined ? undefined : placeholders.get(call.key))
      expect(comparable(again), `${call.method} ${call.path} with ${call.key}`).toEqual(comparable(call.answer!))
    }
  } finally {
    await replay.close()
  }
})

it('writes the keys as placeholders with the permissions the traffic proved, and the records as first answered', () => {
  const fixtures = JSON.parse(readFileSync(result.fixturesFile, 'utf8'))
  expect(fixtures.description).toMatch(/^Recorded by getraze-mock record from http:\/\/127\.0\.0\.1:\d+ on .*: 4 accounts, 4 API keys, 2 records\. The keys are placeholders/)
  expect(fixtures.apiKeys.map((key: any) => [key.key, key.permissions, key.rateLimit, key.used, key.expiresAt === null])).toEqual([
    ['gr_recorded_1', ['opportunities:write'], 1000, 0, true],
    ['gr_recorded_2', [], 1000, 0, true],
    ['gr_recorded_4', [], 1000, 0, false],
    ['gr_recorded_5', [], 100, 100, true],
  ])
  expect(fixtures.opportunities.map((record: any) => [record.id, record.name, record.status])).toEqual([
    ['opp_sandbox_1', 'Ana Lima', 'won'],
    ['opp_sandbox_2', 'Bruno Dias', 'proposal'],
  ])
  expect(JSON.stringify(fixtures)).not.toMatch(/sandbox_(writer|reader|nobody|expired|limited)/)
})

it('writes a pact of every behaviour seen that passes verify against the mock and against the example provider', async () => {
  expect(result.pactFile).toBe(join(out, 'crm-sync-getraze-external-api.json'))
  const pact = readFileSync(result.pactFile!, 'utf8')
  expect(pact).not.toMatch(/sandbox_(writer|reader|nobody|expired|limited)/)
  expect((JSON.parse(pact) as { interactions: unknown[] }).interactions).toHaveLength(10)

  const againstMock = await verifyPacts({ pactUrls: [result.pactFile!] })
  expect(formatDriftReport(againstMock)).toContain('Verification passed.')

  const example = createExampleProvider()
  const provider = await listen(example.server)
  try {
    const report = await verifyPacts({ pactUrls: [result.pactFile!], providerBaseUrl: provider.url, providerStatesSetupUrl: `${provider.url}/_pact/provider-states` })
    expect(formatDriftReport(report)).toContain('Verification passed.')
    expect(report.interactions).toHaveLength(10)
  } finally {
    await provider.close()
  }
}, 120_000)
