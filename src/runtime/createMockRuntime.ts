/**
 * The composition root: a seeded store, the request pipeline over it and the test control over
 * both, wired once for every adapter. It sits above core, control and store and is the only
 * place that imports all three, so none of them imports another upward.
 */
import type { FixtureFile } from '../contract/schemas.js'
import { createStore } from '../store/createStore.js'
import type { MockStore } from '../store/createStore.js'
import { parseFixtures } from '../store/parseFixtures.js'
import type { FixtureSource } from '../store/parseFixtures.js'
import { defaultFixturesKeyword, readFixtureFiles } from '../store/readFixtureFiles.js'
import type { ClockInput } from '../core/createClock.js'
import { createMockCore } from '../core/createMockCore.js'
import { createRateLimiter } from '../core/createRateLimiter.js'
import { endpoints } from '../contract/endpoints.js'
import { createMockClock } from '../control/createMockClock.js'
import type { MockClock } from '../control/createMockClock.js'
import { createTestControl } from '../control/createTestControl.js'
import type { TestControlRuntime } from '../control/createTestControl.js'
import type { TestControl } from '../control/TestControl.js'
import type { MockCore, MockCoreOptions } from '../core/createMockCore.js'
import type { ExchangeSource } from '../core/MockRequest.js'

/**
 * Fixture data as written in a file. Typed loosely on purpose: a JSON import types `status` as
 * `string`, and every entry is validated at run time anyway, with errors naming the record.
 */
export type FixtureData = FixtureFile | Record<string, unknown>

/**
 * Fixture file paths (Node only; `'default'` is the bundled `fixtures/default.json`), fixture
 * data, or a mix of both. Later entries add to earlier ones and replace their records with the
 * same id (API keys: the same key).
 */
export type FixturesInput = string | FixtureData | ReadonlyArray<string | FixtureData>

/** Options shared by `createGetRazeMock` and `startMockServer`. */
export interface MockRuntimeOptions {
  /**
   * The data to seed the store with. Paths are read as JSON files; `'default'` stands for this
   * package's `fixtures/default.json`. A later entry replaces an earlier one's records with the
   * same id (accounts, opportunities) or key (API keys) whole.
   * @default 'default' (this package's fixtures/default.json)
   * @example ['default', './test/fixtures/extra.json']
   */
  fixtures?: FixturesInput
  /**
   * Largest fixture file read, in bytes. Larger files, and anything that is not a regular file
   * (a FIFO, a device, a directory), are refused with `FIXTURE_UNREADABLE` before they are read.
   * @default 1073741824 (1 GiB: a file of 1,000,000 opportunities is about 540 MB)
   */
  maxFixtureBytes?: number
  /**
   * The mock's clock: a fixed instant freezes it (for exact `won_at`/`updated_at`), a function
   * is called per request.
   * @default the real clock
   * @example '2024-01-25T10:00:00Z'
   */
  now?: ClockInput
  /**
   * Largest request body accepted, in bytes.
   * @default 1048576
   */
  maxBodyBytes?: number
  /**
   * Called with unexpected errors before the mock answers 500 `INTERNAL_ERROR`.
   * @default console.error
   */
  onUnexpectedError?: MockCoreOptions['onUnexpectedError']
  /**
   * Requests the journal keeps for `journal.list()` and `expectCalls` (a ring: the oldest go
   * first); `0` turns the journal off.
   * @default 10000
   */
  journalSize?: number
  /**
   * Makes the ids of created records (`cnt_...`, `opp_...`) reproducible: the same seed gives
   * the same ids in the same order, run after run and again after `reset()`.
   * @default random ids
   * @example 'my-test'
   */
  seed?: string | number
}

/**
 * A seeded store with the request pipeline over it, shared by every adapter, and the test
 * control over both (journal, faults, clock).
 */
