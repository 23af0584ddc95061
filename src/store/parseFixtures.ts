import type { z } from 'zod'
import { fixtureFileSchema } from '../contract/schemas.js'
import type { FixtureSet } from '../contract/schemas.js'
import { GetRazeMockError } from '../errors/GetRazeMockError.js'

/** One fixture document and where it came from (a file path, or a label for inline data). */
export interface FixtureSource {
  source: string
  data: unknown
}

/** The sections of a fixture file, in the order they are merged and stored. */
export const fixtureSections = ['accounts', 'apiKeys', 'campaigns', 'users', 'opportunities', 'contacts'] as const
type Section = (typeof fixtureSections)[number]
const idField: Record<Section, 'id' | 'key'> = { accounts: 'id', apiKeys: 'key', campaigns: 'id', users: 'id', opportunities: 'id', contacts: 'id' }
const noun: Record<Section, string> = { accounts: 'account', apiKeys: 'API key', campaigns: 'campaign', users: 'user', opportunities: 'opportunity', contacts: 'contact' }
const isSection = (value: unknown): value is Section => (fixtureSections as readonly unknown[]).includes(value)

/** Options of `parseFixtures`. */
export interface ParseFixturesOptions {
  /**
   * What is being done, for the error message ("Failed to <action>: ...").
   * @default 'load fixtures'
   */
  action?: string
  /**
   * Accounts that exist outside these sources (the store's), for reference checks.
   * @default () => false
   */
  accountExists?: (id: string) => boolean
}

let action = 'load fixtures'

function fail(source: string, where: string, reason: string, fix: string): never {
  throw new GetRazeMockError('FIXTURE_INVALID', `Failed to ${action}: ${source}, ${where}: ${reason}. ${fix}.`)
}

function describeRecord(section: Section, index: number, record: unknown): string {
  const id = (record as Record<string, unknown> | null)?.[idField[section]]
  return typeof id === 'string' ? `${section}[${index}] (${idField[section]} "${id}")` : `${section}[${index}]`
}

function describeIssue(source: string, data: unknown, issue: z.core.$ZodIssue): never {
  const [section, index, field, ...rest] = issue.path
  if (isSection(section) && typeof index === 'number') {
    const record = (data as Record<string, unknown[]>)[section]?.[index]
    const where = describeRecord(section, index, record)
    if (issue.code === 'unrecognized_keys') {
      fail(source, where, `unknown field "${issue.keys.join('", "')}"`, 'Remove it or fix its spelling')
    }
    if (field === undefined) fail(source, where, issue.message, 'Fix the record')
    const fieldPath = [field, ...rest].join('.')
    // Walk the whole path, so a missing nested field (e.g. "campaign.name") also reads "is
    // required" rather than zod's "expected string, received undefined".
    const value = [field, ...rest].reduce<unknown>(
      (parent, key) => (parent as Record<PropertyKey, unknown> | null | undefined)?.[key as PropertyKey],
      record,
    )
    const missing = issue.code === 'invalid_type' && value === undefined
    fail(source, `${where}, field "${fieldPath}"`, missing ? 'is required' : issue.message, 'Fix the record and start again')
  }
  if (issue.code === 'unrecognized_keys') {
    fail(source, 'top level', `unknown section "${issue.keys.join('", "')}"`, `Use only ${fixtureSections.map((name) => `"${name}"`).join(', ')}`)
  }
  fail(source, issue.path.length ? `"${issue.path.join('.')}"` : 'top level', issue.message, 'Fix the file')
}

/** One section of the merged set, with what the merge needs to know about each record. */
interface MergedSection<T> {
  records: T[]
  /** Position in `records` by id (by key for API keys). */
  positions: Map<string, number>
  /** Which source (its index in `sources`) each record comes from. */
  sourceOf: number[]
}

function mergedSection<T>(): MergedSection<T> {
  return { records: [], positions: new Map(), sourceOf: [] }
}

/** Where a record of a source sits, found again only when an error needs it. */
function indexIn(data: unknown, section: Section, id: string): number {
  const records = ((data as Record<string, unknown> | null)?.[section] ?? []) as Array<Record<string, unknown> | null>
  return records.findIndex((record) => record?.[idField[section]] === id)
}

/**
 * Validates fixture documents and merges them into one set, checking what a schema alone cannot:
 * unique ids within a document and references to existing accounts. A later document replaces a
 * record of an earlier one with the same id (accounts, opportunities) or key (API keys) whole, in
 * its place; references are checked on the merged set. Throws a `FIXTURE_INVALID` error naming
 * the source, the record and the field; returns nothing partial.
 *
 * @example
 * const fixtures = parseFixtures([{ source: 'fixtures/default.json', data: json }])
 */
export function parseFixtures(sources: readonly FixtureSource[], options: ParseFixturesOptions = {}): FixtureSet {
  // Parsing is synchronous, so the action can live in module scope for the helpers above.
  action = options.action ?? 'load fixtures'
  const accountExists = options.accountExists ?? (() => false)
  const merged = {
    accounts: mergedSection<FixtureSet['accounts'][number]>(),
    apiKeys: mergedSection<FixtureSet['apiKeys'][number]>(),
    campaigns: mergedSection<FixtureSet['campaigns'][number]>(),
    users: mergedSection<FixtureSet['users'][number]>(),
    opportunities: mergedSection<FixtureSet['opportunities'][number]>(),
    contacts: mergedSection<FixtureSet['contacts'][number]>(),
  }

  sources.forEach(({ source, data }, sourceIndex) => {
    const result = fixtureFileSchema.safeParse(data)
    if (!result.success) describeIssue(source, data, result.error.issues[0]!)

    for (const section of fixtureSections) {
      const into = merged[section] as MergedSection<unknown>
      const records = result.data[section]
      // A plain loop, never push(...records): a spread passes every record as an argument on
      // the stack, which overflowed from about 122,000 records (issue 8).
      for (let index = 0; index < records.length; index++) {
        const record = records[index]!
        const id = (record as Record<string, string>)[idField[section]]!
        const position = into.positions.get(id)
        if (position === undefined) {
          into.positions.set(id, into.records.length)
          into.records.push(record)
          into.sourceOf.push(sourceIndex)
        } else if (into.sourceOf[position] === sourceIndex) {
          fail(
            source,
            `${describeRecord(section, index, record)}, field "${idField[section]}"`,
            `duplicates the ${noun[section]} at ${source} ${section}[${indexIn(data, section, id)}]`,
            `Give each ${noun[section]} a unique ${idField[section]} within a file`,
          )
        } else {
          into.records[position] = record
          into.sourceOf[position] = sourceIndex
        }
      }
    }
  })

  for (const section of fixtureSections.filter((name) => name !== 'accounts')) {
    const { records, sourceOf } = merged[section]
    for (let position = 0; position < records.length; position++) {
      const record = records[position]!
      if (merged.accounts.positions.has(record.account) || accountExists(record.account)) continue
      const { source, data } = sources[sourceOf[position]!]!
      const id = (record as unknown as Record<string, string>)[idField[section]]!
      fail(
        source,
        `${describeRecord(section, indexIn(data, section, id), record)}, field "account"`,
        `account "${record.account}" does not exist`,
        'Add it to "accounts" in one of the fixture files or fix the reference',
      )
    }
  }
  return {
    accounts: merged.accounts.records,
    apiKeys: merged.apiKeys.records,
    campaigns: merged.campaigns.records,
    users: merged.users.records,
    opportunities: merged.opportunities.records,
    contacts: merged.contacts.records,
  }
}
