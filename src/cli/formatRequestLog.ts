import type { RequestLogEntry } from '../server/createRequestListener.js'

/**
 * One request log line, e.g. `PATCH /external/v1/opportunities/opp_abc123def456/stage 200 0.3ms key=YOUR_A***`.
 *
 * @example
 * console.log(formatRequestLog(entry))
 */
export function formatRequestLog(entry: RequestLogEntry): string {
  const key = entry.apiKey === undefined ? 'key=-' : `key=${entry.apiKey}`
  return `${entry.method} ${entry.path} ${entry.status} ${entry.durationMs.toFixed(1)}ms ${key}`
}
