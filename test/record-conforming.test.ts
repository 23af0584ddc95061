// `getraze-mock record` in front of a provider that follows the docs (the example provider, which
// serves all eleven endpoints and picks its own ids): what it writes must replay, verify and
// shadow clean. A consumer team's session, as the README's "bootstrap fixtures from a sandbox
// account" describes it: the app's own traffic through the recorder, using every endpoint (lists,
// reads, creates with the provider's ids, updates, deletes, the stage, and the key problems), then
// fixtures, a pact and (with --shadow) a report with nothing in it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createExampleProvider } from '../examples/provider/createExampleProvider.js'
import { endpoints } from '../src/contract/endpoints.js'
import type { EndpointDefinition } from '../src/contract/EndpointDefinition.js'
import { formatDriftReport, verifyPacts } from '../src/pact/index.js'
import { startMockServer, startRecorder } from '../src/server/index.js'
import type { RecordingResult } from '../src/server/index.js'
import { listen } from '../src/verify/loopbackHttp.js'

const root = join(import.meta.dirname, '..')
const schema = JSON.parse(readFileSync(join(root, 'schemas/verification-report.v1.schema.json'), 'utf8')) as object
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema)
const out = mkdtempSync(join(tmpdir(), 'getraze-record-conforming-'))

const keys = ['sandbox_writer', 'sandbox_reader', 'sandbox_nobody', 'sandbox_expired', 'sandbox_limited'] as const
type Key = (typeof keys)[number]

/** One request of the session, and what the target answered. */
interface Call {
  method: string
  /** The path; `{contact}` and `{opportunity}` stand for the ids the session's creates got back. */
  path: string
  key?: Key
  keyIn?: 'header' | 'bearer'
  body?: unknown
  answer?: Answer
}

interface Answer {
  status: number
  body: any
  limit: string | null
  remaining: string | null
  retryAfter: string | null
}

const contacts = '/external/v1/contacts'
const opportunities = '/external/v1/opportunities'
const writer = 'sandbox_writer'
const calls: Call[] = [
  // The lists first, so that every record of the account is seen.
  { method: 'GET', path: contacts, key: writer },
  { method: 'GET', path: opportunities, key: writer },
  { method: 'GET', path: `${opportunities}?status=qualified&sort_by=name&sort_order=asc`, key: writer },
  { method: 'GET', path: `${opportunities}?limit=1&page=2`, key: writer },
  { method: 'GET', path: `${contacts}/cnt_sandbox_1`, key: writer },
  { method: 'GET', path: `${opportunities}/opp_sandbox_1`, key: writer },
  // A contact created, changed, read, deleted, and then not found.
  { method: 'POST', path: contacts, key: writer, body: { name: 'Eva Nunes', email: 'eva.nunes@sandbox.example', tags: ['new'] } },
  { method: 'PUT', path: `${contacts}/{contact}`, key: writer, body: { company: 'Beta' } },
  { method: 'GET', path: `${contacts}/{contact}`, key: writer },
  { method: 'DELETE', path: `${contacts}/{contact}`, key: writer },
  { method: 'GET', path: `${contacts}/{contact}`, key: writer },
  { method: 'PUT', path: `${contacts}/cnt_sandbox_1`, key: writer, body: { position: 'CEO', custom_fields: { tier: 'gold' } } },
  { method: 'DELETE', path: `${contacts}/cnt_sandbox_2`, key: writer },
  { method: 'GET', path: contacts, key: writer },
  // An opportunity created for a user, changed, moved, deleted, and then not found.
  { method: 'POST', path: opportunities, key: writer, body: { name: 'Fabio Lopes', responsible_user_id: 'usr_sandbox', deal_value: 1000 } },
  { method: 'PUT', path: `${opportunities}/{opportunity}`, key: writer, body: { deal_value: 2000, notes: 'Second call' } },
  { method: 'PATCH', path: `${opportunities}/{opportunity}/stage`, key: writer, body: { status: 'won' } },
  { method: 'GET', path: `${opportunities}/{opportunity}`, key: writer },
  { method: 'DELETE', path: `${opportunities}/{opportunity}`, key: writer },
  { method: 'GET', path: `${opportunities}/{opportunity}`, key: writer },
  { method: 'PATCH', path: `${opportunities}/opp_sandbox_2/stage`, key: writer, body: { status: 'archived' } },
  { method: 'PATCH', path: `${opportunities}/opp_sandbox_2/stage`, key: writer, body: { status: 'proposal' } },
  { method: 'PATCH', path: `${opportunities}/opp_sandbox_2/stage`, key: writer, keyIn: 'bearer', body: { status: 'lost' } },
  { method: 'PATCH', path: `${opportunities}/opp_missing/stage`, key: writer, body: { status: 'won' } },
  { method: 'DELETE', path: `${opportunities}/opp_sandbox_2`, key: writer },
  { method: 'GET', path: opportunities, key: writer },
  { method: 'POST', path: contacts, key: writer, body: { email: 'no.name@sandbox.example' } },
  // Key problems.
  { method: 'POST', path: contacts, key: 'sandbox_reader', body: { name: 'Not Allowed' } },
  { method: 'GET', path: opportunities },
  { method: 'GET', path: `${opportunities}/opp_sandbox_1`, key: 'sandbox_nobody' },
  { method: 'GET', path: `${contacts}/cnt_sandbox_1`, key: 'sandbox_expired' },
  { method: 'GET', path: opportunities, key: 'sandbox_limited' },
]

