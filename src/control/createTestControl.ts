import type { EndpointContract } from '../contract/EndpointContract.js'
import type { MockCore } from '../core/createMockCore.js'
import type { RateLimiter } from '../core/createRateLimiter.js'
import type { MockExchange, MockRequest } from '../core/MockRequest.js'
import { GetRazeMockError } from '../errors/GetRazeMockError.js'
import type { MockStore } from '../store/createStore.js'
import { createFaults } from './createFaults.js'
import type { FaultPlan } from './createFaults.js'
import { createJournal } from './createJournal.js'
import type { Journal } from './createJournal.js'
import type { MockClock } from './createMockClock.js'
import type { FaultControl, JournalControl, JournalFilter } from './TestControl.js'

/** Options of `createTestControl`. */
export interface TestControlOptions {
  core: MockCore
  store: MockStore
  clock: MockClock
  rateLimiter: RateLimiter
  endpoints: readonly EndpointContract[]
  /**
   * Requests the journal keeps (a ring: the oldest go first); `0` turns it off.
   * @default 10000
   */
  journalSize?: number
  /**
   * Hears what the journal could not record.
   * @default console.error
   */
  onUnexpectedError?: (error: unknown) => void
}

/** The journal size when none is given. */
export const defaultJournalSize = 10_000

/** Checks `journalSize` once, where the mock is created. */
export function resolveJournalSize(size: number | undefined): number {
  if (size === undefined) return defaultJournalSize
  if (!Number.isInteger(size) || size < 0) {
    throw new GetRazeMockError(
      'INVALID_OPTION',
      `Failed to create the mock: journalSize ${JSON.stringify(size)} is not a whole number >= 0. Pass e.g. 10000, or 0 to turn the journal off.`,
    )
  }
  return size
}

/**
 * The test-control side of one mock: journal, faults and the adapters' hooks. The clock is the
 * runtime's; this only resets it.
 *
 * @example
 * const control = createTestControl({ core, store, clock, rateLimiter, endpoints })
 * control.journal.count({ status: 429 })
 */
export function createTestControl(options: TestControlOptions) {
  const { core, clock } = options
  const journal: Journal = createJournal(resolveJournalSize(options.journalSize), options.onUnexpectedError)
  const faults = createFaults(options)
  /** Requests held open by `network: 'timeout'` faults, with how to let each go. */
  const held = new Set<() => void>()
  /** Who watches faulted requests besides the journal (`observeFaults`). */
  const faultObservers = new Set<(exchange: MockExchange) => void>()

  function notifyFault(request: MockRequest, plan: FaultPlan, at: Date) {
    const response = plan.response ?? { status: 0, headers: {}, body: undefined, text: '' }
    const exchange: MockExchange = { request, response, at, params: plan.params, operationId: plan.operationId, durationMs: plan.delayMs, fault: plan.fault }
    for (const listener of faultObservers) {
      try {
        listener(exchange)
      } catch {
        // An observer's fault must not change what the client gets, as with the core's observers.
      }
    }
  }

  // With the journal off nothing observes the core, which then does no extra work per request.
  if (journal.size > 0) core.observe(journal.recordExchange, { record: false })

  function releaseHeld() {
    const releases = [...held]
    held.clear()
    for (const release of releases) release()
  }

  const journalControl: JournalControl<true> = {
    list: (filter?: JournalFilter) => journal.list(filter),
    count: (filter?: JournalFilter) => journal.count(filter),
    clear: () => journal.clear(),
  }

  const faultControl: FaultControl<true> = {
    add: (fault) => faults.add(fault),
    list: () => faults.list(),
    remove: (id) => faults.remove(id),
    clear() {
      faults.clear()
      releaseHeld()
    },
  }

  return {
    journal: journalControl,
    faults: faultControl,
    expectCalls: (filter: JournalFilter, times: number) => journal.expectCalls(filter, times),
    /**
     * For adapters, before the pipeline: what to do instead of answering `request`, or
     * `undefined`. Error and network faults are journaled here; a delayed request is journaled
     * by the pipeline once answered.
     */
    planFault(request: MockRequest): FaultPlan | undefined {
      const plan = faults.plan(request)
      if (plan && (plan.response || plan.network)) {
        const at = clock()
        if (faultObservers.size > 0) notifyFault(request, plan, at)
        journal.record({
          request,
          at,
          status: plan.response?.status ?? 0,
          responseBody: plan.response?.body,
          apiKey: plan.apiKey,
          resourceId: plan.resourceId,
          resource: plan.resource,
          durationMs: plan.delayMs,
          fault: plan.fault,
        })
      }
      return plan
    },
    /**
     * Calls `listener` for every request a fault answered or broke (not for delays, which the
     * pipeline then answers and its observers see). Returns a function that removes it.
     */
    observeFaults(listener: (exchange: MockExchange) => void): () => void {
      faultObservers.add(listener)
      return () => faultObservers.delete(listener)
    },
    /**
     * For adapters: registers a request held by a `timeout` fault. `release` is called on
     * `faults.clear()` and `reset()`; call the returned function once the request is gone.
     */
    hold(release: () => void): () => void {
      held.add(release)
      return () => held.delete(release)
    },
    /** Clears the journal and faults, lets held requests go and puts the clock back. */
    reset() {
      journal.clear()
      faults.clear()
      releaseHeld()
      clock.restore()
    },
  }
}

export type TestControlRuntime = ReturnType<typeof createTestControl>
