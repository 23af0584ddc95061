import { GetRazeMockError } from '../errors/GetRazeMockError.js'
import type { MockExchange, MockRequest } from '../core/MockRequest.js'
import { fingerprintKey, maskApiKey, maskHeader, maskQuery } from './maskRequest.js'
import type { JournalEntry, JournalFilter } from './TestControl.js'

/** What the journal keeps per request: masked already, the entry's remaining fields made on read. */
interface Record_ {
  seq: number
  atMs: number
  method: string
  path: string
  /** Masked. */
  query: string
  /** Masked copy, as a record or as raw name/value pairs. */
  headers: Record<string, string> | string[]
  bodyText: string | undefined
  status: number
  code: string | null
  opportunityId: string | null
  /** Masked. */
  apiKey: string | null
  keyFingerprint: number | undefined
  durationMs: number
  fault: string | null
}

/** One request to record: the request, what it was answered, and when. */
export interface JournalInput {
  request: MockRequest
  at: Date
  status: number
  /** The body sent, to read `error.code` from. */
  responseBody: unknown
  /** The raw key the request presented, if any; only its mask and fingerprint are kept. */
  apiKey: string | undefined
  opportunityId: string | undefined
  durationMs: number
  fault?: string
}

/** The journal: a ring of the last `size` requests. */
export interface Journal {
  readonly size: number
  /** Requests recorded since the start or the last `clear()`, including any the ring dropped. */
  readonly recorded: number
  record(input: JournalInput): void
  /** `record` for a pipeline exchange, without building an input object on the hot path. */
  recordExchange(exchange: MockExchange): void
  list(filter?: JournalFilter): JournalEntry[]
  count(filter?: JournalFilter): number
  clear(): void
  /** Throws `CALLS_MISMATCH` unless exactly `times` entries match, listing the near misses. */
  expectCalls(filter: JournalFilter, times: number): void
}

/**
 * A masked copy of the request's headers. Raw name/value pairs (the server's `rawHeaders`) are
 * copied with one `slice`, the cheapest form on the hot path, and turned into a record on read.
 */
function copyHeaders(headers: MockRequest['headers']): Record<string, string> | string[] {
  if (!headers) return {}
  if (Array.isArray(headers)) {
    const pairs = headers.slice() as string[]
    for (let i = 0; i < pairs.length; i += 2) {
      const name = pairs[i]!
      // Only names of these two lengths can be key-bearing; skip lower-casing the rest.
      if (name.length !== 9 && name.length !== 13) continue
      const lower = name.toLowerCase()
      if (lower === 'x-api-key' || lower === 'authorization') pairs[i + 1] = maskHeader(lower, pairs[i + 1] ?? '')
    }
    return pairs
  }
  const copy: Record<string, string> = {}
  // A Fetch Headers (msw); header names are lower case, so a plain record never has `forEach`.
  if (typeof (headers as Headers).forEach === 'function') {
    ;(headers as Headers).forEach((value, name) => {
      copy[name] = name === 'x-api-key' || name === 'authorization' ? maskHeader(name, value) : value
    })
    return copy
  }
  const record = headers as Readonly<Record<string, string | string[] | undefined>>
  for (const name in record) {
    const value = record[name]
    if (value === undefined) continue
    const text = Array.isArray(value) ? value.join(', ') : value
    copy[name] = name === 'x-api-key' || name === 'authorization' ? maskHeader(name, text) : text
  }
  return copy
}

/** The headers of an entry: lower-case names, repeated headers joined with ", ". */
function toHeaderRecord(headers: Record<string, string> | string[]): Record<string, string> {
  if (!Array.isArray(headers)) return { ...headers }
  const record: Record<string, string> = {}
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i]!.toLowerCase()
    const value = headers[i + 1] ?? ''
    record[name] = record[name] === undefined ? value : `${record[name]}, ${value}`
  }
  return record
}

