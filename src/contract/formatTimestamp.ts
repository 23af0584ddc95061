/**
 * Formats a date the way the API does: ISO 8601, UTC, second precision.
 *
 * @example
 * formatTimestamp(new Date('2024-01-25T10:00:00.123Z')) // '2024-01-25T10:00:00Z'
 */
export function formatTimestamp(date: Date): string {
  const second = Math.floor(date.getTime() / 1000)
  // Requests within one second share a timestamp; formatting it once saves work per request.
  if (second !== lastSecond) {
    lastSecond = second
    // toISOString always ends in ".sssZ"; the API's examples carry whole seconds.
    lastFormatted = `${date.toISOString().slice(0, 19)}Z`
  }
  return lastFormatted
}

let lastSecond = Number.NaN
let lastFormatted = ''

/** Matches timestamps in the API's format, e.g. `2024-01-25T10:00:00Z`. */
export const timestampPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/

/**
 * Timestamps as the docs allow any provider to send them: UTC, whole seconds or with a fraction
 * (`2024-01-25T10:00:00.123Z`). The mock sends whole seconds (`timestampPattern`); pacts and the
 * OpenAPI document accept both.
 */
export const documentedTimestampPattern = new RegExp(timestampPattern.source.replace('}Z$', '}(\\.\\d+)?Z$'))
