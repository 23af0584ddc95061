import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { opportunityStatuses } from '../src/contract/opportunityStatuses.js'
import { grantsPermission } from '../src/contract/permissions.js'
import type { FixtureFile } from '../src/contract/schemas.js'
import { GetRazeMockError } from '../src/errors/GetRazeMockError.js'
import { createGetRazeMock } from '../src/handlers/createGetRazeMock.js'
import { startMockServer } from '../src/server/startMockServer.js'
import { buildFixturesJsonSchema } from '../src/store/buildFixturesJsonSchema.js'
import { parseFixtures } from '../src/store/parseFixtures.js'
import { defaultFixturesPath, readFixtureFiles } from '../src/store/readFixtureFiles.js'
import { buildAccount, buildApiKey, buildFixtureFile, buildOpportunity } from './support/builders.js'
import { writeTempFiles } from './support/tempFiles.js'

/** Runs `fn` and returns what it threw, failing when it throws nothing. */
function thrownBy(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  throw new Error('expected the call to throw')
}

function expectMockError(error: unknown, code: string, message: string): void {
  expect(error).toBeInstanceOf(GetRazeMockError)
  expect({ name: (error as Error).name, code: (error as GetRazeMockError).code, message: (error as Error).message }).toEqual({
    name: 'GetRazeMockError',
    code,
    message,
  })
}

function withoutField<T extends object>(record: T, field: keyof T): T {
  const copy = { ...record }
  delete copy[field]
  return copy
}

/** The message the default-file loader wraps around a JSON syntax error, as this Node version words it. */
function jsonSyntaxError(text: string): string {
  try {
    JSON.parse(text)
  } catch (error) {
    return (error as Error).message
  }
  throw new Error('expected invalid JSON')
}

interface BadFixtureCase {
  problem: string
  /** File name to contents; the files are passed to the mock in this order. */
  files: Record<string, unknown>
  /** The exact message, given the written paths in the same order. */
  message: (paths: string[]) => string
}

const badFixtureCases: BadFixtureCase[] = [
  {
    problem: 'an unknown status',
    files: { 'a.json': buildFixtureFile({ opportunities: [buildOpportunity({ status: 'closed' as never })] }) },
    message: ([a]) =>
      `Failed to load fixtures: ${a}, opportunities[0] (id "opp_built"), field "status": must be one of new, contacted, qualified, proposal, negotiation, won, lost. Fix the record and start again.`,
  },
  {
    problem: 'an opportunity id repeated in a second file',
    files: {
      'a.json': buildFixtureFile(),
      'b.json': buildFixtureFile({ accounts: [], apiKeys: [], opportunities: [buildOpportunity({ name: 'Twin' })] }),
    },
    message: ([a, b]) =>
      `Failed to load fixtures: ${b}, opportunities[0] (id "opp_built"), field "id": duplicates the opportunity at ${a} opportunities[0]. Give each opportunity a unique id.`,
  },
  {
    problem: 'an API key repeated in one file',
    files: { 'a.json': buildFixtureFile({ apiKeys: [buildApiKey(), buildApiKey({ name: 'again' })] }) },
    message: ([a]) =>
      `Failed to load fixtures: ${a}, apiKeys[1] (key "gr_test_built"), field "key": duplicates the API key at ${a} apiKeys[0]. Give each API key a unique key.`,
  },
  {
    problem: 'a missing field',
    files: { 'a.json': buildFixtureFile({ opportunities: [withoutField(buildOpportunity(), 'name')] }) },
    message: ([a]) =>
      `Failed to load fixtures: ${a}, opportunities[0] (id "opp_built"), field "name": is required. Fix the record and start again.`,
  },
  {
    problem: 'a missing nested field',
    files: { 'a.json': buildFixtureFile({ opportunities: [buildOpportunity({ campaign: { id: 'camp_1' } as never })] }) },
    message: ([a]) =>
      `Failed to load fixtures: ${a}, opportunities[0] (id "opp_built"), field "campaign.name": is required. Fix the record and start again.`,
  },
  {
    problem: 'a missing id',
    files: { 'a.json': buildFixtureFile({ opportunities: [withoutField(buildOpportunity(), 'id')] }) },
    message: ([a]) => `Failed to load fixtures: ${a}, opportunities[0], field "id": is required. Fix the record and start again.`,
  },
  {
    problem: 'an unknown field',
    files: { 'a.json': buildFixtureFile({ opportunities: [{ ...buildOpportunity(), stage: 'won' } as never] }) },
    message: ([a]) =>
      `Failed to load fixtures: ${a}, opportunities[0] (id "opp_built"): unknown field "stage". Remove it or fix its spelling.`,
  },
  {
    problem: 'a timestamp that is not second-precision UTC',
    files: { 'a.json': buildFixtureFile({ opportunities: [buildOpportunity({ won_at: '2024-01-25' })] }) },
    message: ([a]) =>
      `Failed to load fixtures: ${a}, opportunities[0] (id "opp_built"), field "won_at": must be a UTC timestamp with second precision, e.g. 2024-01-25T10:00:00Z. Fix the record and start again.`,
  },
  {
    problem: 'a reference to an account no file defines',
    files: { 'a.json': buildFixtureFile({ apiKeys: [buildApiKey({ account: 'acc_ghost' })] }) },
    message: ([a]) =>
      `Failed to load fixtures: ${a}, apiKeys[0] (key "gr_test_built"), field "account": account "acc_ghost" does not exist. Add it to "accounts" in one of the fixture files or fix the reference.`,
  },
  {
    problem: 'an unknown section',
    files: { 'a.json': { ...buildFixtureFile(), contacts: [] } },
    message: ([a]) =>
      `Failed to load fixtures: ${a}, top level: unknown section "contacts". Use only "accounts", "apiKeys" and "opportunities".`,
  },
  {
    problem: 'text that is not JSON',
    files: { 'a.json': '{ "opportunities": [ }' },
    message: ([a]) =>
      `Failed to load fixtures: ${a}: not valid JSON (${jsonSyntaxError('{ "opportunities": [ }')}). Fix the file and start again.`,
  },
]

