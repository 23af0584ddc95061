import { z } from 'zod'
import { documentedTimestampPattern, timestampPattern } from '../contract/formatTimestamp.js'

/**
 * What an interaction expects, as Pact JS's V3 matchers write it ("integration JSON"): plain JSON
 * where a leaf may be a matcher object. The builders hand it to Pact as it is; `recordPact`
 * writes it into a pact file itself (`toPactBody`), so both say the same thing the same way.
 */
export interface PactMatcher {
  'pact:matcher:type': 'type' | 'regex' | 'integer' | 'number'
  'pact:generator:type'?: 'ProviderState'
  regex?: string
  expression?: string
  /** For an array matched by type: the fewest items it may hold; every item is like `value[0]`. */
  min?: number
  value: unknown
}

/**
 * The documented timestamp pattern as pacts match it: UTC, with fractions of a second allowed,
 * since a provider that sends milliseconds honours the docs as well.
 */
export const pactTimestampPattern = documentedTimestampPattern.source

/** Matches by type, as Pact's `like`. */
export const like = (value: unknown): PactMatcher => ({ 'pact:matcher:type': 'type', value })
/** Matches by pattern, as Pact's `regex`. */
export const regex = (pattern: string, value: string): PactMatcher => ({ 'pact:matcher:type': 'regex', regex: pattern, value })
/** Matches any integer, as Pact's `integer`. */
export const integer = (value: number): PactMatcher => ({ 'pact:matcher:type': 'integer', value })
/** Matches any number, as Pact's `number`. */
export const number = (value: number): PactMatcher => ({ 'pact:matcher:type': 'number', value })
/**
 * An array of at least `min` items, each like `item`, as Pact's `eachLike`: a list whose length
 * and order are the provider's (a page of records), each record checked against the example.
 */
export const eachLike = (item: unknown, min: number): PactMatcher => ({ 'pact:matcher:type': 'type', min, value: [item] })
/** The value a provider state answers with, as Pact's `fromProviderState`. */
export const fromProviderState = (expression: string, value: unknown): PactMatcher => ({
  'pact:matcher:type': 'type',
  'pact:generator:type': 'ProviderState',
  expression,
  value,
})

export function isPactMatcher(value: unknown): value is PactMatcher {
  return typeof value === 'object' && value !== null && 'pact:matcher:type' in value
}

/** The parts of a JSON Schema (from the contract's zod schemas) that decide a matcher. */
export interface JsonSchema {
  /** One type, or several (`['string', 'null']` for a nullable field). */
  type?: string | string[]
  const?: unknown
  enum?: unknown[]
  pattern?: string
  properties?: Record<string, JsonSchema>
  items?: JsonSchema
  anyOf?: JsonSchema[]
}

const jsonSchemas = new WeakMap<z.ZodType, JsonSchema>()

/** A contract schema as JSON Schema (what a provider must answer), worked out once per schema. */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  let json = jsonSchemas.get(schema)
  if (!json) {
    json = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'output', unrepresentable: 'any' }) as JsonSchema
    jsonSchemas.set(schema, json)
  }
  return json
}

/**
 * A field's schema without its `null`: the non-null branch of an `anyOf`, or the one other type
 * of `type: ['string', 'null']`, and whether `null` is allowed.
 *
 * @example
 * unwrapNullable({ type: ['string', 'null'] }) // { schema: { type: 'string' }, nullable: true }
 */
export function unwrapNullable(schema: JsonSchema): { schema: JsonSchema; nullable: boolean } {
  if (Array.isArray(schema.type)) {
    const types = schema.type.filter((type) => type !== 'null')
    return { schema: { ...schema, type: types.length === 1 ? types[0] : types }, nullable: types.length < schema.type.length }
  }
  if (!schema.anyOf) return { schema, nullable: false }
  const nonNull = schema.anyOf.filter((branch) => branch.type !== 'null')
  return { schema: nonNull[0] ?? {}, nullable: nonNull.length < schema.anyOf.length }
}

/** The branch of a nullable field's schema that a value takes (`undefined` for `null`: matched exactly). */
function branchFor(value: unknown, schema: JsonSchema): JsonSchema | undefined {
  const { schema: nonNull, nullable } = unwrapNullable(schema)
  if (value === null) return nullable ? undefined : schema
  return nonNull
}

