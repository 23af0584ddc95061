import type { z } from 'zod'
import { fixtureFileSchema } from '../contract/schemas.js'
import type { FixtureSet } from '../contract/schemas.js'
import { GetRazeMockError } from '../errors/GetRazeMockError.js'

/** One fixture document and where it came from (a file path, or a label for inline data). */
export interface FixtureSource {
  source: string
  data: unknown
}

type Section = 'accounts' | 'apiKeys' | 'opportunities'
const idField: Record<Section, 'id' | 'key'> = { accounts: 'id', apiKeys: 'key', opportunities: 'id' }
const noun: Record<Section, string> = { accounts: 'account', apiKeys: 'API key', opportunities: 'opportunity' }

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
  if ((section === 'accounts' || section === 'apiKeys' || section === 'opportunities') && typeof index === 'number') {
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
    fail(source, 'top level', `unknown section "${issue.keys.join('", "')}"`, 'Use only "accounts", "apiKeys" and "opportunities"')
  }
  fail(source, issue.path.length ? `"${issue.path.join('.')}"` : 'top level', issue.message, 'Fix the file')
}

/**
 * Validates fixture documents and merges them into one set, checking what a schema alone cannot:
 * unique ids across all documents and references to existing accounts. Throws a
 * `FIXTURE_INVALID` error naming the source, the record and the field; returns nothing partial.
 *
 * @example
 * const fixtures = parseFixtures([{ source: 'fixtures/default.json', data: json }])
 */
export function parseFixtures(sources: readonly FixtureSource[], options: ParseFixturesOptions = {}): FixtureSet {
  // Parsing is synchronous, so the action can live in module scope for the helpers above.
  action = options.action ?? 'load fixtures'
  const accountExists = options.accountExists ?? (() => false)
  const merged: FixtureSet = { accounts: [], apiKeys: [], opportunities: [] }
  const seen = new Map<string, string>()

  for (const { source, data } of sources) {
    const result = fixtureFileSchema.safeParse(data)
    if (!result.success) describeIssue(source, data, result.error.issues[0]!)

    for (const section of ['accounts', 'apiKeys', 'opportunities'] as const) {
      result.data[section].forEach((record, index) => {
        const id = (record as Record<string, string>)[idField[section]]!
        const key = `${section}:${id}`
        const first = seen.get(key)
        if (first !== undefined) {
          fail(
            source,
            `${describeRecord(section, index, record)}, field "${idField[section]}"`,
            `duplicates the ${noun[section]} at ${first}`,
            `Give each ${noun[section]} a unique ${idField[section]}`,
          )
        }
        seen.set(key, `${source} ${section}[${index}]`)
      })
    }
    merged.accounts.push(...result.data.accounts)
    merged.apiKeys.push(...result.data.apiKeys)
    merged.opportunities.push(...result.data.opportunities)
  }

  const accountIds = new Set(merged.accounts.map((account) => account.id))
  for (const { source, data } of sources) {
    for (const section of ['apiKeys', 'opportunities'] as const) {
      const records = ((data as Record<string, unknown> | null)?.[section] ?? []) as Array<{ account?: unknown }>
      records.forEach((record, index) => {
        if (typeof record.account === 'string' && !accountIds.has(record.account) && !accountExists(record.account)) {
          fail(
            source,
            `${describeRecord(section, index, record)}, field "account"`,
            `account "${record.account}" does not exist`,
            'Add it to "accounts" in one of the fixture files or fix the reference',
          )
        }
      })
    }
  }
  return merged
}
