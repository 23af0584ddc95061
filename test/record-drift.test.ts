// `getraze-mock record --shadow` in front of a provider that drifts as production was seen to
// (test/providers/createDriftingTarget.ts): a provider team shadows a staging deployment with a
// smoke test's traffic, and the report must name each drift with the target's own words.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startRecorder } from '../src/server/index.js'
import type { RecordingResult } from '../src/server/index.js'
import { listen } from '../src/verify/loopbackHttp.js'
import { createDriftingTarget, driftingContact, driftingRow } from './providers/createDriftingTarget.js'

const root = join(import.meta.dirname, '..')
const schema = JSON.parse(readFileSync(join(root, 'schemas/verification-report.v1.schema.json'), 'utf8')) as object
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema)
const out = mkdtempSync(join(tmpdir(), 'getraze-record-drift-'))
const lines: string[] = []
const notices: string[] = []
const statuses: number[] = []
let result: RecordingResult
let createdContact = ''

beforeAll(async () => {
  const staging = createDriftingTarget()
  staging.addKey('prod_smoke_key_1', { limit: 50 })
  staging.addKey('prod_smoke_key_2', { limit: 1 })
  staging.addRow(driftingRow('opp_1'))
  staging.addContact(driftingContact('cnt_1'))
  staging.addContact(driftingContact('cnt_2', { name: 'Davi Melo', email: 'davi@acme.example', created_at: '2024-01-12T09:00:00.000Z', updated_at: '2024-01-12T09:00:00.000Z' }))
  const target = await listen(staging.server)
  try {
    const recorder = await startRecorder({
      target: target.url,
      port: 0,
      out,
      shadow: true,
      reports: [
        { format: 'json', file: join(out, 'shadow.json') },
        { format: 'junit', file: join(out, 'shadow.xml') },
      ],
      onDifference: (line) => lines.push(line),
      onNotice: (line) => notices.push(line),
    })
    // The smoke test's traffic.
    const call = async (method: string, path: string, key: string, body?: unknown) => {
      const response = await fetch(`${recorder.url}${path}`, { method, headers: { 'X-API-Key': key, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })
      statuses.push(response.status)
      const text = await response.text()
      return text === '' ? undefined : (JSON.parse(text) as { data?: { id?: string } })
    }
    // The contacts the smoke test reads, creates and deletes.
    await call('GET', '/external/v1/contacts', 'prod_smoke_key_1')
    await call('GET', '/external/v1/contacts/cnt_1', 'prod_smoke_key_1')
    await call('POST', '/external/v1/contacts', 'prod_smoke_key_1', { name: 'Carla Again', email: 'carla.reis@acme.example' })
    const created = await call('POST', '/external/v1/contacts', 'prod_smoke_key_1', { name: 'Eva Nunes', email: 'eva@acme.example' })
    createdContact = created!.data!.id!
    await call('DELETE', `/external/v1/contacts/${createdContact}`, 'prod_smoke_key_1')
    await call('GET', `/external/v1/contacts/${createdContact}`, 'prod_smoke_key_1')
    const get = '/external/v1/opportunities/opp_1'
    const stage = '/external/v1/opportunities/opp_1/stage'
    await call('GET', get, 'prod_smoke_key_1')
    // Someone changes the record outside the traffic: the shadow sees the value differ, once.
    staging.rows.get('opp_1')!.email = 'ana.new@acme.example'
    await call('GET', get, 'prod_smoke_key_1')
    await call('PATCH', stage, 'prod_smoke_key_1', { status: 'archived' })
    await call('PATCH', stage, 'prod_smoke_key_1', { status: 'proposal' })
    staging.state.requireStageId = true
    await call('PATCH', stage, 'prod_smoke_key_1', { status: 'won' })
    await call('GET', get, 'prod_smoke_key_1')
    staging.expire('prod_smoke_key_1')
    await call('GET', get, 'prod_smoke_key_1')
    await call('GET', get, 'prod_smoke_key_2')
    await call('GET', get, 'prod_smoke_key_2')
    result = await recorder.close()
  } finally {
    await target.close()
  }
}, 60_000)

afterAll(() => rmSync(out, { recursive: true, force: true }))

const get = 'shadow: GET /external/v1/opportunities/opp_1'
const patch = 'shadow: PATCH /external/v1/opportunities/opp_1/stage'

it('forwards every answer of the drifting target to the client as it came', () => {
  expect(statuses).toEqual([200, 200, 400, 201, 204, 404, 200, 200, 400, 200, 400, 200, 401, 200, 429])
})

const contacts = 'shadow: GET /external/v1/contacts'

it('names a contacts list in another order than the docs\' newest first', () => {
  expect(lines).toContain(
    `${contacts}: $.data.contacts: expected cnt_2 before cnt_1, got "cnt_1 before cnt_2" (not in the documented order: sorted by created_at desc, "2024-01-12T09:00:00Z" comes before "2024-01-10T09:00:00Z")`,
  )
})

it('names whole contact rows, in a list and alone: the columns the docs never mention and the documented fields they renamed', () => {
  expect(lines).toContain(`${contacts}: $.data.contacts[*]: 6 extra fields the docs' list item does not show; never mentioned in the docs: account_id, owner_id, title, profile_url, lead_score, deleted_at`)
  expect(lines).toContain(`${contacts}: $.data.contacts[*].position: expected null, got nothing (missing position)`)
  expect(lines).toContain(`${contacts}/cnt_1: $.data: 6 extra fields the docs' answer does not show; never mentioned in the docs: account_id, owner_id, title, profile_url, lead_score, deleted_at`)
  expect(lines).toContain(`${contacts}/cnt_1: $.data.linkedin_url: expected a string, got nothing (missing linkedin_url)`)
  // One line per field for the whole page, not one per record.
  expect(lines.filter((line) => line.startsWith(`${contacts}: $.data.contacts[*].created_at: `))).toHaveLength(1)
})

it('names a taken e-mail address answered as VALIDATION_ERROR, with the target\'s own message', () => {
  expect(lines).toContain(
    'shadow: POST /external/v1/contacts: status: expected 409, got 400 (the target answered VALIDATION_ERROR "duplicate key value violates unique constraint \\"contacts_account_id_email_key\\""; the mock answered ALREADY_EXISTS)',
  )
})

it('names a delete answered 204 without a body, and follows it: the deleted contact is gone from the mock too', () => {
  expect(lines).toContain(`shadow: DELETE /external/v1/contacts/${createdContact}: status: expected 200, got 204 (the target answered 204; the mock answered 200)`)
  expect(lines).toContain(`shadow: DELETE /external/v1/contacts/${createdContact}: $: expected a JSON body, got "a body that is not JSON, empty" (the body is not JSON)`)
  // Created under the target's own id, no difference for the id; then a 404 at the target and in the mock alike.
  expect(lines.filter((line) => line.includes('$.data.id'))).toEqual([])
  expect(result.report!.interactions.find((interaction) => interaction.description === 'a request to get a contact that does not exist')).toMatchObject({ verdict: 'passed' })
})

it('names VALIDATION_ERROR for an unknown status, with the target\'s own message', () => {
  expect(lines).toContain(`${patch}: $.error.code: expected INVALID_STATUS, got "VALIDATION_ERROR" (the target answered VALIDATION_ERROR "status must be one of: new, contacted, qualified, proposal, negotiation, won, lost")`)
})

it('names a required stage_id, with the target\'s own message', () => {
  expect(lines).toContain(`${patch}: status: expected 200, got 400 (the target answered VALIDATION_ERROR "stage_id is required"; the mock answered 200)`)
})

it('names an expired key answered as INVALID_API_KEY, with the target\'s own message', () => {
  expect(lines).toContain(
    `${get}: status: expected 200, got 401 (the target answered INVALID_API_KEY "Invalid or expired API key." to a key it accepted earlier in this session; the docs answer an expired key EXPIRED_API_KEY; the mock answered 200)`,
  )
})

it('names a 429 without Retry-After', () => {
  expect(lines).toContain(`${get}: header retry-after: expected whole seconds to wait, on every 429, got no such header`)
})

it('names whole rows: the columns the docs never mention, and the documented fields they renamed', () => {
  expect(lines).toContain(
    `${get}: $.data: 10 extra fields the docs' answer does not show; never mentioned in the docs: account_id, title, stage_id, pipeline_id, profile_url, campaign_id, campaign_name, responsible_user_name, tags, score`,
  )
  expect(lines).toContain(`${get}: $.data.position: expected a string, got nothing (missing position)`)
  expect(lines).toContain(`${get}: $.data.responsible_user: expected a object, got nothing (missing responsible_user)`)
  // The docs' phrase stays a phrase, though linkedin_url is a redacted field.
  expect(lines).toContain(`${get}: $.data.linkedin_url: expected a string, got nothing (missing linkedin_url)`)
})

it('names a value that differs from what the mock holds, with personal values faked', () => {
  expect(lines.filter((line) => line.includes('$.data.email'))).toEqual([
    expect.stringMatching(/^shadow: GET \/external\/v1\/opportunities\/opp_1: \$\.data\.email: expected (person-[0-9a-f]{8}@example\.com), got "(?!\1)person-[0-9a-f]{8}@example\.com" \(not what the mock, holding the same records, answered\)$/),
  ])
})

it('names millisecond timestamps as the same instant in another form', () => {
  expect(lines).toContain(`${get}: $.data.updated_at: expected 2024-01-20T14:00:00Z, got "2024-01-20T14:00:00.123Z" (the same instant in another form; the docs write timestamps in UTC to the second, e.g. 2024-01-25T10:00:00Z)`)
  // A stage update's own timestamp, from the target's clock with milliseconds.
  expect(lines.filter((line) => line.startsWith(`${patch}: $.data.updated_at: `))).toEqual([expect.stringMatching(/^\S+ \S+ \S+: \$\.data\.updated_at: expected \S+Z, got "[^"]+\.\d{3}Z" \((the same instant|a timestamp) in another form; the docs write/)])
})

it('prints each difference once, the first time it is seen, and counts the repeats in the report', () => {
  expect(new Set(lines).size).toBe(lines.length)
  const row = result.report!.interactions.find((interaction) => interaction.description === 'a request to get an opportunity')!
  expect(row.failures.find((failure) => failure.path === '$.data.position')!.message).toBe('missing position; seen in 4 answers')
})

it('follows the target\'s state, so one difference does not make later answers differ', () => {
  // The mock refused nothing the target accepted (the move to proposal), nor kept the move to won
  // the target refused: no answer afterwards differs in status or in the record's status.
  const failures = result.report!.interactions.flatMap((interaction) => interaction.failures)
  expect(failures.filter((failure) => failure.path === '$.data.status')).toEqual([])
  // One status difference per drift the target has (a taken e-mail, a 204 delete, an expired key, stage_id), no more.
  expect(failures.filter((failure) => failure.path === 'status').map((failure) => failure.actual)).toEqual([400, 204, 401, 400])
  // The second key saw the first key's record: the same account, so no 404 from the mock.
  expect(lines.filter((line) => line.includes('NOT_FOUND'))).toEqual([])
})

it('sums the session up in the drift report\'s formats: text, JSON (valid against the report schema) and JUnit', () => {
  const text = result.reportText!
  expect(text.split('\n').slice(1, 3)).toEqual([
    'Requests: 15 forwarded, 15 answered by the target; 15 to documented endpoints, 15 of them compared with the mock; 0 to no documented endpoint or with a key over the cap; 0 not recorded.',
    'Documented behaviours seen: 11. Differences by kind: missing field 22, timestamp form 17, extra fields 10, status 4, error code 1, header 1, order 1, shape 1, value 1.',
  ])
  expect(text).toContain('FAIL  a request with a status that is not valid (1 answer, 1 differing)')
  expect(text).toContain('      answered 400 VALIDATION_ERROR "stage_id is required"')
  expect(text.split('\n').at(-1)).toBe('58 differences in 10 of 11 behaviours.')
  const json = JSON.parse(readFileSync(join(out, 'shadow.json'), 'utf8'))
  expect(validate(json), JSON.stringify(validate.errors)).toBe(true)
  expect(json).toMatchObject({ passed: false, totals: { interactions: 11, passed: 1, failed: 10 } })
  const junit = readFileSync(join(out, 'shadow.xml'), 'utf8')
  expect(junit.match(/<failure /g)).toHaveLength(10)
  expect(junit).toContain('stage_id is required')
  expect(result.reportFiles).toEqual([join(out, 'shadow.json'), join(out, 'shadow.xml')])
})

it('never prints or writes the keys the traffic used, nor the personal fields it carried', () => {
  const written = [result.fixturesFile, result.pactFile!, join(out, 'shadow.json'), join(out, 'shadow.xml')].map((file) => readFileSync(file, 'utf8')).join('\n')
  const everything = [...lines, ...notices, result.reportText!, written].join('\n')
  expect(everything).not.toContain('prod_smoke_key')
  expect(everything).not.toContain('ana.lima@acme.example')
  expect(everything).not.toContain('ana.new@acme.example')
  expect(everything).not.toContain('+5511988887777')
  expect(everything).not.toContain('Met at the fair')
  for (const email of ['carla.reis@acme.example', 'davi@acme.example', 'eva@acme.example']) expect(everything).not.toContain(email)
})
