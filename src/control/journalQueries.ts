import { GetRazeMockError } from '../errors/GetRazeMockError.js'
import { fingerprintKey, maskApiKey } from './maskRequest.js'
import { describeKind, quoteName, quoteValue } from './quoteValue.js'
import type { JournalRecord } from './journalStorage.js'
import type { JournalEntry, JournalFilter } from './TestControl.js'

// What the journal answers, read from its storage: entries, filters, and the near misses of a
// failed `expectCalls`.

/** The headers of an entry: lower-case names, repeated headers joined with ", ". */
function toHeaderRecord(headers: string): Record<string, string> {
  const record: Record<string, string> = {}
  if (headers === '') return record
  const parts = headers.split('\n')
  for (let i = 0; i < parts.length; i += 2) {
    const name = parts[i]!.toLowerCase()
    const value = parts[i + 1] ?? ''
    record[name] = record[name] === undefined ? value : `${record[name]}, ${value}`
  }
  return record
}

/**
 * Deepest nesting of a journaled body that is parsed back into objects. Anything deeper stays
 * text: a body of 4,200 nested arrays, parsed, overflowed the stack of every `JSON.stringify`
 * that later read the journal (the admin API's, a test's) and killed the server (issue 15).
 */
export const maxJournalBodyDepth = 64

/** Whether JSON text nests arrays and objects deeper than `max`, strings skipped. */
function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i)
    if (inString) {
      if (ch === 0x5c) i++
      else if (ch === 0x22) inString = false
    } else if (ch === 0x22) {
      inString = true
    } else if (ch === 0x5b || ch === 0x7b) {
      if (++depth > max) return true
    } else if (ch === 0x5d || ch === 0x7d) {
      depth--
    }
  }
  return false
}

