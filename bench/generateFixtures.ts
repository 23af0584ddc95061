import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { opportunityStatuses } from '../src/contract/opportunityStatuses.js'
import type { FixtureFile, OpportunityInput } from '../src/contract/schemas.js'
import { benchApiKey } from './request.js'

/** The bundled default fixtures. */
export const defaultFixturesFile = fileURLToPath(new URL('../fixtures/default.json', import.meta.url))

/**
 * The bench key's hourly allowance. The bundled key allows 1,000 requests an hour, so the mock
 * would rightly answer 429 after the first second of load; the bench raises it out of reach.
 * 10⁹, not more: it stays a small integer for V8, as a real key's limit is. With 10¹², writing the
 * remaining count into X-RateLimit-Remaining took about 3% of the server's CPU, a cost of the
 * bench's number that no real key pays.
 */
export const benchRateLimit = 1e9

/**
 * The default fixtures with the bench key's rate limit raised: "default fixtures" in every
 * table means this file. Nothing else differs from fixtures/default.json.
 */
export function benchDefaultFixtures(): FixtureFile {
  const fixtures = JSON.parse(readFileSync(defaultFixturesFile, 'utf8')) as FixtureFile & { $schema?: string }
  // The relative $schema path would not resolve from a temporary folder.
  delete fixtures.$schema
  fixtures.description = `${fixtures.description ?? ''} (bench copy: ${benchApiKey} rate limit raised to ${benchRateLimit})`.trim()
  const key = fixtures.apiKeys?.find((apiKey) => apiKey.key === benchApiKey)
  if (!key) throw new Error(`Failed to prepare bench fixtures: ${defaultFixturesFile} has no ${benchApiKey} key.`)
  key.rateLimit = benchRateLimit
  return fixtures
}

const positions = ['CEO', 'CTO', 'Head of Sales', 'Marketing Manager', 'Engineer', 'Buyer', 'Founder']
const sources = ['linkedin', 'website', 'referral', 'event', 'cold_email', null]
const owners = [
  { id: 'usr_maria01', name: 'Maria Silva' },
  { id: 'usr_joao02', name: 'João Souza' },
  { id: 'usr_ana03', name: 'Ana Lima' },
]

/** When the first generated record was created; each next one 30 seconds later. */
const firstCreatedAt = Date.UTC(2023, 0, 1)
/** Seconds between two generated records: 1,000,000 of them span about a year, all before the docs' clock. */
const createdEverySeconds = 30

/** An instant `seconds` after `from` (ms), as the API writes it (UTC, whole seconds). */
const timestampAfter = (from: number, seconds: number) => `${new Date(from + seconds * 1000).toISOString().slice(0, 19)}Z`

/**
 * A plausible opportunity, different for each `index`, with every field the schema has.
 *
 * Each record is created 30 seconds after the one before, so the default order of a list
 * (newest first) is a real order, not ties broken by id, and the statuses alternate along it: a
 * first page of `status=qualified` finds its 20 records among the newest 140 of the account,
 * as a real pipeline would, at any store size.
 */
export function generateOpportunity(index: number): OpportunityInput {
  const status = opportunityStatuses[index % opportunityStatuses.length]!
  const created = index * createdEverySeconds
  const closedAt = timestampAfter(firstCreatedAt, created + 3 * 86_400)
  return {
    id: `opp_bench${String(index).padStart(7, '0')}`,
    // One in ten belongs to the second account, so account checks see a mixed store.
    account: index % 10 === 9 ? 'acc_other' : 'acc_demo',
    name: `Lead ${index}`,
    email: `lead${index}@company${index % 997}.example`,
    phone: `+55 11 9${String(index).padStart(4, '0').slice(-4)}-${String(index * 7).padStart(4, '0').slice(-4)}`,
    company: `Company ${index % 997}`,
    position: positions[index % positions.length]!,
    status,
    source: sources[index % sources.length]!,
    deal_value: (index * 37) % 100_000,
    deal_currency: 'BRL',
    linkedin_url: `https://www.linkedin.com/in/lead-${index}`,
    notes: index % 3 === 0 ? `Generated for the bench, record ${index}.` : null,
    campaign: index % 2 === 0 ? { id: `camp_${index % 50}`, name: `Campaign ${index % 50}` } : null,
    responsible_user: owners[index % owners.length]!,
    won_at: status === 'won' ? closedAt : null,
    lost_at: status === 'lost' ? closedAt : null,
    created_at: timestampAfter(firstCreatedAt, created),
    updated_at: timestampAfter(firstCreatedAt, created + 3600),
  }
}