function errorCode(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null
  const error = (body as { error?: { code?: unknown } }).error
  return typeof error?.code === 'string' ? error.code : null
}

function parseBody(text: string | undefined): unknown {
  if (text === undefined || text === '') return null
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

function toEntry(record: Record_): JournalEntry {
  return {
    id: String(record.seq),
    at: new Date(record.atMs).toISOString(),
    method: record.method,
    path: record.path,
    query: record.query,
    headers: toHeaderRecord(record.headers),
    body: parseBody(record.bodyText),
    status: record.status,
    code: record.code,
    opportunityId: record.opportunityId,
    apiKey: record.apiKey,
    durationMs: Math.round(record.durationMs * 1000) / 1000,
    fault: record.fault,
  }
}

const filterFields = ['method', 'path', 'status', 'code', 'opportunityId', 'apiKey'] as const

/** How a record differs from the filter, one line per field; empty when it matches. */
function differences(record: Record_, filter: JournalFilter, keyFingerprint: number | undefined): string[] {
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
    const actual = record[field]
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

function describeRecord(record: Record_): string {
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
        `Failed to ${action}: unknown filter field "${field}". Use ${filterFields.join(', ')}.`,
      )
    }
    const ok = field === 'status' ? Number.isInteger(value) : field === 'code' ? value === null || typeof value === 'string' : typeof value === 'string'
    if (!ok) {
      const expected = field === 'status' ? 'a whole number' : field === 'code' ? 'a string or null' : 'a string'
      throw new GetRazeMockError('INVALID_OPTION', `Failed to ${action}: filter field "${field}" must be ${expected}, got ${JSON.stringify(value)}. Fix the filter.`)
    }
  }
  return record as JournalFilter
}

/**
 * Creates the request journal: a bounded ring of the last `size` requests (0 keeps none), with
 * keys masked as they are recorded.
 *
 * @example
 * const journal = createJournal(10_000)
 * core.observe((exchange) => journal.record(...))
 * journal.count({ status: 429 })
 */
