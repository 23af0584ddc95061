import { execFileSync, spawn } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it, onTestFinished } from 'vitest'
import { opportunityStatuses } from '../src/contract/opportunityStatuses.js'
import { leadSources } from '../src/contract/leadSources.js'
import { grantsPermission } from '../src/contract/permissions.js'
import type { FixtureFile } from '../src/contract/schemas.js'
import { createMockRuntime } from '../src/runtime/createMockRuntime.js'
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
const bin = fileURLToPath(new URL('../bin/getraze-mock.js', import.meta.url))

/** A named pipe in a temporary folder; nothing ever writes to it. */
function makeFifo(): string {
  const [placeholder] = writeTempFiles({ 'placeholder.json': '{}' })
  const fifo = join(dirname(placeholder!), 'fixtures.fifo')
  execFileSync('mkfifo', [fifo])
  return fifo
}

/**
 * Runs `serve` on a free port until it exits, or until it prints `listening` (code 'listening').
 * Killed after 10 s, which gives code null: the hang the test is there to catch.
 */
function serveUntilExit(args: string[], listening?: RegExp): Promise<{ code: number | 'listening' | null; stderr: string }> {
  if (!existsSync(fileURLToPath(new URL('../dist/cli/index.js', import.meta.url)))) {
    throw new Error('dist/ is missing, and bin/getraze-mock.js runs from it. Run `npm run build` (or `npm test`, which builds first).')
  }
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--quiet', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  return new Promise((resolve) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (listening?.test(chunk)) {
        clearTimeout(timer)
        child.kill('SIGKILL')
        resolve({ code: 'listening', stderr })
      }
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stderr })
    })
  })
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
    problem: 'an opportunity id repeated in one file, after other files',
    files: {
      'a.json': buildFixtureFile(),
      'b.json': buildFixtureFile({
        accounts: [],
        apiKeys: [],
        opportunities: [buildOpportunity({ id: 'opp_first' }), buildOpportunity(), buildOpportunity({ id: 'opp_first', name: 'Twin' })],
      }),
    },
    message: ([, b]) =>
      `Failed to load fixtures: ${b}, opportunities[2] (id "opp_first"), field "id": duplicates the opportunity at ${b} opportunities[0]. Give each opportunity a unique id within a file.`,
  },
  {
    problem: 'an API key repeated in one file',
    files: { 'a.json': buildFixtureFile({ apiKeys: [buildApiKey(), buildApiKey({ name: 'again' })] }) },
    message: ([a]) =>
      `Failed to load fixtures: ${a}, apiKeys[1] (key "gr_test_built"), field "key": duplicates the API key at ${a} apiKeys[0]. Give each API key a unique key within a file.`,
  },
  {
    problem: 'an account id repeated in one file',
    files: { 'a.json': buildFixtureFile({ accounts: [buildAccount(), buildAccount({ id: 'acc_two' }), buildAccount({ name: 'Again' })] }) },
    message: ([a]) =>
      `Failed to load fixtures: ${a}, accounts[2] (id "acc_demo"), field "id": duplicates the account at ${a} accounts[0]. Give each account a unique id within a file.`,
  },
  {
    problem: 'a reference to a missing account in a record that replaced a good one',
    files: {
      'a.json': buildFixtureFile(),
      'b.json': { opportunities: [buildOpportunity({ id: 'opp_new' }), buildOpportunity({ account: 'acc_ghost' })] },
    },
    message: ([, b]) =>
      `Failed to load fixtures: ${b}, opportunities[1] (id "opp_built"), field "account": account "acc_ghost" does not exist. Add it to "accounts" in one of the fixture files or fix the reference.`,
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
    files: { 'a.json': { ...buildFixtureFile(), deals: [] } },
    message: ([a]) =>
      `Failed to load fixtures: ${a}, top level: unknown section "deals". Use only "accounts", "apiKeys", "campaigns", "users", "opportunities", "contacts".`,
  },
  {
    problem: 'text that is not JSON',
    files: { 'a.json': '{ "opportunities": [ }' },
    message: ([a]) =>
      `Failed to load fixtures: ${a}: not valid JSON (an unexpected character where a value should be at line 1, column 22, byte 21). Fix the file and start again.`,
  },
  {
    // The place is the file's: two bytes that are not UTF-8 are two characters of the text
    // (U+FFFD each) but six bytes of it encoded again.
    problem: 'text that is not JSON after bytes that are not UTF-8',
    files: { 'a.json': Buffer.concat([Buffer.from('{"a": "'), Buffer.from([0xff, 0xfe]), Buffer.from('", ]}')]) },
    message: ([a]) => `Failed to load fixtures: ${a}: not valid JSON (expected a property name in double quotes at line 1, column 13, byte 12). Fix the file and start again.`,
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

// FIFOs and /dev/zero are tried through `serve` below, in a child process: before the fix, one
// hung and the other grew until the process ran out of memory.
it('refuses a directory as a fixture file with FIXTURE_UNREADABLE', () => {
  const [placeholder] = writeTempFiles({ 'a.json': '{}' })
  const directory = dirname(placeholder!)

  const error = thrownBy(() => createGetRazeMock({ fixtures: [directory] }))

  expectMockError(
    error,
    'FIXTURE_UNREADABLE',
    `Failed to load fixtures: ${directory}: is a directory, not a regular file. Pass the path of a JSON file (save piped data to a file first).`,
  )
})

it('refuses a fixture file larger than maxFixtureBytes before reading it, naming the flag that raises the limit', () => {
  const [file] = writeTempFiles({ 'big.json': buildFixtureFile() })
  const size = statSync(file!).size

  const error = thrownBy(() => createGetRazeMock({ fixtures: [file!], maxFixtureBytes: size - 1 }))
  const runtime = createMockRuntime({ fixtures: [file!], maxFixtureBytes: size })

  expectMockError(
    error,
    'FIXTURE_UNREADABLE',
    `Failed to load fixtures: ${file}: the file is ${size} bytes, more than the limit of ${size - 1} bytes. Split it into several files, or raise the limit with --max-fixture-bytes (option maxFixtureBytes).`,
  )
  expect(runtime.fixtureCounts.opportunities).toBe(1)
})

// Files in /proc report a size of 0 and then yield more, as a file that grows while it is read does.
it.skipIf(process.platform !== 'linux')('stops reading a file that turns out larger than its size said, at the limit', () => {
  const error = thrownBy(() => readFixtureFiles(['/proc/self/maps'], { maxFixtureBytes: 100 }))

  expectMockError(
    error,
    'FIXTURE_UNREADABLE',
    'Failed to load fixtures: /proc/self/maps: the file is larger than the limit of 100 bytes (it grew while it was read). Split it into several files, or raise the limit with --max-fixture-bytes (option maxFixtureBytes).',
  )
})

it('refuses a maxFixtureBytes that is not a positive whole number', () => {
  const error = thrownBy(() => createGetRazeMock({ maxFixtureBytes: 0 }))

  expectMockError(error, 'INVALID_OPTION', 'Failed to load fixtures: maxFixtureBytes 0 is not a positive whole number. Pass a size in bytes, e.g. 1073741824.')
})

it.each([
  { kind: 'a FIFO with no writer', path: () => makeFifo(), reason: 'is a named pipe (FIFO), not a regular file' },
  { kind: '/dev/zero', path: () => '/dev/zero', reason: 'is a character device, not a regular file' },
])('exits 1 from serve at once for $kind, printing the file, the reason and the fix', async ({ path, reason }) => {
  const file = path()

  // A hang or unbounded growth (the old behaviour) ends in the kill below: null, not 1.
  const exit = await serveUntilExit(['--fixtures', file])

  expect(exit).toEqual({ code: 1, stderr: `Failed to load fixtures: ${file}: ${reason}. Pass the path of a JSON file (save piped data to a file first).\n` })
})

it('exits 1 from serve for a fixture file over --max-fixture-bytes, and serves it once the flag allows it', async () => {
  const [file] = writeTempFiles({ 'a.json': buildFixtureFile() })
  const size = statSync(file!).size

  const refused = await serveUntilExit(['--fixtures', file!, '--max-fixture-bytes', String(size - 1)])
  const allowed = await serveUntilExit(['--fixtures', file!, '--max-fixture-bytes', String(size)], /listening on/)

  expect(refused).toEqual({
    code: 1,
    stderr: `Failed to load fixtures: ${file}: the file is ${size} bytes, more than the limit of ${size - 1} bytes. Split it into several files, or raise the limit with --max-fixture-bytes (option maxFixtureBytes).\n`,
  })
  expect(allowed).toEqual({ code: 'listening', stderr: '' })
})

it('loads 200,000 opportunities from one file (the merge once spread them as arguments and overflowed the stack)', () => {
  const count = 200_000
  const opportunities = Array.from({ length: count }, (_, index) => ({
    id: `opp_${index}`,
    account: 'acc_demo',
    name: `Lead ${index}`,
    status: 'new',
    created_at: '2024-01-10T09:00:00Z',
    updated_at: '2024-01-10T09:00:00Z',
  }))
  const [file] = writeTempFiles({ 'big.json': JSON.stringify({ accounts: [buildAccount()], opportunities }) })

  const runtime = createMockRuntime({ fixtures: [file!] })

  expect(runtime.fixtureCounts.opportunities).toBe(count)
  expect(runtime.store.findOpportunity(`opp_${count - 1}`)?.name).toBe(`Lead ${count - 1}`)
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

it('lets a later file replace the records an earlier one defines with the same id or key, whole and in place', async () => {
  const defaults = parseFixtures(readFixtureFiles([defaultFixturesPath()]))
  const [mine] = writeTempFiles({
    'mine.json': {
      accounts: [buildAccount({ id: 'acc_demo', name: 'My Company' })],
      apiKeys: [buildApiKey({ key: 'YOUR_API_KEY', account: 'acc_demo', permissions: ['opportunities:read'], rateLimit: 5 })],
      // Only the required fields: the fields the default record sets and this one leaves out are not kept.
      opportunities: [
        { id: 'opp_abc123def456', account: 'acc_demo', name: 'Jane Roe', status: 'new', created_at: '2024-02-01T09:00:00Z', updated_at: '2024-02-01T09:00:00Z' },
      ],
    } satisfies FixtureFile,
  })

  const mock = createGetRazeMock({ fixtures: [defaultFixturesPath(), mine!] })
  await mock.ready

  expect(mock.store.opportunities.count()).toBe(defaults.opportunities.length)
  expect(mock.store.apiKeys.count()).toBe(defaults.apiKeys.length)
  expect(mock.store.accounts.findMany().map((account) => [account.id, account.name])).toEqual(
    defaults.accounts.map((account) => [account.id, account.id === 'acc_demo' ? 'My Company' : account.name]),
  )
  expect(mock.store.findApiKey('YOUR_API_KEY')).toMatchObject({ permissions: ['opportunities:read'], rateLimit: 5, used: 0 })
  expect(mock.store.findOpportunity('opp_abc123def456')).toMatchObject({ name: 'Jane Roe', status: 'new', email: null, company: null, campaign: null })
  // The replacement keeps the original's place.
  expect(mock.store.opportunities.findMany().map((opportunity) => opportunity.id)).toEqual(defaults.opportunities.map((opportunity) => opportunity.id))
})

it('lets later inline fixture data replace records of a fixture file', async () => {
  const mock = createGetRazeMock({ fixtures: ['default', { opportunities: [buildOpportunity({ id: 'opp_abc123def456', name: 'Inline' })] }] })

  expect(mock.store.findOpportunity('opp_abc123def456')?.name).toBe('Inline')
})

it('checks references after merging, so a replaced record with a missing account no longer counts', () => {
  const [first, second] = writeTempFiles({
    'first.json': buildFixtureFile({ opportunities: [buildOpportunity({ account: 'acc_later' })] }),
    'second.json': { accounts: [buildAccount({ id: 'acc_other' })], opportunities: [buildOpportunity({ account: 'acc_other' })] },
  })

  const mock = createGetRazeMock({ fixtures: [first!, second!] })

  expect(mock.store.findOpportunity('opp_built')?.account).toBe('acc_other')
})

it('accepts a reference to an account that only a later file defines', () => {
  const [first, second] = writeTempFiles({
    'first.json': buildFixtureFile({ apiKeys: [buildApiKey({ account: 'acc_later' })] }),
    'second.json': { accounts: [buildAccount({ id: 'acc_later' })] },
  })

  const mock = createGetRazeMock({ fixtures: [first!, second!] })

  expect(mock.store.findApiKey('gr_test_built')?.account).toBe('acc_later')
})

it('names the file a surviving record with a missing account came from, with its index there', () => {
  const [first, second] = writeTempFiles({
    'first.json': buildFixtureFile({
      opportunities: [buildOpportunity({ id: 'opp_replaced', account: 'acc_ghost' }), buildOpportunity({ id: 'opp_kept', account: 'acc_ghost' })],
    }),
    'second.json': { opportunities: [buildOpportunity({ id: 'opp_replaced' })] },
  })

  const error = thrownBy(() => createGetRazeMock({ fixtures: [first!, second!] }))

  expectMockError(
    error,
    'FIXTURE_INVALID',
    `Failed to load fixtures: ${first}, opportunities[1] (id "opp_kept"), field "account": account "acc_ghost" does not exist. Add it to "accounts" in one of the fixture files or fix the reference.`,
  )
})

it("reads the bundled fixtures/default.json for the path 'default'", async () => {
  const [mine] = writeTempFiles({ 'mine.json': { opportunities: [buildOpportunity({ id: 'opp_mine' })] } })

  const [source] = readFixtureFiles(['default'])
  const mock = createGetRazeMock({ fixtures: ['default', mine!] })

  expect(source).toEqual({ source: defaultFixturesPath(), data: JSON.parse(readFileSync(defaultFixturesPath(), 'utf8')) })
  expect(mock.store.findOpportunity('opp_abc123def456')?.name).toBe('John Doe')
  expect(mock.store.findOpportunity('opp_mine')?.account).toBe('acc_demo')
})

it('serves `--fixtures default <file>` from the command line, with the file replacing a default record', async () => {
  const [mine] = writeTempFiles({ 'mine.json': { opportunities: [buildOpportunity({ id: 'opp_abc123def456', name: 'From my file' })] } })
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--quiet', '--fixtures', 'default', mine!], { stdio: ['ignore', 'pipe', 'pipe'] })
  onTestFinished(() => {
    child.kill('SIGKILL')
  })
  const url = await new Promise<string>((resolve, reject) => {
    let output = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk
      const match = /listening on (http:\/\/\S+)/.exec(output)
      if (match) resolve(match[1]!)
    })
    child.on('close', (code) => reject(new Error(`serve exited with ${code} before listening: ${output}`)))
  })

  const response = await fetch(`${url}/external/v1/opportunities/opp_abc123def456/stage`, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/json', 'X-API-Key': 'YOUR_API_KEY' },
    body: JSON.stringify({ status: 'won' }),
  })

  expect(response.status).toBe(200)
  expect(((await response.json()) as { data: { name: string } }).data.name).toBe('From my file')
})