/**
 * Writes the bench fixtures with exactly `total` opportunities to `file`: the defaults (including
 * the docs' John Doe record the bench request updates) followed by generated ones. Written in
 * slices, not as one `JSON.stringify`: a million records make about 500 MB of JSON, too close to
 * the longest string V8 can hold (512 MiB).
 */
export function writeSizedFixtures(file: string, total: number): void {
  const fixtures = benchDefaultFixtures()
  const defaults = fixtures.opportunities ?? []
  const count = Math.max(total, defaults.length)
  const header = {
    description: `Bench fixtures: ${count} opportunities (the defaults plus generated ones), ${benchApiKey} rate limit ${benchRateLimit}.`,
    accounts: fixtures.accounts ?? [],
    apiKeys: fixtures.apiKeys ?? [],
  }
  const fd = openSync(file, 'w')
  try {
    // The header's closing brace is replaced by the opportunities section.
    writeSync(fd, `${JSON.stringify(header).slice(0, -1)},"opportunities":[`)
    const slice: string[] = defaults.map((opportunity) => JSON.stringify(opportunity))
    for (let index = defaults.length; index <= count; index++) {
      if (slice.length === 10_000 || index === count) {
        if (slice.length > 0) writeSync(fd, (index > slice.length ? ',' : '') + slice.join(','))
        slice.length = 0
      }
      if (index < count) slice.push(JSON.stringify(generateOpportunity(index)))
    }
    writeSync(fd, ']}')
  } finally {
    closeSync(fd)
  }
}

/**
 * The opportunities of `writeSizedFixtures(file, total)`, written for json-server (bench:peers)
 * as JSON arrays of `perPart` records each, `part-000.json` and on in `dir`, plus `db.cjs`, a
 * json-server database module that loads them into memory. Parts, because the records of a
 * million would not fit in one string; a module, so that json-server keeps its database in
 * memory instead of rewriting a file on every write. Returns the module's path.
 *
 * @example
 * const database = writeJsonServerDatabase(join(tmp, 'json-server-100000'), 100_000)
 */
export function writeJsonServerDatabase(dir: string, total: number, perPart = 50_000): string {
  mkdirSync(dir, { recursive: true })
  const defaults = benchDefaultFixtures().opportunities ?? []
  const count = Math.max(total, defaults.length)
  const parts: string[] = []
  let slice: string[] = defaults.map((opportunity) => JSON.stringify(opportunity))
  const flush = () => {
    const name = `part-${String(parts.length).padStart(3, '0')}.json`
    writeFileSync(join(dir, name), `[${slice.join(',')}]`)
    parts.push(name)
    slice = []
  }
  for (let index = defaults.length; index < count; index++) {
    slice.push(JSON.stringify(generateOpportunity(index)))
    if (slice.length === perPart) flush()
  }
  if (slice.length > 0 || parts.length === 0) flush()
  const database = join(dir, 'db.cjs')
  writeFileSync(
    database,
    [
      "const { readFileSync } = require('node:fs')",
      "const { join } = require('node:path')",
      `const parts = ${JSON.stringify(parts)}`,
      'module.exports = () => {',
      '  const opportunities = []',
      "  for (const part of parts) for (const record of JSON.parse(readFileSync(join(__dirname, part), 'utf8'))) opportunities.push(record)",
      '  return { opportunities }',
      '}',
      '',
    ].join('\n'),
  )
  return database
}

/** Fixture files the bench writes into `dir`. */
export interface BenchFixtureFiles {
  /** Default fixtures with the raised rate limit. */
  defaults: string
  /** Sized fixtures by opportunity count. */
  sized: Map<number, string>
}

/**
 * Writes the bench's fixture files into `dir`.
 *
 * @example
 * const files = writeBenchFixtures(tmp, [10_000, 100_000])
 * files.sized.get(100_000) // '<tmp>/opportunities-100000.json'
 */
export function writeBenchFixtures(dir: string, sizes: readonly number[]): BenchFixtureFiles {
  mkdirSync(dir, { recursive: true })
  const defaults = join(dir, 'default-bench.json')
  writeFileSync(defaults, JSON.stringify(benchDefaultFixtures()))
  const sized = new Map<number, string>()
  for (const size of sizes) {
    const file = join(dir, `opportunities-${size}.json`)
    writeSizedFixtures(file, size)
    sized.set(size, file)
  }
  return { defaults, sized }
}