it.each(badFixtureCases)('throws FIXTURE_INVALID naming the file, the record and the field for $problem', ({ files, message }) => {
  const paths = writeTempFiles(files)

  const error = thrownBy(() => createGetRazeMock({ fixtures: paths }))

  expectMockError(error, 'FIXTURE_INVALID', message(paths))
})

it('throws FIXTURE_UNREADABLE naming a fixture file that does not exist', () => {
  const [existing] = writeTempFiles({ 'a.json': buildFixtureFile() })
  const missing = `${existing}.missing`

  const error = thrownBy(() => createGetRazeMock({ fixtures: [existing!, missing] }))

  expectMockError(
    error,
    'FIXTURE_UNREADABLE',
    `Failed to load fixtures: ${missing}: the file does not exist. Check the path passed to --fixtures.`,
  )
})

it('names inline fixture data by its position in the fixtures option', () => {
  const error = thrownBy(() =>
    createGetRazeMock({ fixtures: [defaultFixturesPath(), buildFixtureFile({ accounts: [], apiKeys: [], opportunities: [buildOpportunity({ account: 'acc_ghost' })] })] }),
  )

  expectMockError(
    error,
    'FIXTURE_INVALID',
    'Failed to load fixtures: fixtures[1], opportunities[0] (id "opp_built"), field "account": account "acc_ghost" does not exist. Add it to "accounts" in one of the fixture files or fix the reference.',
  )
})

it('rejects startMockServer for a bad fixture file without ever listening on the port', async () => {
  const [good, bad] = writeTempFiles({
    'good.json': buildFixtureFile(),
    'bad.json': buildFixtureFile({ accounts: [], apiKeys: [], opportunities: [buildOpportunity({ id: 'opp_second', status: 'closed' as never })] }),
  })
  const probe = await startMockServer({ port: 0, fixtures: [good!] })
  const port = Number(new URL(probe.url).port)
  await probe.close()

  const failure = startMockServer({ port, fixtures: [good!, bad!] })

  await expect(failure).rejects.toThrow(
    `Failed to load fixtures: ${bad}, opportunities[0] (id "opp_second"), field "status": must be one of new, contacted, qualified, proposal, negotiation, won, lost. Fix the record and start again.`,
  )
  await expect(failure).rejects.toMatchObject({ code: 'FIXTURE_INVALID' })
  await expect(fetch(`http://127.0.0.1:${port}/external/v1/opportunities/opp_built/stage`, { method: 'PATCH' })).rejects.toThrow()
  // The port is still free: a good server can take it.
  const again = await startMockServer({ port, fixtures: [good!] })
  await again.close()
})

it('merges several fixture files, later ones adding to earlier ones', async () => {
  const defaults = parseFixtures(readFixtureFiles([defaultFixturesPath()]))
  const [extra] = writeTempFiles({
    'extra.json': {
      accounts: [buildAccount({ id: 'acc_extra', name: 'Extra' })],
      apiKeys: [buildApiKey({ key: 'gr_test_extra', account: 'acc_extra' })],
      // An account defined in the first file is usable from the second.
      opportunities: [buildOpportunity({ id: 'opp_extra', account: 'acc_demo' })],
    } satisfies FixtureFile,
  })

  const mock = createGetRazeMock({ fixtures: [defaultFixturesPath(), extra!] })
  await mock.ready

  expect(mock.store.opportunities.count()).toBe(defaults.opportunities.length + 1)
  expect(mock.store.apiKeys.count()).toBe(defaults.apiKeys.length + 1)
  expect(mock.store.accounts.count()).toBe(defaults.accounts.length + 1)
  expect(mock.store.findOpportunity('opp_extra')?.account).toBe('acc_demo')
  expect(mock.store.findOpportunity('opp_abc123def456')?.name).toBe('John Doe')
  expect(mock.store.findApiKey('gr_test_extra')?.account).toBe('acc_extra')
})

