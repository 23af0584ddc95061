import type { MockRequest } from '../core/MockRequest.js'
import { credentialHeader, fingerprintKey, maskApiKey, maskHeader, maskQuery } from './maskRequest.js'

/** What the journal keeps per request: masked already, the entry's remaining fields made on read. */
export interface JournalRecord {
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
  /** The route's `:id`, of any resource. */
  resourceId: string | null
  /** The name of the resource the route's endpoint names (`opportunity`, `contact`), or `null`. */
  resource: string | null
  /** Masked. */
  apiKey: string | null
  keyFingerprint: number | undefined
  durationMs: number
  fault: string | null
}

/**
 * The masked header pairs of the last request from the server and their text: a client sends
 * the same headers request after request, and joining ten strings cost more than the rest of
 * the copy. Masked, so the journal still holds no key whole.
 */
interface LastHeaders {
  pairs: readonly string[]
  /** Per pair, the credential header's lower-case name (see `credentialHeader`), or undefined. */
  credentials: ReadonlyArray<string | undefined>
  text: string | undefined
}

/**
 * Whether raw name/value pairs, once masked, are the last ones: their text would be the same.
 * A name equal to the last one's is the same credential header or none, so only the values of
 * credential headers are masked again.
 */
function sameMaskedPairs(raw: readonly string[], last: LastHeaders): boolean {
  const masked = last.pairs
  if (raw.length !== masked.length) return false
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i] !== masked[i]) return false
    const lower = last.credentials[i >> 1]
    const value = raw[i + 1] ?? ''
    if ((lower === undefined ? value : maskHeader(lower, value)) !== masked[i + 1]) return false
  }
  return true
}

/**
 * A masked copy of the request's headers as one string: names and values separated by "\n",
 * which no header value can hold. Raw name/value pairs (the server's `rawHeaders`) are joined
 * as they are, with the credential values (keys, tokens, cookies: see `credentialHeader`) masked.
 */
function copyHeaders(headers: MockRequest['headers'], last: LastHeaders): string {
  if (!headers) return ''
  if (Array.isArray(headers)) {
    const raw = headers as readonly string[]
    if (last.text !== undefined && sameMaskedPairs(raw, last)) return last.text
    const pairs = raw.slice()
    const credentials: Array<string | undefined> = []
    for (let i = 0; i < pairs.length; i += 2) {
      const lower = credentialHeader(pairs[i]!)
      credentials.push(lower)
      if (lower !== undefined) pairs[i + 1] = maskHeader(lower, pairs[i + 1] ?? '')
    }
    last.pairs = pairs
    last.credentials = credentials
    last.text = pairs.join('\n')
    return last.text
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

function errorCode(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null
  const error = (body as { error?: { code?: unknown } }).error
  return typeof error?.code === 'string' ? error.code : null
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
const hasResourceId = 1
const hasBody = 2
const bodyClipped = 4

function clip(value: string, max: number): string {
  return value.length > max ? value.slice(0, max) : value
}

/**
 * The journal's bounded storage: a ring of the last `size` requests (0 keeps none), each masked
 * as it is written, and read back as `JournalRecord`s. It knows nothing of filters or entries;
 * `journalQueries.ts` reads what it holds.
 *
 * @example
 * const storage = createJournalStorage(10_000)
 * storage.store(request, Date.now(), 200, body, key, id, 0.4, null)
 * for (const record of storage.records()) console.log(record.path)
 */
export function createJournalStorage(size: number) {
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
  let resources: Array<string | null> = new Array(size)
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
  const lastHeaders: LastHeaders = { pairs: [], credentials: [], text: undefined }

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
    resources = new Array(size)
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
    resourceId: string | undefined,
    resource: string | undefined,
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
    const id = resourceId === undefined ? '' : clip(resourceId, maxPartChars)
    const path = clip(request.path, maxPartChars)
    const query = clip(maskQuery(request.query), maxPartChars)
    const headers = clip(copyHeaders(request.headers, lastHeaders), maxHeaderChars)
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
      (resourceId === undefined ? 0 : hasResourceId) |
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
    resources[slot] = resource ?? null
    recorded++
  }

  function read(index: number): JournalRecord {
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
      resourceId: flag & hasResourceId ? all.slice(0, idEnd) : null,
      resource: resources[slot]!,
      apiKey: maskedKeys[slot]!,
      keyFingerprint: Number.isNaN(fingerprint) ? undefined : fingerprint,
      durationMs: durations[slot]!,
      fault: faults[slot]!,
    }
  }

  function* records(): Generator<JournalRecord> {
    for (let i = first; i < recorded; i++) yield read(i)
  }

  return {
    size,
    /** Requests stored since the start or the last `clear()`, including any the ring dropped. */
    get recorded() {
      return recorded
    },
    /** Requests the ring dropped since the last `clear()` to keep within its bounds. */
    get dropped() {
      return first
    },
    store,
    records,
    /** Forgets every request; ids keep counting. */
    clear() {
      idBase += recorded
      recorded = 0
      first = 0
      allocate()
    },
  }
}

export type JournalStorage = ReturnType<typeof createJournalStorage>