it("documents the merge rule, the 'default' keyword and --max-fixture-bytes in serve --help", () => {
  const help = execFileSync(process.execPath, [bin, 'serve', '--help'], { encoding: 'utf8', env: { ...process.env, COLUMNS: '200' } }).replace(/\s+/g, ' ')

  expect(help).toContain('a later file replaces records with the same id (API keys: key)')
  expect(help).toContain('"default" is the bundled fixtures/default.json')
  expect(help).toContain('getraze-mock serve -p 0 -f default my-fixtures.json')
  expect(help).toContain('--max-fixture-bytes Largest fixture file read (1 GiB); larger files, and anything not a regular file, are refused [default: 1073741824]')
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

it('gives every default opportunity and contact a documented source, so each can be found by a source filter', () => {
  const fixtures = JSON.parse(readFileSync(defaultFixturesPath(), 'utf8')) as FixtureFile
  const records = [...(fixtures.opportunities ?? []), ...(fixtures.contacts ?? [])] as Array<{ id: string; source?: string | null }>
  const undocumented = records.filter((record) => record.source != null && !(leadSources as readonly string[]).includes(record.source))
  expect(undocumented.map((record) => `${record.id}: ${record.source}`)).toEqual([])
  expect(records.length).toBeGreaterThan(5)
})