/**
 * What a pact should expect of a documented answer, from the contract's schema: timestamps by
 * the documented pattern, other strings (names, messages) by type, integers and numbers as such;
 * enums and constants (statuses, `success`), `null` and error codes exactly. Fields whose content
 * the docs do not define (`error.details`: an object without properties) and fields the schema
 * does not have are left out, so any provider's extras pass. Matchers already in `value` stay.
 *
 * @example
 * expectBySchema({ success: true, data }, jsonSchemaOf(contract.response))
 */
export function expectBySchema(value: unknown, schema: JsonSchema | undefined, path = '$'): unknown {
  if (isPactMatcher(value)) return value
  const branch = schema === undefined ? undefined : branchFor(value, schema)
  if (value === null || typeof value !== 'object') {
    if (!branch || value === null || branch.const !== undefined || branch.enum !== undefined || path === '$.error.code') return value
    if (branch.pattern === timestampPattern.source && typeof value === 'string') return regex(pactTimestampPattern, value)
    if (branch.type === 'string') return like(value)
    if (branch.type === 'integer' && typeof value === 'number') return integer(value)
    if (branch.type === 'number' && typeof value === 'number') return number(value)
    return value
  }
  if (Array.isArray(value)) return value.map((item, index) => expectBySchema(item, branch?.items, `${path}[${index}]`))
  const expected: Record<string, unknown> = {}
  for (const [key, child] of Object.entries(value)) {
    const childSchema = branch?.properties?.[key]
    if (!childSchema || (childSchema.type === 'object' && !childSchema.properties)) continue
    expected[key] = expectBySchema(child, childSchema, `${path}.${key}`)
  }
  return expected
}

/** A matching rule as a pact file (V4) holds it. */
export interface PactRule {
  combine: 'AND'
  matchers: Array<Record<string, string | number>>
}

function ruleOf(matcher: PactMatcher): PactRule {
  const type = matcher['pact:matcher:type']
  if (matcher.min !== undefined) return { combine: 'AND', matchers: [{ match: type, min: matcher.min }] }
  return { combine: 'AND', matchers: [type === 'regex' ? { match: 'regex', regex: matcher.regex! } : { match: type }] }
}

/**
 * Writes expected JSON as a pact file holds it: the plain example, with each matcher's rule under
 * its JSON path and each provider-state value's generator.
 *
 * @example
 * const rules = {}, generators = {}
 * const content = toPactBody(expected, '$', rules, generators)
 */
export function toPactBody(expected: unknown, path: string, rules: Record<string, PactRule>, generators: Record<string, { expression: string; type: 'ProviderState' }>): unknown {
  if (isPactMatcher(expected)) {
    rules[path] = ruleOf(expected)
    if (expected['pact:generator:type'] === 'ProviderState') generators[path] = { expression: expected.expression!, type: 'ProviderState' }
    // Each item of an `eachLike` array is matched like the example item, whatever its index.
    if (expected.min !== undefined && Array.isArray(expected.value)) return expected.value.map((item) => toPactBody(item, `${path}[*]`, rules, generators))
    return expected.value
  }
  if (Array.isArray(expected)) return expected.map((item, index) => toPactBody(item, `${path}[${index}]`, rules, generators))
  if (expected === null || typeof expected !== 'object') return expected
  return Object.fromEntries(Object.entries(expected).map(([key, child]) => [key, toPactBody(child, `${path}.${key}`, rules, generators)]))
}

/** Headers as a pact file holds them: values in arrays, rules by header name. */
export function toPactHeaders(expected: Readonly<Record<string, unknown>>): { headers: Record<string, string[]>; rules: Record<string, PactRule> } {
  const headers: Record<string, string[]> = {}
  const rules: Record<string, PactRule> = {}
  for (const [name, value] of Object.entries(expected)) {
    if (isPactMatcher(value)) {
      headers[name] = [String(value.value)]
      rules[name] = ruleOf(value)
    } else {
      headers[name] = [String(value)]
    }
  }
  return { headers, rules }
}
