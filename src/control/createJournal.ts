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

/**
 * Exchanges queued before they are written to the storage at once. A few dozen keep the writing
 * warm; far fewer than a young-generation collection's worth of requests, so the queue rarely
 * makes an exchange outlive one (see decisions/0031).
 */
const batchSize = 64
/** A body longer than this is written at once instead of held in the queue. */
const maxQueuedBodyChars = 16 * 1024
/** Longest an exchange waits in the queue when no read and no full batch writes it first. */
const maxQueuedMs = 50

/**
 * Runs `write` after `maxQueuedMs`, without keeping a Node process alive for it (a read writes
 * the queue anyway).
 */
function scheduleWrite(write: () => void): void {
  const timer = setTimeout(write, maxQueuedMs) as { unref?: () => void }
  timer.unref?.()
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
 * keys masked as they are written to it. Pipeline exchanges are queued and written in batches
 * (at the latest before any read). The storage (`journalStorage.ts`) and the reading
 * (`journalQueries.ts`) live apart; this joins them.
 *
 * `onError` hears what the journal could not record (it is written outside any request).
 *
 * @example
 * const journal = createJournal(10_000)
 * core.observe(journal.recordExchange, { record: false })
 * journal.count({ status: 429 })
 */
export function createJournal(size: number, onError: (error: unknown) => void = (error) => console.error(error)): Journal {
  const storage = createJournalStorage(size)
  // Exchanges answered but not yet written to the storage. Masking and copying a request into
  // the storage cost about four times as much between the server's own work on every request as
  // in a loop over several (measured in the server: 13 µs against 3 µs, decisions/0152), so the
  // pipeline only queues its exchanges and they are written in batches. Every read writes the
  // queue first, so nothing can see it.
  const pending: MockExchange[] = []
  /** A timed write is due; it may find the queue already written. */
  let scheduled = false

  function writePending() {
    // Taken out of the queue first: a read from `onError` finds it empty rather than writing the
    // same exchanges twice.
    const batch = pending.splice(0)
    for (let index = 0; index < batch.length; index++) {
      const exchange = batch[index]!
      const { response } = exchange
      try {
        storage.store(exchange.request, exchange.at.getTime(), response.status, response.body, response.apiKey, exchange.params.id, exchange.operationId === undefined ? undefined : resourceOfOperation.get(exchange.operationId), exchange.durationMs, null)
      } catch (error) {
        // Written from a timer, where a throw would stop the server: one request the journal
        // cannot copy is reported and left out, as the pipeline's observers' faults are.
        onError(error)
      }
    }
  }

  /** The storage, with every queued exchange written. */
  function written() {
    if (pending.length > 0) writePending()
    return storage
  }

  return {
    size,
    get recorded() {
      return written().recorded
    },
    record(input) {
      if (size === 0) return
      // After what is queued, in the order the requests were answered.
      written().store(input.request, input.at.getTime(), input.status, input.responseBody, input.apiKey, input.resourceId, input.resource, input.durationMs, input.fault ?? null)
    },
    recordExchange(exchange) {
      if (size === 0) return
      pending.push(exchange)
      if (pending.length >= batchSize || (exchange.request.body?.length ?? 0) > maxQueuedBodyChars) writePending()
      else if (!scheduled) {
        scheduled = true
        scheduleWrite(() => {
          scheduled = false
          writePending()
        })
      }
    },
    list: (filter) => matchingRecords(written().records(), filter).map(toEntry),
    count: (filter) => matchingRecords(written().records(), filter).length,
    // Written first: requests answered before the clear take their ids, which keep counting.
    clear: () => written().clear(),
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
      const storage = written()
      verifyCalls(storage.records(), filter, times, { recorded: storage.recorded, dropped: storage.dropped })
    },
  }
}