/** Sends one call; `ids` maps `{contact}` and `{opportunity}` to the ids this provider's creates answered. */
async function send(base: string, call: Call, key: string | undefined, ids: Map<string, string>): Promise<Answer> {
  const headers: Record<string, string> = {}
  if (call.body !== undefined) headers['Content-Type'] = 'application/json'
  if (key !== undefined && call.keyIn === 'bearer') headers.Authorization = `Bearer ${key}`
  else if (key !== undefined) headers['X-API-Key'] = key
  const path = call.path.replace(/\{(contact|opportunity)\}/, (_, name: string) => ids.get(name)!)
  const response = await fetch(`${base}${path}`, { method: call.method, headers, ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }) })
  const body = (await response.json()) as any
  if (call.method === 'POST' && response.status === 201) ids.set(call.path === contacts ? 'contact' : 'opportunity', body.data.id)
  return {
    status: response.status,
    body,
    limit: response.headers.get('x-ratelimit-limit'),
    remaining: response.headers.get('x-ratelimit-remaining'),
    retryAfter: response.headers.get('retry-after'),
  }
}

const personal = /"(email|phone|linkedin_url|notes)":"[^"]*"/g

/**
 * What must be the same when the recorded requests are replayed: all but the clock's values, the
 * ids the creates picked (each provider picks its own), the personal fields (the fixtures hold
 * fakes) and the wording of messages.
 */
function comparable(answer: Answer, ids: Map<string, string>) {
  let text = JSON.stringify(answer.body ?? null)
    .replace(/"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z"/g, '"<timestamp>"')
    .replace(personal, '"$1":"<personal>"')
  for (const [name, id] of ids) text = text.split(id).join(`<${name}>`)
  const body = JSON.parse(text)
  return {
    status: answer.status,
    body: body?.success === false ? { success: false, code: body.error.code } : body,
    limit: answer.limit,
    remaining: answer.remaining,
    retryAfter: answer.retryAfter === null ? null : 'present',
  }
}

let result: RecordingResult
const lines: string[] = []
const targetIds = new Map<string, string>()

beforeAll(async () => {
  const sandbox = createExampleProvider({ ids: 'accept' })
  const provider = await listen(sandbox.server)
  try {
    // The sandbox account's data, as the provider team set it up.
    const setUp = (state: string, params: object) =>
      fetch(`${provider.url}/_pact/provider-states`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ state, params, action: 'setup' }) })
    const every = ['contacts:read', 'contacts:write', 'contacts:delete', 'opportunities:read', 'opportunities:write', 'opportunities:delete']
    await setUp('an API key exists', { key: 'sandbox_writer', permissions: every })
    await setUp('an API key exists', { key: 'sandbox_reader', permissions: ['contacts:read', 'opportunities:read'] })
    await setUp('an API key has expired', { key: 'sandbox_expired' })
    await setUp('an API key has used its hourly rate limit', { key: 'sandbox_limited' })
    await setUp('a user exists', { id: 'usr_sandbox', name: 'Sandra Lee' })
    const sandra = { id: 'usr_sandbox', name: 'Sandra Lee' }
    await setUp('an opportunity exists', { id: 'opp_sandbox_1', name: 'Ana Lima', status: 'negotiation', deal_value: 5000, campaign: { id: 'camp_sandbox', name: 'Sandbox Fair' }, responsible_user: sandra })
    await setUp('an opportunity exists', { id: 'opp_sandbox_2', name: 'Bruno Dias', status: 'qualified', email: 'bruno@sandbox.example', notes: 'Met at the fair' })
    await setUp('an opportunity exists', { id: 'opp_sandbox_3', name: 'Clara Souza', status: 'qualified' })
    await setUp('a contact exists', { id: 'cnt_sandbox_1', name: 'Carla Reis', email: 'carla@sandbox.example', tags: ['vip'] })
    await setUp('a contact exists', { id: 'cnt_sandbox_2', name: 'Davi Melo', company: 'Acme', phone: '+5511900000000' })

    const recorder = await startRecorder({ target: provider.url, port: 0, out, shadow: true, consumer: 'crm-sync', onDifference: (line) => lines.push(line), onNotice: (line) => lines.push(line) })
    for (const call of calls) call.answer = await send(recorder.url, call, call.key, targetIds)
    result = await recorder.close()
  } finally {
    await provider.close()
  }
}, 60_000)

