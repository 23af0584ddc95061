import type { RequestLogEntry } from '../server/createRequestListener.js'

/**
 * One request log line, e.g. `PATCH /external/v1/opportunities/opp_abc123def456/stage 200 0.3ms key=YOUR_A***`.
 *
 * @example
 * console.log(formatRequestLog(entry))
 */
export function formatRequestLog(entry: RequestLogEntry): string {
  const key = entry.apiKey === undefined ? 'key=-' : `key=${printable(entry.apiKey)}`
  return `${printable(entry.method)} ${printable(entry.path)} ${entry.status} ${entry.durationMs.toFixed(1)}ms ${key}`
}

/**
 * Escapes control characters (CR, LF, ESC, ...) so a client cannot forge log lines or send
 * terminal escape sequences to whoever reads the log.
 *
 * @example
 * printable('a\nb') // 'a\\x0ab'
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`)
}
