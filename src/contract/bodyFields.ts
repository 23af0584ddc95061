import { z } from 'zod'

/**
 * The building blocks of the write endpoints' body schemas. Each issue message is the end of a
 * sentence about the field ("is required", "must be a number"): the pipeline prefixes the field's
 * name, both in the message and in the docs' `details.fields` map ("Name is required").
 */

/** A plausible e-mail address: something, `@`, a domain with a dot; no spaces. */
export const emailPattern = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/
const currencyPattern = /^[A-Z]{3}$/

const requiredOrType = (type: string) => (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${type}`)

/** A required, non-blank text (`name`). */
export const requiredText = z.string({ error: requiredOrType('a string') }).refine((value) => value.trim() !== '', { error: 'must not be blank' })

/** An optional text; `null` clears it. */
export const optionalText = z.string({ error: 'must be a string or null' }).nullable().optional()

/** An optional e-mail address; `null` clears it. */
export const optionalEmail = z
  .string({ error: 'must be a string or null' })
  .regex(emailPattern, { error: 'format is invalid' })
  .nullable()
  .optional()

/** An optional amount of money, not negative; `null` clears it. */
export const optionalAmount = z.number({ error: 'must be a number or null' }).nonnegative({ error: 'must not be negative' }).nullable().optional()

/** An optional ISO 4217 currency code (`BRL`, `USD`, `EUR`). */
export const optionalCurrency = z
  .string({ error: 'must be a string' })
  .regex(currencyPattern, { error: 'must be a three-letter currency code such as BRL, USD or EUR' })
  .optional()

/** An optional value out of a documented list. */
export function optionalChoice<const Values extends readonly [string, ...string[]]>(values: Values) {
  return z.enum(values, { error: `must be one of ${values.join(', ')}` }).optional()
}

const tagsMessage = 'must be an array of non-blank strings'
const customFieldsMessage = 'must be an object whose values are strings, numbers, booleans or null'

/** Optional tags: an array of non-blank strings. */
export const optionalTags = z
  .array(z.string({ error: tagsMessage }).refine((value) => value.trim() !== '', { error: tagsMessage }), { error: tagsMessage })
  .optional()

/**
 * Optional custom fields: an object of flat values (text, numbers, booleans, `null`), as the docs'
 * examples show. Nested values are refused so an answer stays as flat as what was stored.
 */
export const optionalCustomFields = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()], { error: customFieldsMessage }), { error: customFieldsMessage })
  .optional()

/** An optional id of a related record (`usr_123`); whether it exists is the operation's check. */
export const optionalReference = z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }).optional()
