import { endpoints } from '../contract/endpoints.js'
import type { EndpointDefinition } from '../contract/EndpointDefinition.js'
import { GetRazeMockError } from '../errors/GetRazeMockError.js'
import type { MockExchange, MockRequest } from '../core/MockRequest.js'
import { createJournalStorage } from './journalStorage.js'
import { matchingRecords, toEntry, verifyCalls } from './journalQueries.js'
import { quoteValue } from './quoteValue.js'
import type { JournalEntry, JournalFilter } from './TestControl.js'

export { checkFilter, maxJournalBodyDepth } from './journalQueries.js'

/** The resource each operation's path names (`updateOpportunityStage` → `opportunity`), for `opportunityId`. */
const resourceOfOperation = new Map((endpoints as readonly EndpointDefinition[]).flatMap((endpoint) => (endpoint.resource ? [[endpoint.operationId, endpoint.resource.name] as const] : [])))

/** One request to record: the request, what it was answered, and when. */
export interface JournalInput {
  request: MockRequest
  at: Date
  status: number
  /** The body sent, to read `error.code` from. */
  responseBody: unknown
  /** The raw key the request presented, if any; only its mask and fingerprint are kept. */
  apiKey: string | undefined
  /** The route's `:id`, of any resource. */
  resourceId: string | undefined
  /** The resource the route's endpoint names (`opportunity`, `contact`). */
  resource: string | undefined
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
 * Creates the request journal: a bounded ring of the last `size` requests (0 keeps none), with
 * keys masked as they are recorded. The storage (`journalStorage.ts`) and the reading
 * (`journalQueries.ts`) live apart; this joins them.
 *
 * @example
 * const journal = createJournal(10_000)
 * core.observe(journal.recordExchange)
 * journal.count({ status: 429 })
 */
export function createJournal(size: number): Journal {
  const storage = createJournalStorage(size)
  return {
    size,
    get recorded() {
      return storage.recorded
    },
    record(input) {
      if (size === 0) return
      storage.store(input.request, input.at.getTime(), input.status, input.responseBody, input.apiKey, input.resourceId, input.resource, input.durationMs, input.fault ?? null)
    },
    recordExchange(exchange) {
      if (size === 0) return
      const { response } = exchange
      storage.store(exchange.request, exchange.at.getTime(), response.status, response.body, response.apiKey, exchange.params.id, exchange.operationId === undefined ? undefined : resourceOfOperation.get(exchange.operationId), exchange.durationMs, null)
    },
    list: (filter) => matchingRecords(storage.records(), filter).map(toEntry),
    count: (filter) => matchingRecords(storage.records(), filter).length,
    clear: () => storage.clear(),
    expectCalls(filter, times) {
      if (!Number.isInteger(times) || times < 0) {
        throw new GetRazeMockError('INVALID_OPTION', `Failed to verify calls: times ${quoteValue(times)} is not a whole number >= 0. Pass e.g. 1.`)
      }
      if (size === 0) {
        throw new GetRazeMockError(
          'JOURNAL_DISABLED',
          'Failed to verify calls: the request journal is off (journalSize 0). Start the mock with journalSize > 0 (--journal-size on the CLI).',
        )
      }
      verifyCalls(storage.records(), filter, times, { recorded: storage.recorded, dropped: storage.dropped })
    },
  }
}
