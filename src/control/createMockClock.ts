import { clockRange, createClock, isClockInstant } from '../core/createClock.js'
import type { ClockInput } from '../core/createClock.js'
import { GetRazeMockError } from '../errors/GetRazeMockError.js'
import { quoteValue } from './quoteValue.js'
import type { ClockControl } from './TestControl.js'

/**
 * The mock's clock: callable (the core reads it per request) and controllable by tests. Rate-limit
 * windows, key expiry and `won_at`/`lost_at` all come from it.
 */
export interface MockClock extends ClockControl<true> {
  (): Date
  /** `true` while the clock stands still (a fixed `now` option, or after `set`). */
  readonly frozen: boolean
  /** Back to the `now` option the mock started with. */
  restore(): void
}

type State = { frozenAt: number } | { source: () => Date; offsetMs: number }

const realTime = () => new Date()

function initialState(start: ClockInput | undefined): State {
  if (start === undefined) return { source: realTime, offsetMs: 0 }
  if (typeof start === 'function') return { source: start, offsetMs: 0 }
  return { frozenAt: createClock(start)().getTime() }
}

/**
 * Creates the mock's controllable clock from the `now` option: a fixed instant starts it frozen,
 * a function or nothing starts it running.
 *
 * @example
 * const clock = createMockClock('2024-01-25T10:00:00Z')
 * clock.advance(3600)
 * clock().toISOString() // '2024-01-25T11:00:00.000Z'
 */
export function createMockClock(start?: ClockInput): MockClock {
  let state = initialState(start)

  const read = (): Date => {
    if ('frozenAt' in state) return new Date(state.frozenAt)
    const date = state.source()
    // A running clock advanced close to the last instant runs on, but never past it.
    return state.offsetMs === 0 ? date : new Date(Math.min(date.getTime() + state.offsetMs, clockRange.maxMs))
  }

  const clock = read as MockClock
  Object.defineProperty(clock, 'frozen', { get: () => 'frozenAt' in state, enumerable: true })
  clock.now = read
  clock.set = (instant) => {
    // createClock validates and throws INVALID_OPTION naming the value.
    state = { frozenAt: createClock(instant as Date | string | number)().getTime() }
  }
  clock.advance = (seconds) => {
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
      throw new GetRazeMockError(
        'INVALID_OPTION',
        `Failed to advance the clock: ${typeof seconds === 'number' ? JSON.stringify(seconds) : quoteValue(seconds)} is not a number of seconds >= 0. Pass e.g. 60, or use clock.set(instant) to go back.`,
      )
    }
    const ms = seconds * 1000
    // Checked before anything changes: a clock past the range answered every request with a 500.
    if (!isClockInstant(read().getTime() + ms)) {
      throw new GetRazeMockError(
        'INVALID_OPTION',
        `Failed to advance the clock: ${seconds} seconds would take it past ${clockRange.last}, the last instant the API's timestamps can show. Pass fewer seconds, or use clock.set(instant).`,
      )
    }
    if ('frozenAt' in state) state = { frozenAt: state.frozenAt + ms }
    else state = { source: state.source, offsetMs: state.offsetMs + ms }
  }
  clock.real = () => {
    state = { source: realTime, offsetMs: 0 }
  }
  clock.restore = () => {
    state = initialState(start)
  }
  return clock
}
