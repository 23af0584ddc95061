import { GetRazeMockError } from '../errors/GetRazeMockError.js'
import type { MockExchange, MockRequest } from '../core/MockRequest.js'
import { credentialHeader, fingerprintKey, maskApiKey, maskHeader, maskQuery } from './maskRequest.js'
import { describeKind, quoteName, quoteValue } from './quoteValue.js'
import type { JournalEntry, JournalFilter } from './TestControl.js'

/** What the journal keeps per request: masked already, the entry's remaining fields made on read. */
interface Record_ {
  seq: number
  atMs: number
  method: string
  path: string
  /** Masked. */
  query: string
  /** Masked copy: name/value pairs joined with "\n". */
  headers: string
  bodyText: string | undefined
  /** The body was longer than the journal keeps. */
  bodyClipped: boolean
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
 * A masked copy of the request's headers as one string: names and values separated by "\n",
 * which no header value can hold. Raw name/value pairs (the server's `rawHeaders`) are joined
 * as they are, with the credential values (keys, tokens, cookies: see `credentialHeader`) masked.
 */
function copyHeaders(headers: MockRequest['headers']): string {
  if (!headers) return ''
  if (Array.isArray(headers)) {
    let pairs = headers as readonly string[]
    for (let i = 0; i < pairs.length; i += 2) {
      const lower = credentialHeader(pairs[i]!)
      if (lower === undefined) continue
      if (pairs === headers) pairs = headers.slice()
      ;(pairs as string[])[i + 1] = maskHeader(lower, pairs[i + 1] ?? '')
    }
    return pairs.join('\n')
  }
  const pairs: string[] = []
  const add = (name: string, value: string) => {
    const lower = credentialHeader(name)
    pairs.push(name, lower === undefined ? value : maskHeader(lower, value))
  }
  // A Fetch Headers (msw); header names are lower case, so a plain record never has `forEach`.
  if (typeof (headers as Headers).forEach === 'function') {
    ;(headers as Headers).forEach((value, name) => add(name, value))
  } else {
    const record = headers as Readonly<Record<string, string | string[] | undefined>>
    for (const name in record) {
      const value = record[name]
      if (value !== undefined) add(name, Array.isArray(value) ? value.join(', ') : value)
    }
  }
  return pairs.join('\n')
}

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

function errorCode(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null
  const error = (body as { error?: { code?: unknown } }).error
  return typeof error?.code === 'string' ? error.code : null
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

function toEntry(record: Record_): JournalEntry {
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

const encoder = new TextEncoder()
const decoder = new TextDecoder()

interface NodeBufferLike {
  write(text: string, offset: number, encoding: 'utf8'): number
  toString(encoding: 'utf8', start: number, end: number): string
}
/** Node's `Buffer` when there is one (its `write` needs no view per call), else none (browsers). */
const NodeBuffer = (globalThis as { Buffer?: { alloc(size: number): NodeBufferLike } }).Buffer

/** A fixed byte area for the journal's text: UTF-8 in, strings out. */
function createTextArea(capacity: number) {
  if (NodeBuffer) {
    const bytes = NodeBuffer.alloc(capacity)
    return {
      write: (value: string, at: number) => bytes.write(value, at, 'utf8'),
      read: (start: number, end: number) => bytes.toString('utf8', start, end),
    }
  }
  const bytes = new Uint8Array(capacity)
  return {
    write: (value: string, at: number) => encoder.encodeInto(value, bytes.subarray(at)).written,
    read: (start: number, end: number) => decoder.decode(bytes.subarray(start, end)),
  }
}
/** Text bytes reserved per entry (path, query, headers, body), and the least in all. */
const textBytesPerEntry = 1024
const minTextBytes = 1024 * 1024
/** The most of each part an entry keeps, in UTF-16 units; the rest is clipped. */
const maxBodyChars = 16 * 1024
const maxHeaderChars = 16 * 1024
const maxPartChars = 8 * 1024
const hasOpportunityId = 1
const hasBody = 2
const bodyClipped = 4

function clip(value: string, max: number): string {
  return value.length > max ? value.slice(0, max) : value
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
  // Struct of arrays and one byte ring, allocated once: a request leaves no object of its own
  // behind. Entries live for `size` requests, so anything a request kept would outlive the young
  // generation, be promoted and die in the old one: measured at +12% CPU and +130 MB peak RSS
  // with 100,000 fixtures before this layout. See decisions/0031-bounded-request-journal.md.
  const capacity = size === 0 ? 0 : Math.max(minTextBytes, size * textBytesPerEntry)
  let text = createTextArea(capacity)
  let atMs = new Float64Array(size)
  let durations = new Float64Array(size)
  let statuses = new Int32Array(size)
  /** NaN when the request had no key. */
  let fingerprints = new Float64Array(size)
  /** Where each entry's text starts in `text`, and its UTF-8 length. */
  let textStarts = new Uint32Array(size)
  let textLengths = new Uint32Array(size)
  /** UTF-16 lengths of the text's parts: opportunity id, path, query, headers; the body is the rest. */
  let partLengths = new Uint32Array(size * 4)
  /** Strings the mock already holds (constants, the cached mask): keeping them costs nothing. */
  let methods: string[] = new Array(size)
  let codes: Array<string | null> = new Array(size)
  let maskedKeys: Array<string | null> = new Array(size)
  let faults: Array<string | null> = new Array(size)
  let flags = new Uint8Array(size)
  /** Requests recorded since the last clear, and the oldest one still kept. */
  let recorded = 0
  let first = 0
  let writeAt = 0
  /** The id before the first request since the last clear: ids keep counting across clears. */
  let idBase = 0
  // Requests mostly repeat one key: mask it once.
  let lastMask = ''
  let lastFingerprint = Number.NaN

  function allocate() {
    text = createTextArea(capacity)
    atMs = new Float64Array(size)
    durations = new Float64Array(size)
    statuses = new Int32Array(size)
    fingerprints = new Float64Array(size)
    textStarts = new Uint32Array(size)
    textLengths = new Uint32Array(size)
    partLengths = new Uint32Array(size * 4)
    methods = new Array(size)
    codes = new Array(size)
    maskedKeys = new Array(size)
    faults = new Array(size)
    flags = new Uint8Array(size)
    writeAt = 0
  }

  /** Finds room for `bytes` bytes of text, dropping the oldest entries that are in the way. */
  function reserve(bytes: number): number {
    if (writeAt + bytes > capacity) {
      // Entries past writeAt are the previous lap's, the oldest: they go before wrapping.
      while (first < recorded && textStarts[first % size]! >= writeAt) first++
      writeAt = 0
    }
    while (first < recorded) {
      const slot = first % size
      const start = textStarts[slot]!
      if (start >= writeAt + bytes || start + textLengths[slot]! <= writeAt) break
      first++
    }
    return writeAt
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
    if (recorded - first >= size) first++
    const slot = recorded % size
    // Keyed by fingerprint, so the journal holds no key whole even in this cache.
    const fingerprint = apiKey === undefined ? Number.NaN : fingerprintKey(apiKey)
    if (apiKey !== undefined && fingerprint !== lastFingerprint) {
      lastFingerprint = fingerprint
      lastMask = maskApiKey(apiKey)
    }
    const id = opportunityId === undefined ? '' : clip(opportunityId, maxPartChars)
    const path = clip(request.path, maxPartChars)
    const query = clip(maskQuery(request.query), maxPartChars)
    const headers = clip(copyHeaders(request.headers), maxHeaderChars)
    const body = request.body === undefined ? '' : clip(request.body, maxBodyChars)
    const joined = id + path + query + headers + body
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    const start = reserve(joined.length * 3)
    const written = text.write(joined, start)
    writeAt = start + written
    textStarts[slot] = start
    textLengths[slot] = written
    partLengths[slot * 4] = id.length
    partLengths[slot * 4 + 1] = path.length
    partLengths[slot * 4 + 2] = query.length
    partLengths[slot * 4 + 3] = headers.length
    flags[slot] =
      (opportunityId === undefined ? 0 : hasOpportunityId) |
      (request.body === undefined ? 0 : hasBody) |
      (body.length < (request.body?.length ?? 0) ? bodyClipped : 0)
    atMs[slot] = at
    durations[slot] = durationMs
    statuses[slot] = status
    fingerprints[slot] = fingerprint
    methods[slot] = request.method
    codes[slot] = errorCode(responseBody)
    maskedKeys[slot] = apiKey === undefined ? null : lastMask
    faults[slot] = fault
    recorded++
  }

  function read(index: number): Record_ {
    const slot = index % size
    const fingerprint = fingerprints[slot]!
    const start = textStarts[slot]!
    const all = text.read(start, start + textLengths[slot]!)
    const idEnd = partLengths[slot * 4]!
    const pathEnd = idEnd + partLengths[slot * 4 + 1]!
    const queryEnd = pathEnd + partLengths[slot * 4 + 2]!
    const headersEnd = queryEnd + partLengths[slot * 4 + 3]!
    const flag = flags[slot]!
    return {
      seq: idBase + index + 1,
      atMs: atMs[slot]!,
      method: methods[slot]!,
      path: all.slice(idEnd, pathEnd),
      query: all.slice(pathEnd, queryEnd),
      headers: all.slice(queryEnd, headersEnd),
      bodyText: flag & hasBody ? all.slice(headersEnd) : undefined,
      bodyClipped: (flag & bodyClipped) !== 0,
      status: statuses[slot]!,
      code: codes[slot]!,
      opportunityId: flag & hasOpportunityId ? all.slice(0, idEnd) : null,
      apiKey: maskedKeys[slot]!,
      keyFingerprint: Number.isNaN(fingerprint) ? undefined : fingerprint,
      durationMs: durations[slot]!,
      fault: faults[slot]!,
    }
  }

  function* records(): Generator<Record_> {
    for (let i = first; i < recorded; i++) yield read(i)
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
      first = 0
      allocate()
    },
    expectCalls(filter, times) {
      const action = 'verify calls'
      if (!Number.isInteger(times) || times < 0) {
        throw new GetRazeMockError('INVALID_OPTION', `Failed to ${action}: times ${quoteValue(times)} is not a whole number >= 0. Pass e.g. 1.`)
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
      if (first > 0) lines.push(`Only the last ${recorded - first} requests are kept; ${first} older ones were dropped.`)
      lines.push('Check the request your code sends, or the filter.')
      throw new GetRazeMockError('CALLS_MISMATCH', lines.join('\n'))
    },
  }
}