afterAll(() => rmSync(out, { recursive: true, force: true }))

it('answers the client with what the target answered, through every endpoint', () => {
  expect(calls.map((call) => `${call.method} ${call.path} ${call.answer!.status} ${call.answer!.body.error?.code ?? ''}`.trim())).toEqual([
    'GET /external/v1/contacts 200',
    'GET /external/v1/opportunities 200',
    'GET /external/v1/opportunities?status=qualified&sort_by=name&sort_order=asc 200',
    'GET /external/v1/opportunities?limit=1&page=2 200',
    'GET /external/v1/contacts/cnt_sandbox_1 200',
    'GET /external/v1/opportunities/opp_sandbox_1 200',
    'POST /external/v1/contacts 201',
    'PUT /external/v1/contacts/{contact} 200',
    'GET /external/v1/contacts/{contact} 200',
    'DELETE /external/v1/contacts/{contact} 200',
    'GET /external/v1/contacts/{contact} 404 NOT_FOUND',
    'PUT /external/v1/contacts/cnt_sandbox_1 200',
    'DELETE /external/v1/contacts/cnt_sandbox_2 200',
    'GET /external/v1/contacts 200',
    'POST /external/v1/opportunities 201',
    'PUT /external/v1/opportunities/{opportunity} 200',
    'PATCH /external/v1/opportunities/{opportunity}/stage 200',
    'GET /external/v1/opportunities/{opportunity} 200',
    'DELETE /external/v1/opportunities/{opportunity} 200',
    'GET /external/v1/opportunities/{opportunity} 404 NOT_FOUND',
    'PATCH /external/v1/opportunities/opp_sandbox_2/stage 400 INVALID_STATUS',
    'PATCH /external/v1/opportunities/opp_sandbox_2/stage 200',
    'PATCH /external/v1/opportunities/opp_sandbox_2/stage 200',
    'PATCH /external/v1/opportunities/opp_missing/stage 404 NOT_FOUND',
    'DELETE /external/v1/opportunities/opp_sandbox_2 200',
    'GET /external/v1/opportunities 200',
    'POST /external/v1/contacts 400 VALIDATION_ERROR',
    'POST /external/v1/contacts 403 INSUFFICIENT_PERMISSIONS',
    'GET /external/v1/opportunities 401 MISSING_API_KEY',
    'GET /external/v1/opportunities/opp_sandbox_1 401 INVALID_API_KEY',
    'GET /external/v1/contacts/cnt_sandbox_1 401 EXPIRED_API_KEY',
    'GET /external/v1/opportunities 429 RATE_LIMIT_EXCEEDED',
  ])
  // The provider picked its own ids (UUIDs), not the mock's format.
  expect(targetIds.get('contact')).toMatch(/^[0-9a-f-]{36}$/)
  expect(targetIds.get('opportunity')).toMatch(/^[0-9a-f-]{36}$/)
})

it('shadows a provider that follows the docs without a single difference, over every endpoint', () => {
  expect(lines).toEqual([])
  expect(result.report!.passed).toBe(true)
  expect(result.report!.interactions.every((row) => row.verdict === 'passed')).toBe(true)
  // Every endpoint's behaviours were seen: each of the eleven has at least one row.
  for (const endpoint of endpoints as readonly EndpointDefinition[]) {
    const own = Object.values(endpoint.behaviours).map((behaviour) => behaviour.description)
    expect(result.report!.interactions.some((row) => own.includes(row.description)), `${endpoint.method} ${endpoint.path}`).toBe(true)
  }
  expect(result.reportText).toContain(`Requests: ${calls.length} forwarded, ${calls.length} answered by the target; ${calls.length} to documented endpoints, ${calls.length} of them compared with the mock`)
  expect(result.reportText).toContain(`Documented behaviours seen: ${result.report!.interactions.length}. Differences by kind: none.`)
  expect(result.reportText!.split('\n').at(-1)).toBe('No differences: every answer was what the mock, holding the same records, answers.')
  expect(validate(result.report), JSON.stringify(validate.errors)).toBe(true)
})