export interface MockRuntime extends TestControl<true>, ExchangeSource {
  core: MockCore
  store: MockStore
  /** How many records of each kind the fixtures hold. */
  fixtureCounts: { accounts: number; apiKeys: number; opportunities: number }
  /** The mock's clock: call it for the current instant; `set`, `advance`, `real`, `now` control it. */
  clock: MockClock
  /** For adapters: the fault to apply to a request before the pipeline, if any. */
  planFault: TestControlRuntime['planFault']
  /** For adapters: registers a request held open by a `timeout` fault. */
  hold: TestControlRuntime['hold']
  /**
   * Settles once the `@msw/data` collections hold every fixture (reading it starts filling them).
   * Requests do not wait for it: they read the store's indexes, which hold the fixtures from the
   * start.
   */
  ready: Promise<void>
  /**
   * Restores the fixtures as they were loaded when the mock was created (files are not read
   * again), clears every rate-limit count, the journal and the faults, and puts the clock back
   * to the `now` option. All of that happens at once, whatever the store's size; the promise
   * settles once the `@msw/data` collections hold the fixtures again.
   */
  reset(): Promise<void>
  /**
   * `reset()` without filling the collections: for adapters that answer from the indexes (the
   * admin API), which need nothing more. The collections fill on their next use.
   */
  resetState(): void
}

function toSources(input: FixturesInput | undefined, maxFixtureBytes: number | undefined): FixtureSource[] {
  const entries = input === undefined ? [defaultFixturesKeyword] : Array.isArray(input) ? input : [input]
  return entries.flatMap((entry, index) =>
    typeof entry === 'string' ? readFixtureFiles([entry], { maxFixtureBytes }) : [{ source: `fixtures[${index}]`, data: entry }],
  )
}

/**
 * Validates the fixtures (throwing `FIXTURE_INVALID` before anything is served), then seeds a
 * store and builds the pipeline over it.
 *
 * @example
 * const runtime = createMockRuntime({ now: '2024-01-25T10:00:00Z' })
 * await runtime.ready
 */
export function createMockRuntime(options: MockRuntimeOptions = {}): MockRuntime {
  // Parsed once. The store never changes these records (a lookup copies one the first time), so
  // `reset()` seeds the same set again at once: reading and parsing them anew took 47 s at
  // 1,000,000 records and stalled requests for 18 s (issue 15, decisions/0060).
  const fixtures = parseFixtures(toSources(options.fixtures, options.maxFixtureBytes))
  const clock = createMockClock(options.now)
  const store = createStore()
  // Not awaited: requests are answered from the indexes, and the collections fill on first use.
  void store.seed(fixtures)
  const rateLimiter = createRateLimiter()
  const core = createMockCore({
    store,
    clock,
    maxBodyBytes: options.maxBodyBytes,
    onUnexpectedError: options.onUnexpectedError,
    rateLimiter,
    seed: options.seed,
  })
  const control = createTestControl({ core, store, clock, rateLimiter, endpoints, journalSize: options.journalSize, onUnexpectedError: options.onUnexpectedError })
  return {
    core,
    journal: control.journal,
    faults: control.faults,
    expectCalls: control.expectCalls,
    planFault: control.planFault,
    hold: control.hold,
    store,
    fixtureCounts: {
      accounts: fixtures.accounts.length,
      apiKeys: fixtures.apiKeys.length,
      opportunities: fixtures.opportunities.length,
    },
    clock,
    observe(listener) {
      const stopCore = core.observe(listener)
      const stopFaults = control.observeFaults(listener)
      return () => {
        stopCore()
        stopFaults()
      }
    },
    get ready() {
      return store.filled()
    },
    resetState() {
      control.reset()
      core.resetRateLimits()
      core.resetIds()
      // Not awaited: awaiting is what fills the collections.
      void store.seed(fixtures)
    },
    async reset() {
      control.reset()
      core.resetRateLimits()
      core.resetIds()
      await store.seed(fixtures)
    },
  }
}
