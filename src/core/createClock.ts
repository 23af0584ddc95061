import { GetRazeMockError } from '../errors/GetRazeMockError.js'

/** A fixed instant (`Date`, ISO string or epoch milliseconds) or a function returning the current one. */
export type ClockInput = Date | string | number | (() => Date)

function toDate(value: Date | string | number, label: string): Date {
  const date = value instanceof Date ? value : new Date(value)
  if (Number.isNaN(date.getTime())) {
    throw new GetRazeMockError(
      'INVALID_OPTION',
      `Failed to set the clock: ${JSON.stringify(label)} is not a valid ISO 8601 timestamp. Pass one like 2024-01-25T10:00:00Z.`,
    )
  }
  return date
}

/**
 * Resolves the `now` option to a clock function. A fixed value freezes the clock; no value
 * uses the real one.
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
