/** Longest string an error message quotes whole. */
const maxQuotedLength = 64

/**
 * A value as an error message may show it: short strings quoted, numbers, booleans and `null` as
 * they are, anything else by its kind only. Messages of the admin API quote what a client sent,
 * and `JSON.stringify` of a deeply nested value overflows the stack (issue 15), of a long one
 * makes a long message.
 *
 * @example
 * quoteValue('WON') // '"WON"'
 * quoteValue([[[]]]) // '(an array)'
 * quoteValue('x'.repeat(500)) // '(a string of 500 characters)'
 */
export function quoteValue(value: unknown): string {
  if (value === null) return 'null'
  if (typeof value === 'string') return value.length <= maxQuotedLength ? JSON.stringify(value) : `(a string of ${value.length} characters)`
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return describeKind(value)
}

/**
 * A value's kind only, for values that must never be shown (an API key in the wrong place).
 *
 * @example
 * describeKind(42) // '(a number)'
 */
export function describeKind(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return '(an array)'
  if (typeof value === 'object') return '(an object)'
  if (value === undefined) return 'undefined'
  return `(a ${typeof value})`
}

/**
 * A field name as a message shows it: quoted, or by its length when it is too long to repeat.
 *
 * @example
 * quoteName('colour') // '"colour"'
 */
export function quoteName(name: string): string {
  return name.length <= maxQuotedLength ? `"${name}"` : `(a name of ${name.length} characters)`
}
