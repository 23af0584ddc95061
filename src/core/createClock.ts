import { GetRazeMockError } from '../errors/GetRazeMockError.js'

/** A fixed instant (`Date`, ISO string or epoch milliseconds) or a function returning the current one. */
export type ClockInput = Date | string | number | (() => Date)

/** An ISO 8601 date-time with no zone designator (`Z` or an offset), e.g. `2024-01-25T10:00:00`. */
const zonelessDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/

/**
 * Parses an instant the way the mock reads every `now`: a date-time without a zone is UTC, as the
 * API's timestamps are. JavaScript would read it as local time, so the same fixture or
 * `--now 2024-01-25T10:00:00` would give another `won_at` under another `TZ` (issue 10).
 * Returns `undefined` for text that is not a timestamp.
 *
 * @example
 * parseInstant('2024-01-25T10:00:00')?.toISOString() // '2024-01-25T10:00:00.000Z', whatever TZ says
 */
export function parseInstant(text: string): Date | undefined {
  const date = new Date(zonelessDateTime.test(text) ? `${text}Z` : text)
  return Number.isNaN(date.getTime()) ? undefined : date
}

/**
 * The instants the mock's clock may show: those the API's timestamps can (four-digit years). A
 * `Date` reaches further, to the year 275760, but `2024-01-25T10:00:00Z` has no room for it:
 * `{"advance":1e300}` once moved the clock past it, and every answer after was a 500 (issue 15).
 */
export const clockRange = {
  minMs: Date.parse('0000-01-01T00:00:00.000Z'),
  maxMs: Date.parse('9999-12-31T23:59:59.999Z'),
  first: '0000-01-01T00:00:00Z',
  last: '9999-12-31T23:59:59Z',
} as const

/** Whether an instant, in epoch milliseconds, is one the clock may show. */
export function isClockInstant(ms: number): boolean {
  return ms >= clockRange.minMs && ms <= clockRange.maxMs
}

function toDate(value: Date | string | number, label: string): Date {
  const date = value instanceof Date ? value : typeof value === 'string' ? (parseInstant(value) ?? new Date(Number.NaN)) : new Date(value)
  // A label of any length or kind is quoted only when short (it may be what a client sent).
  const shown = label.length <= 64 ? JSON.stringify(label) : `(a text of ${label.length} characters)`
  if (Number.isNaN(date.getTime())) {
    throw new GetRazeMockError('INVALID_OPTION', `Failed to set the clock: ${shown} is not a valid ISO 8601 timestamp. Pass one like 2024-01-25T10:00:00Z.`)
  }
  if (!isClockInstant(date.getTime())) {
    throw new GetRazeMockError(
      'INVALID_OPTION',
      `Failed to set the clock: ${shown} is outside ${clockRange.first} to ${clockRange.last}, the instants the API's timestamps can show. Pass one like 2024-01-25T10:00:00Z.`,
    )
  }
  return date
}

/**
 * Resolves the `now` option to a clock function. A fixed value freezes the clock; no value
 * uses the real one. A string without a zone (`2024-01-25T10:00:00`) is read as UTC.
 *
 * @example
 * const clock = createClock('2024-01-25T10:00:00Z')
 * clock().toISOString() // '2024-01-25T10:00:00.000Z'
 */
export function createClock(now?: ClockInput): () => Date {
  if (now === undefined) return () => new Date()
  if (typeof now === 'function') return now
  const frozen = toDate(now, String(now))
  return () => new Date(frozen.getTime())
}
