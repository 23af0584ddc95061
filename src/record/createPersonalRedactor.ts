import { createHmac, randomBytes } from 'node:crypto'

/** The record fields redacted unless `redact` says otherwise. */
export const defaultRedactedFields = ['email', 'phone', 'linkedin_url', 'notes'] as const

/** Replaces personal fields in JSON values, and says which field names it replaces. */
export interface PersonalRedactor {
  fields: ReadonlySet<string>
  /** A copy of `value` with every redacted field's strings replaced by their fakes, at any depth. */
  redact<T>(value: T): T
  /** The fake of one value of `field` (`undefined` and non-strings stay as they are). */
  fake(field: string, value: unknown): unknown
}

/**
 * Creates the redactor of one recording. A fake depends on the field and the value only (an
 * HMAC under a key made for the recording), so the same value gets the same fake everywhere in
 * it, records that shared an e-mail address still share one, and the fake tells nothing about
 * the value; fakes keep the field's form (an address, a phone number, a URL), so they still pass
 * the mock's validation.
 *
 * @example
 * const { redact } = createPersonalRedactor(['email'])
 * redact({ email: 'ana@acme.example', name: 'Ana' }) // { email: 'person-1c0a44d2@example.com', name: 'Ana' }
 */
export function createPersonalRedactor(fields: readonly string[]): PersonalRedactor {
  const names = new Set(fields)
  const key = randomBytes(32)
  const tag = (field: string, value: string) => createHmac('sha256', key).update(`${field}\0${value}`).digest('hex').slice(0, 8)

  function fakeString(field: string, value: string): string {
    const hash = tag(field, value)
    if (/mail/i.test(field)) return `person-${hash}@example.com`
    if (/phone|mobile/i.test(field)) return `+1555${String(Number.parseInt(hash, 16) % 10_000_000).padStart(7, '0')}`
    if (/url|link|site/i.test(field)) return `https://example.com/${field}/${hash}`
    return `redacted ${field} ${hash}`
  }

  function fake(field: string, value: unknown): unknown {
    if (typeof value === 'string') return fakeString(field, value)
    if (Array.isArray(value)) return value.map((item) => fake(field, item))
    if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, fake(field, item)]))
    return value
  }

  function redact<T>(value: T): T {
    if (names.size === 0) return value
    if (Array.isArray(value)) return value.map((item) => redact(item)) as T
    if (typeof value !== 'object' || value === null) return value
    return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, names.has(name) ? fake(name, item) : redact(item)])) as T
  }

  return { fields: names, redact, fake }
}
