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
import { createDriftingTarget, driftingRow } from './providers/createDriftingTarget.js'

const root = join(import.meta.dirname, '..')
const schema = JSON.parse(readFileSync(join(root, 'schemas/verification-report.v1.schema.json'), 'utf8')) as object
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema)
const out = mkdtempSync(join(tmpdir(), 'getraze-record-drift-'))
const lines: string[] = []
const notices: string[] = []
const statuses: number[] = []
let result: RecordingResult

beforeAll(async () => {
  const staging = createDriftingTarget()
  staging.addKey('prod_smoke_key_1', { limit: 50 })
  staging.addKey('prod_smoke_key_2', { limit: 1 })
  staging.addRow(driftingRow('opp_1'))
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
      await response.arrayBuffer()
    }
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
  expect(statuses).toEqual([200, 200, 400, 200, 400, 200, 401, 200, 429])
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
  expect(failures.filter((failure) => failure.path === 'status').map((failure) => failure.actual)).toEqual([401, 400])
  // The second key saw the first key's record: the same account, so no 404 from the mock.
  expect(lines.filter((line) => line.includes('NOT_FOUND'))).toEqual([])
})

it('sums the session up in the drift report\'s formats: text, JSON (valid against the report schema) and JUnit', () => {
  const text = result.reportText!
  expect(text.split('\n').slice(1, 3)).toEqual([
    'Requests: 9 forwarded, 9 answered by the target; 9 to documented endpoints, 9 of them compared with the mock; 0 to no documented endpoint or with a key over the cap; 0 not recorded.',
    'Documented behaviours seen: 5. Differences by kind: missing field 16, timestamp form 9, extra fields 6, status 2, error code 1, header 1, value 1.',
  ])
  expect(text).toContain('FAIL  a request with a status that is not valid (1 answer, 1 differing)')
  expect(text).toContain('      answered 400 VALIDATION_ERROR "stage_id is required"')
  expect(text.split('\n').at(-1)).toBe('36 differences in 5 of 5 behaviours.')
  const json = JSON.parse(readFileSync(join(out, 'shadow.json'), 'utf8'))
  expect(validate(json), JSON.stringify(validate.errors)).toBe(true)
  expect(json).toMatchObject({ passed: false, totals: { interactions: 5, passed: 0, failed: 5 } })
  const junit = readFileSync(join(out, 'shadow.xml'), 'utf8')
  expect(junit.match(/<failure /g)).toHaveLength(5)
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
})