it('merges inline fixture data with fixture files', async () => {
  const mock = createGetRazeMock({ fixtures: [defaultFixturesPath(), { opportunities: [buildOpportunity({ id: 'opp_inline' })] }] })
  await mock.ready

  expect(mock.store.findOpportunity('opp_inline')?.name).toBe('Carla Mendes')
  expect(mock.store.findOpportunity('opp_abc123def456')?.name).toBe('John Doe')
})

it('seeds fixtures/default.json when no fixtures are given', async () => {
  const defaults = parseFixtures(readFixtureFiles([defaultFixturesPath()]))

  const mock = createGetRazeMock()
  await mock.ready

  expect(mock.store.opportunities.findMany().map((opportunity) => opportunity.id)).toEqual(defaults.opportunities.map((opportunity) => opportunity.id))
  expect(mock.store.apiKeys.findMany().map((apiKey) => apiKey.key)).toEqual(defaults.apiKeys.map((apiKey) => apiKey.key))
})

it('keeps fixtures/fixtures.schema.json up to date with the contract (run npm run fixtures:schema)', () => {
  const committed = readFileSync(new URL('../fixtures/fixtures.schema.json', import.meta.url), 'utf8')

  expect(committed).toBe(buildFixturesJsonSchema())
})

describe('fixtures/default.json', () => {
  const defaults = parseFixtures(readFixtureFiles([defaultFixturesPath()]))
  const apiKey = (key: string) => {
    const found = defaults.apiKeys.find((candidate) => candidate.key === key)
    if (!found) throw new Error(`fixtures/default.json has no API key ${key}`)
    return found
  }
  const docsAccount = () => apiKey('YOUR_API_KEY').account
  const usable = (key: string) => !apiKey(key).revoked && apiKey(key).expiresAt === null && apiKey(key).used < apiKey(key).rateLimit

  it("holds the docs' record opp_abc123def456 \"John Doe\" in the account of YOUR_API_KEY, not yet won", () => {
    const record = defaults.opportunities.find((opportunity) => opportunity.id === 'opp_abc123def456')

    expect(record).toMatchObject({ name: 'John Doe', account: docsAccount(), won_at: null })
    expect(record?.status).not.toBe('won')
  })

  it('holds an opportunity in every status for the account of YOUR_API_KEY', () => {
    const statuses = new Set(defaults.opportunities.filter((opportunity) => opportunity.account === docsAccount()).map((opportunity) => opportunity.status))

    expect([...statuses].sort()).toEqual([...opportunityStatuses].sort())
  })

  it('gives YOUR_API_KEY opportunities read and write on a usable key', () => {
    expect(grantsPermission(apiKey('YOUR_API_KEY').permissions, 'opportunities:read')).toBe(true)
    expect(grantsPermission(apiKey('YOUR_API_KEY').permissions, 'opportunities:write')).toBe(true)
    expect(usable('YOUR_API_KEY')).toBe(true)
  })

  it('gives gr_test_readonly opportunities:read without opportunities:write', () => {
    expect(grantsPermission(apiKey('gr_test_readonly').permissions, 'opportunities:read')).toBe(true)
    expect(grantsPermission(apiKey('gr_test_readonly').permissions, 'opportunities:write')).toBe(false)
    expect(usable('gr_test_readonly')).toBe(true)
  })

  it('marks gr_test_revoked as revoked', () => {
    expect(apiKey('gr_test_revoked').revoked).toBe(true)
  })

  it('lets gr_test_expired expire before 2024', () => {
    const { expiresAt } = apiKey('gr_test_expired')

    expect(expiresAt).not.toBeNull()
    expect(Date.parse(expiresAt!)).toBeLessThan(Date.parse('2024-01-01T00:00:00Z'))
  })

  it('has gr_test_ratelimited start with its hourly allowance used up', () => {
    const { used, rateLimit } = apiKey('gr_test_ratelimited')

    expect(used).toBeGreaterThanOrEqual(rateLimit)
  })

  it('gives gr_test_other_account a second account that owns opp_other_account', () => {
    const otherAccount = apiKey('gr_test_other_account').account
    const record = defaults.opportunities.find((opportunity) => opportunity.id === 'opp_other_account')

    expect(otherAccount).not.toBe(docsAccount())
    expect(record?.account).toBe(otherAccount)
    expect(usable('gr_test_other_account')).toBe(true)
  })

  it('points editors at the committed JSON schema', () => {
    const raw = JSON.parse(readFileSync(defaultFixturesPath(), 'utf8')) as { $schema?: string }

    expect(raw.$schema).toBe('./fixtures.schema.json')
  })
})
