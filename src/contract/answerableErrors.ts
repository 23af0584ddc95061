import { z } from 'zod'
import type { ApiErrorCode } from './apiErrors.js'
import type { EndpointDefinition } from './EndpointDefinition.js'

/** What every endpoint answers, whatever it does: the key's outcomes, the rate limit, a crash. */
export const sharedErrorCodes = [
  'MISSING_API_KEY',
  'INVALID_API_KEY',
  'EXPIRED_API_KEY',
  'INSUFFICIENT_PERMISSIONS',
  'RATE_LIMIT_EXCEEDED',
  'INTERNAL_ERROR',
] as const satisfies readonly ApiErrorCode[]

/**
 * The documented errors an endpoint can answer: the shared ones, `VALIDATION_ERROR` when it reads
 * a body, `INVALID_PARAMETER` when it reads query parameters, and its own. The OpenAPI document
 * lists these, and faults and `Prefer` answer only these.
 *
 * @example
 * answerableErrors(updateOpportunityStageContract) // [...shared, 'VALIDATION_ERROR', 'INVALID_STATUS', 'NOT_FOUND']
 */
export function answerableErrors(endpoint: EndpointDefinition): ApiErrorCode[] {
  const codes: ApiErrorCode[] = [...sharedErrorCodes]
  if (endpoint.body) codes.push('VALIDATION_ERROR')
  if (endpoint.query) codes.push('INVALID_PARAMETER')
  return [...new Set([...codes, ...endpoint.errors])]
}

const allowedByEndpoint = new WeakMap<EndpointDefinition, Record<string, readonly unknown[]>>()

/**
 * The values an enum body field allows, read from the endpoint's body schema, for messages such
 * as "Status value is not valid. Allowed values: new, contacted, ...". Empty for other fields.
 *
 * @example
 * allowedValues(updateOpportunityStageContract, 'status') // ['new', 'contacted', ...]
 */
export function allowedValues(endpoint: EndpointDefinition, field: string): readonly unknown[] {
  let allowed = allowedByEndpoint.get(endpoint)
  if (!allowed) {
    const schema = endpoint.body ? (z.toJSONSchema(endpoint.body, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, { enum?: unknown[] }> }) : {}
    allowed = Object.fromEntries(Object.entries(schema.properties ?? {}).flatMap(([name, property]) => (property.enum ? [[name, property.enum]] : [])))
    allowedByEndpoint.set(endpoint, allowed)
  }
  return allowed[field] ?? []
}
