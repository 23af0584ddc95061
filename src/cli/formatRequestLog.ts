import type { RequestLogEntry } from '../server/createRequestListener.js'

/**
 * One request log line, e.g. `PATCH /external/v1/opportunities/opp_abc123def456/stage 200 0.3ms key=YOUR_A***`,
 * with `scripted=fault_1` (or `scripted=Prefer`) when test control answered instead of the mock.
 *
 * @example
 * console.log(formatRequestLog(entry))
 */
export function formatRequestLog(entry: RequestLogEntry): string {
  const key = entry.apiKey === undefined ? 'key=-' : `key=${printable(entry.apiKey)}`
  // A scripted answer says so, so a 500 in the log is never mistaken for a crash.
  const fault = entry.fault === undefined ? '' : ` scripted=${entry.fault === 'prefer' ? 'Prefer' : entry.fault}`
  return `${printable(entry.method)} ${printable(entry.path)} ${entry.status} ${entry.durationMs.toFixed(1)}ms ${key}${fault}`
}

/**
 * Control, format and separator characters other than the space: what a client could use to
 * forge log lines (CR, LF, U+2028, U+2029), send terminal escape sequences (ESC), reorder what a
 * reader sees (U+202E and the other bidi controls) or hide text (U+200B, U+00AD).
 */
const unsafe = /(?! )[\p{Cc}\p{Cf}\p{Z}]/gu

/**
 * Escapes what a client could use to forge or disguise log lines: control characters (CR, LF,
 * ESC, ...), line and paragraph separators, bidi and other invisible format characters, and
 * spaces other than U+0020. Latin-1 ones become `\x..`, others `\u....` (`\u{.....}` beyond the
 * BMP).
 *
 * @example
 * printable('a\nb') // 'a\\x0ab'
 * printable('key\u202e') // 'key\\u202e'
 */
export function printable(text: string): string {
  return text.replace(unsafe, (char) => {
    const code = char.codePointAt(0)!
    if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`
    if (code <= 0xffff) return `\\u${code.toString(16).padStart(4, '0')}`
    return `\\u{${code.toString(16)}}`
  })
}