function parseBody(text: string | undefined, clipped: boolean): unknown {
  if (text === undefined || text === '') return null
  if (clipped || nestsDeeperThan(text, maxJournalBodyDepth)) return text
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** A stored record as `journal.list()` shows it. */
export function toEntry(record: JournalRecord): JournalEntry {
  return {
    id: String(record.seq),
    at: new Date(record.atMs).toISOString(),
    method: record.method,
    path: record.path,
    query: record.query,
    headers: toHeaderRecord(record.headers),
    body: parseBody(record.bodyText, record.bodyClipped),
    status: record.status,
    code: record.code,
    resourceId: record.resourceId,
    opportunityId: opportunityIdOf(record),
    apiKey: record.apiKey,
    durationMs: Math.round(record.durationMs * 1000) / 1000,
    fault: record.fault,
  }
}

const filterFields = ['method', 'path', 'status', 'code', 'resourceId', 'opportunityId', 'apiKey'] as const

/** The route's `:id` when its endpoint names an opportunity; `null` on the contacts endpoints and elsewhere. */
function opportunityIdOf(record: JournalRecord): string | null {
  return record.resource === 'opportunity' ? record.resourceId : null
}

/** How a record differs from the filter, one line per field; empty when it matches. */
function differences(record: JournalRecord, filter: JournalFilter, keyFingerprint: number | undefined): string[] {
  const diffs: string[] = []
  for (const field of filterFields) {
    const wanted = filter[field]
    if (wanted === undefined) continue
    if (field === 'apiKey') {
      if (record.keyFingerprint !== keyFingerprint) {
        diffs.push(`apiKey ${record.apiKey ?? 'none'}, expected ${maskApiKey(String(wanted))}`)
      }
      continue
    }
    const actual = field === 'opportunityId' ? opportunityIdOf(record) : record[field]
    if (actual !== wanted) diffs.push(`${field} ${JSON.stringify(actual)}, expected ${JSON.stringify(wanted)}`)
  }
  return diffs
}

function describeFilter(filter: JournalFilter): string {
  const parts = filterFields
    .filter((field) => filter[field] !== undefined)
    .map((field) => (field === 'apiKey' ? `apiKey ${maskApiKey(String(filter.apiKey))}` : `${field} ${JSON.stringify(filter[field])}`))
  return parts.length > 0 ? parts.join(', ') : 'any request'
}

function describeRecord(record: JournalRecord): string {
  const query = record.query ? `?${record.query}` : ''
  return `#${record.seq} ${record.method} ${record.path}${query} -> ${record.status}${record.code ? ` ${record.code}` : ''}`
}

/** Near misses shown in an `expectCalls` failure. */
const nearMissCount = 5

/**
 * Checks a filter once, so a bad one fails with a message naming the field rather than matching
 * nothing.
 */
export function checkFilter(filter: unknown, action: string): JournalFilter {
  if (filter === undefined || filter === null) return {}
  if (typeof filter !== 'object' || Array.isArray(filter)) {
    throw new GetRazeMockError('INVALID_OPTION', `Failed to ${action}: the filter must be an object. Pass e.g. { method: 'PATCH', status: 429 }.`)
  }
  const record = filter as Record<string, unknown>
  for (const field of Object.keys(record)) {
    const value = record[field]
    if (value === undefined) continue
    if (!(filterFields as readonly string[]).includes(field)) {
      throw new GetRazeMockError(
        'INVALID_OPTION',
        `Failed to ${action}: unknown filter field ${quoteName(field)}. Use ${filterFields.join(', ')}.`,
      )
    }
    const ok = field === 'status' ? Number.isInteger(value) : field === 'code' ? value === null || typeof value === 'string' : typeof value === 'string'
    if (!ok) {
      const expected = field === 'status' ? 'a whole number' : field === 'code' ? 'a string or null' : 'a string'
      // Shown small and flat, and a key never: by its kind only, even with the wrong type.
      const shown = field === 'apiKey' ? describeKind(value) : quoteValue(value)
      throw new GetRazeMockError('INVALID_OPTION', `Failed to ${action}: filter field "${field}" must be ${expected}, got ${shown}. Fix the filter.`)
    }
  }
  return record as JournalFilter
}

/**
 * The records that match `filter`, checked first so a bad filter names its field.
 *
 * @example
 * matchingRecords(storage.records(), { status: 429 })
 */
export function matchingRecords(records: Iterable<JournalRecord>, filter: JournalFilter | undefined): JournalRecord[] {
  const checked = checkFilter(filter, 'read the request journal')
  const fingerprint = checked.apiKey === undefined ? undefined : fingerprintKey(checked.apiKey)
  const result: JournalRecord[] = []
  for (const record of records) if (differences(record, checked, fingerprint).length === 0) result.push(record)
  return result
}

/**
 * Throws `CALLS_MISMATCH` unless exactly `times` records match `filter`, listing the closest
 * others with how each differs, as WireMock's near misses do.
 *
 * @example
 * verifyCalls(storage.records(), { status: 429 }, 1, { recorded: storage.recorded, dropped: storage.dropped })
 */
export function verifyCalls(records: Iterable<JournalRecord>, filter: JournalFilter, times: number, kept: { recorded: number; dropped: number }): void {
  const action = 'verify calls'
    const checked = checkFilter(filter, action)
    const fingerprint = checked.apiKey === undefined ? undefined : fingerprintKey(checked.apiKey)
    const misses: Array<{ record: JournalRecord; diffs: string[] }> = []
    let found = 0
    for (const record of records) {
      const diffs = differences(record, checked, fingerprint)
      if (diffs.length === 0) found++
      else misses.push({ record, diffs })
    }
    if (found === times) return
    const plural = (n: number) => `${n} request${n === 1 ? '' : 's'}`
    const lines = [
      `Failed to ${action}: expected ${plural(times)} matching ${describeFilter(checked)}, found ${found}.`,
    ]
    // Closest first: fewest differing fields, then the most recent.
    const nearest = misses
      .sort((a, b) => a.diffs.length - b.diffs.length || b.record.seq - a.record.seq)
      .slice(0, nearMissCount)
    if (nearest.length > 0) {
      lines.push(found < times ? 'Near misses (closest first):' : 'Other requests (closest first):')
      for (const miss of nearest) lines.push(`  ${describeRecord(miss.record)}: ${miss.diffs.join('; ')}`)
    } else if (kept.recorded === 0) {
      lines.push('The journal is empty: no request reached the mock since the start or the last reset.')
    }
    if (kept.dropped > 0) lines.push(`Only the last ${kept.recorded - kept.dropped} requests are kept; ${kept.dropped} older ones were dropped.`)
    lines.push('Check the request your code sends, or the filter.')
  throw new GetRazeMockError('CALLS_MISMATCH', lines.join('\n'))
}
