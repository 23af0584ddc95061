import type { ApiErrorCode } from '../contract/apiErrors.js'

/**
 * Selects journal entries. Every field given must match exactly; an empty filter matches all.
 * `apiKey` is compared with the key the request presented (the journal keeps only a masked copy
 * and a fingerprint, never the whole key).
 */
export interface JournalFilter {
  method?: string
  /** Path without the query string, as received, e.g. `/external/v1/opportunities/opp_1/stage`. */
  path?: string
  status?: number
  /** `error.code` of the answer, or `null` for a success. */
  code?: string | null
  /** The `:id` the path names, of any resource (`opp_...`, `cnt_...`). */
  resourceId?: string
  /** The `:id` the path names on an opportunity endpoint. */
  opportunityId?: string
  apiKey?: string
}

/** One request the mock answered (or refused through a fault), as the journal keeps it. */
export interface JournalEntry {
  /** Increasing per mock, as a string: `"1"`, `"2"`, ... */
  id: string
  /** The mock's clock when the request came in, ISO 8601. */
  at: string
  method: string
  path: string
  /** The query string without `?`; `api_key` values masked. */
  query: string
  /**
   * Request headers by lower-case name; credentials masked: `x-api-key`, `authorization`,
   * `proxy-authorization`, `cookie` and `set-cookie` (cookie names kept), and `x-` headers whose
   * name holds token, auth, key, secret, session, passw, credential, signature or cookie.
   */
  headers: Record<string, string>
  /**
   * The JSON body parsed, else the body text (also for a body over 16 KiB, or nested more than 64
   * levels deep), else `null`.
   */
  body: unknown
  /** The status sent; `0` when a network fault closed or held the connection. */
  status: number
  /** `error.code` of the answer, or `null`. */
  code: string | null
  /** The `:id` the route names, of any resource (`opp_...`, `cnt_...`), or `null` for a path without one. */
  resourceId: string | null
  /** `resourceId` on an opportunity endpoint (the stage update, get, update, delete), else `null`. */
  opportunityId: string | null
  /** The presented key, masked as in the request log, or `null`. */
  apiKey: string | null
  /** Time the mock spent on the request, including any fault delay. */
  durationMs: number
  /** The id of the fault that answered (`"prefer"` for a `Prefer` header), or `null`. */
  fault: string | null
}

/** What a fault applies to: any of these, each exact. */
export type FaultMatch = Omit<JournalFilter, 'status' | 'code'>

/** A scripted failure. Give `error`, `network`, `delayMs`, or `delayMs` with one of the others. */
export interface Fault {
  /** Requests the fault applies to. @default every request */
  match?: FaultMatch
  /** Answer this documented error exactly as the mock would (status, envelope, headers). */
  error?: ApiErrorCode
  /** Wait this long first. Alone, the request is then answered normally. @default 0 */
  delayMs?: number
  /**
   * `'reset'` closes the connection (msw: `HttpResponse.error()`); `'timeout'` never answers
   * (held until the client gives up, or until `faults.clear()` / `reset()`).
   */
  network?: 'reset' | 'timeout'
  /** Matching requests to let through before the fault starts. @default 0 */
  after?: number
  /** Requests to fail before the fault expires. @default unlimited */
  times?: number
}

/** A fault as `faults.list()` shows it. */
export interface ActiveFault extends Fault {
  id: string
  /** Requests the fault has answered so far. */
  applied: number
}

/** `T` for the in-process mock, `Promise<T>` over HTTP. */
export type Answer<T, Sync extends boolean> = Sync extends true ? T : Promise<T>

export interface JournalControl<Sync extends boolean = false> {
  /** Entries matching `filter`, oldest first. */
  list(filter?: JournalFilter): Answer<JournalEntry[], Sync>
  count(filter?: JournalFilter): Answer<number, Sync>
  clear(): Answer<void, Sync>
}

export interface FaultControl<Sync extends boolean = false> {
  /** Adds a fault (checked after those added before it); returns its id. */
  add(fault: Fault): Answer<string, Sync>
  list(): Answer<ActiveFault[], Sync>
  /** Removes a fault; `false` when no fault has that id (it may have expired). */
  remove(id: string): Answer<boolean, Sync>
  clear(): Answer<void, Sync>
}

export interface ClockControl<Sync extends boolean = false> {
  /** Freezes the clock at `instant` (Date, ISO 8601 string or epoch milliseconds). */
  set(instant: Date | string | number): Answer<void, Sync>
  /** Moves the clock forward; a frozen clock stays frozen, a running one keeps running. */
  advance(seconds: number): Answer<void, Sync>
  /** Back to real time. */
  real(): Answer<void, Sync>
  now(): Answer<Date, Sync>
}

/**
 * Test control over a GetRaze mock: the request journal, call verification, scripted faults and
 * the clock. The same interface in process (`createGetRazeMock()`, `startMockServer().mock`,
 * where answers are immediate) and over HTTP (`connectAdmin(url)`, where they are promises).
 * `await` works on both, so a suite written against `TestControl<boolean>` runs on either.
 */
export interface TestControl<Sync extends boolean = false> {
  journal: JournalControl<Sync>
  /**
   * Throws a `CALLS_MISMATCH` error unless exactly `times` journal entries match `filter`; the
   * message lists the closest entries and how each differs from the filter.
   */
  expectCalls(filter: JournalFilter, times: number): Answer<void, Sync>
  faults: FaultControl<Sync>
  clock: ClockControl<Sync>
  /** Restores the fixtures, clears rate limits, the journal and faults, and puts the clock back. */
  reset(): Promise<void>
}