export function createJournal(size: number): Journal {
  // Struct of arrays, allocated once: a request adds no record object of its own, so fewer
  // objects outlive the young generation (each entry lives for `size` requests). See
  // decisions/0031-bounded-request-journal.md.
  let atMs = new Float64Array(size)
  let durations = new Float64Array(size)
  let statuses = new Int32Array(size)
  /** NaN when the request had no key. */
  let fingerprints = new Float64Array(size)
  let methods: string[] = new Array(size)
  let paths: string[] = new Array(size)
  let queries: string[] = new Array(size)
  let headerCopies: Array<Record<string, string> | string[]> = new Array(size)
  let bodies: Array<string | undefined> = new Array(size)
  let codes: Array<string | null> = new Array(size)
  let opportunityIds: Array<string | null> = new Array(size)
  let maskedKeys: Array<string | null> = new Array(size)
  let faults: Array<string | null> = new Array(size)
  /** Requests recorded since the last clear. */
  let recorded = 0
  /** The id before the first request since the last clear: ids keep counting across clears. */
  let idBase = 0
  // Requests mostly repeat one key: mask and fingerprint it once.
  let lastKey: string | undefined
  let lastMask = ''
  let lastFingerprint = 0

  function allocate() {
    atMs = new Float64Array(size)
    durations = new Float64Array(size)
    statuses = new Int32Array(size)
    fingerprints = new Float64Array(size)
    methods = new Array(size)
    paths = new Array(size)
    queries = new Array(size)
    headerCopies = new Array(size)
    bodies = new Array(size)
    codes = new Array(size)
    opportunityIds = new Array(size)
    maskedKeys = new Array(size)
    faults = new Array(size)
  }

  function store(
    request: MockRequest,
    at: number,
    status: number,
    responseBody: unknown,
    apiKey: string | undefined,
    opportunityId: string | undefined,
    durationMs: number,
    fault: string | null,
  ) {
    const slot = recorded % size
    if (apiKey !== lastKey && apiKey !== undefined) {
      lastKey = apiKey
      lastMask = maskApiKey(apiKey)
      lastFingerprint = fingerprintKey(apiKey)
    }
    atMs[slot] = at
    durations[slot] = durationMs
    statuses[slot] = status
    fingerprints[slot] = apiKey === undefined ? Number.NaN : lastFingerprint
    methods[slot] = request.method
    paths[slot] = request.path
    queries[slot] = maskQuery(request.query)
    headerCopies[slot] = copyHeaders(request.headers)
    bodies[slot] = request.body
    codes[slot] = errorCode(responseBody)
    opportunityIds[slot] = opportunityId ?? null
    maskedKeys[slot] = apiKey === undefined ? null : lastMask
    faults[slot] = fault
    recorded++
  }

  function read(index: number): Record_ {
    const slot = index % size
    const fingerprint = fingerprints[slot]!
    return {
      seq: idBase + index + 1,
      atMs: atMs[slot]!,
      method: methods[slot]!,
      path: paths[slot]!,
      query: queries[slot]!,
      headers: headerCopies[slot]!,
      bodyText: bodies[slot],
      status: statuses[slot]!,
      code: codes[slot]!,
      opportunityId: opportunityIds[slot]!,
      apiKey: maskedKeys[slot]!,
      keyFingerprint: Number.isNaN(fingerprint) ? undefined : fingerprint,
      durationMs: durations[slot]!,
      fault: faults[slot]!,
    }
  }

  function* records(): Generator<Record_> {
    const kept = Math.min(recorded, size)
    for (let i = recorded - kept; i < recorded; i++) yield read(i)
  }

  function matching(filter: JournalFilter | undefined): Record_[] {
    const checked = checkFilter(filter, 'read the request journal')
    const fingerprint = checked.apiKey === undefined ? undefined : fingerprintKey(checked.apiKey)
    const result: Record_[] = []
    for (const record of records()) if (differences(record, checked, fingerprint).length === 0) result.push(record)
    return result
  }

  return {
    size,
    get recorded() {
      return recorded
    },
    record(input) {
      if (size === 0) return
      store(input.request, input.at.getTime(), input.status, input.responseBody, input.apiKey, input.opportunityId, input.durationMs, input.fault ?? null)
    },
    recordExchange(exchange) {
      if (size === 0) return
      const { response } = exchange
      store(exchange.request, exchange.at.getTime(), response.status, response.body, response.apiKey, exchange.params.id, exchange.durationMs, null)
    },
    list: (filter) => matching(filter).map(toEntry),
    count: (filter) => matching(filter).length,
    clear() {
      idBase += recorded
      recorded = 0
      allocate()
    },
    expectCalls(filter, times) {
      const action = 'verify calls'
      if (!Number.isInteger(times) || times < 0) {
        throw new GetRazeMockError('INVALID_OPTION', `Failed to ${action}: times ${JSON.stringify(times)} is not a whole number >= 0. Pass e.g. 1.`)
      }
      if (size === 0) {
        throw new GetRazeMockError(
          'JOURNAL_DISABLED',
          `Failed to ${action}: the request journal is off (journalSize 0). Start the mock with journalSize > 0 (--journal-size on the CLI).`,
        )
      }
      const checked = checkFilter(filter, action)
      const fingerprint = checked.apiKey === undefined ? undefined : fingerprintKey(checked.apiKey)
      const misses: Array<{ record: Record_; diffs: string[] }> = []
      let found = 0
      for (const record of records()) {
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
      } else if (recorded === 0) {
        lines.push('The journal is empty: no request reached the mock since the start or the last reset.')
      }
      if (recorded > size) lines.push(`Only the last ${size} requests are kept; ${recorded - size} older ones were dropped.`)
      lines.push('Check the request your code sends, or the filter.')
      throw new GetRazeMockError('CALLS_MISMATCH', lines.join('\n'))
    },
  }
}