it('writes fixtures that replay the recorded requests to the same answers, placeholders standing for the keys', async () => {
  expect(Object.keys(result.keys)).toEqual(['gr_recorded_1', 'gr_recorded_2', 'gr_recorded_3', 'gr_recorded_4', 'gr_recorded_5'])
  expect(Object.values(result.keys).every((masked) => /^sand\w?\*\*\*$/.test(masked))).toBe(true)
  // The placeholders in the order the keys were first seen.
  const placeholders = new Map(['sandbox_writer', 'sandbox_reader', 'sandbox_nobody', 'sandbox_expired', 'sandbox_limited'].map((key, index) => [key, `gr_recorded_${index + 1}`]))
  const replay = await startMockServer({ port: 0, fixtures: result.fixturesFile })
  const replayIds = new Map<string, string>()
  try {
    for (const call of calls) {
      const again = await send(replay.url, call, call.key === undefined ? undefined : placeholders.get(call.key), replayIds)
      expect(comparable(again, replayIds), `${call.method} ${call.path} with ${call.key}`).toEqual(comparable(call.answer!, targetIds))
    }
  } finally {
    await replay.close()
  }
})

it('writes the keys as placeholders with the permissions the traffic proved, and the records as first answered, with the campaigns and users they name', () => {
  const fixtures = JSON.parse(readFileSync(result.fixturesFile, 'utf8'))
  expect(fixtures.description).toMatch(/^Recorded by getraze-mock record from http:\/\/127\.0\.0\.1:\d+ on .*: 4 accounts, 4 API keys, 5 records and 2 they refer to \(campaigns, users\)\. The keys are placeholders/)
  expect(fixtures.description).toContain('2 records the traffic created are left out: replayed, the requests create them.')
  expect(fixtures.apiKeys.map((key: any) => [key.key, key.permissions, key.rateLimit, key.expiresAt === null])).toEqual([
    ['gr_recorded_1', ['contacts:delete', 'contacts:read', 'contacts:write', 'opportunities:delete', 'opportunities:read', 'opportunities:write'], 1000, true],
    ['gr_recorded_2', [], 1000, true],
    ['gr_recorded_4', [], 1000, false],
    ['gr_recorded_5', [], 100, true],
  ])
  // Records as the target first answered them: before the session's changes, deleted ones included.
  const byId = (records: any[]) => [...records].sort((a, b) => a.id.localeCompare(b.id))
  expect(byId(fixtures.opportunities).map((record: any) => [record.id, record.status])).toEqual([
    ['opp_sandbox_1', 'negotiation'],
    ['opp_sandbox_2', 'qualified'],
    ['opp_sandbox_3', 'qualified'],
  ])
  const first = fixtures.opportunities.find((record: any) => record.id === 'opp_sandbox_1')
  expect(first).toMatchObject({ campaign: { id: 'camp_sandbox', name: 'Sandbox Fair' }, responsible_user: { id: 'usr_sandbox', name: 'Sandra Lee' }, deal_value: 5000 })
  expect(byId(fixtures.contacts).map((record: any) => [record.id, record.position, record.custom_fields, record.tags])).toEqual([
    ['cnt_sandbox_1', null, {}, ['vip']],
    ['cnt_sandbox_2', null, {}, []],
  ])
  expect(fixtures.campaigns).toEqual([{ id: 'camp_sandbox', account: first.account, name: 'Sandbox Fair' }])
  expect(fixtures.users).toEqual([{ id: 'usr_sandbox', account: first.account, name: 'Sandra Lee' }])
  // Personal fields hold fakes; the keys are nowhere.
  const text = JSON.stringify(fixtures)
  for (const secret of [...keys, 'carla@sandbox.example', 'bruno@sandbox.example', '+5511900000000', 'Met at the fair']) expect(text).not.toContain(secret)
})

it('writes a pact of every behaviour seen, creates and deletes included, that passes verify against the mock and against the example provider', async () => {
  expect(result.pactFile).toBe(join(out, 'crm-sync-getraze-external-api.json'))
  const text = readFileSync(result.pactFile!, 'utf8')
  for (const secret of keys) expect(text).not.toContain(secret)
  const pact = JSON.parse(text) as { interactions: Array<{ description: string }> }
  expect(pact.interactions.map((interaction) => interaction.description)).toEqual(result.report!.interactions.map((row) => row.description).sort((a, b) => a.localeCompare(b)))
  expect(pact.interactions.map((interaction) => interaction.description)).toEqual(
    expect.arrayContaining(['a request to create a contact', 'a request to create an opportunity assigned to a user', 'a request to delete a contact', 'a request to delete an opportunity', 'a request to list contacts', 'a request to list opportunities']),
  )

  const againstMock = await verifyPacts({ pactUrls: [result.pactFile!] })
  expect(formatDriftReport(againstMock)).toContain('Verification passed.')

  // The provider that picks its own ids, as production does.
  const example = createExampleProvider()
  const provider = await listen(example.server)
  try {
    const report = await verifyPacts({ pactUrls: [result.pactFile!], providerBaseUrl: provider.url, providerStatesSetupUrl: `${provider.url}/_pact/provider-states` })
    expect(formatDriftReport(report)).toContain('Verification passed.')
    expect(report.interactions).toHaveLength(pact.interactions.length)
  } finally {
    await provider.close()
  }
}, 120_000)
