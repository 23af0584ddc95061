import type { FieldErrorRule } from '../contract/EndpointDefinition.js'
import type { ResourceDefinition } from '../contract/resources.js'
import { apiError } from './apiError.js'
import type { OperationResult } from './apiError.js'

/**
 * Every error answer of the pipeline, worded once. The pipeline, the operations and scripted
 * faults (`mock.faults`, `Prefer`) build their envelopes here, so a fault answers a code exactly
 * as the mock would.
 *
 * @example
 * errorAnswers.expiredApiKey('2023-12-31T23:59:59Z')
 */
export const errorAnswers = {
  routeNotFound: (method: string, path: string): OperationResult => apiError('NOT_FOUND', `Route ${method} ${path} not found.`),
  methodNotAllowed(method: string, allow: readonly string[]): OperationResult {
    const result = apiError('METHOD_NOT_ALLOWED', `Method ${method} is not allowed on this path. Use ${allow.join(', ')}.`, { allow: [...allow] })
    result.headers = { allow: allow.join(', ') }
    return result
  },
  missingApiKey: (): OperationResult =>
    apiError('MISSING_API_KEY', 'API key is required. Send it in the X-API-Key header, as Authorization: Bearer <key>, or as ?api_key=.'),
  invalidApiKey: (): OperationResult => apiError('INVALID_API_KEY', 'The API key is invalid or has been revoked.'),
  expiredApiKey: (expiredAt: string): OperationResult => apiError('EXPIRED_API_KEY', 'The API key has expired.', { expired_at: expiredAt }),
  rateLimited: (limit: number, reset: number, retryAfter: number): OperationResult =>
    apiError(
      'RATE_LIMIT_EXCEEDED',
      `Rate limit exceeded: ${limit} requests per hour. Retry after ${retryAfter} seconds.`,
      { limit, reset },
      { retry_after: retryAfter },
    ),
  insufficientPermissions: (required: string, granted: readonly string[]): OperationResult =>
    apiError('INSUFFICIENT_PERMISSIONS', `This API key lacks the ${required} permission.`, { required, granted: [...granted] }),
  payloadTooLarge: (limit: number): OperationResult => apiError('PAYLOAD_TOO_LARGE', `Request body exceeds the ${limit}-byte limit.`, { limit }),
  bodyRequired: (): OperationResult => apiError('VALIDATION_ERROR', 'Request body is required.'),
  bodyNotJson: (): OperationResult => apiError('VALIDATION_ERROR', 'Request body is not valid JSON.'),
  bodyNotObject: (): OperationResult => apiError('VALIDATION_ERROR', 'Request body must be a JSON object.'),
  /** A body field with a code of its own (`INVALID_STATUS`), worded from the endpoint's rule. */
  invalidValue: (rule: FieldErrorRule, field: string, allowed: readonly unknown[], received: unknown): OperationResult =>
    apiError(rule.code, `${rule.label} value is not valid. Allowed values: ${allowed.join(', ')}.`, {
      field,
      allowed: [...allowed],
      received,
    }),
  /** A body field with a code and a fixed message of its own (`INVALID_EMAIL`). */
  invalidField: (rule: FieldErrorRule, field: string, received: unknown): OperationResult =>
    apiError(rule.code, rule.message ?? `${rule.label} is not valid.`, { field, received }),
  /**
   * Body fields that do not fit the endpoint's schema, all at once, in the docs' format:
   * `details.fields` maps each field to its problem ("Name is required").
   */
  validationFailed: (fields: Readonly<Record<string, string>>): OperationResult =>
    apiError('VALIDATION_ERROR', `Validation failed: ${Object.values(fields).map((text) => text.charAt(0).toLowerCase() + text.slice(1)).join('; ')}.`, {
      fields: { ...fields },
    }),
  /** A query parameter that does not fit: the message names it and what it allows. */
  invalidParameter: (message: string, parameter: string, received: unknown): OperationResult =>
    apiError('INVALID_PARAMETER', message, { parameter, received }),
  /** A record the path names that the caller cannot see (absent, or another account's). */
  notFound: (resource: Pick<ResourceDefinition, 'name' | 'label'>, id: string | null): OperationResult =>
    apiError('NOT_FOUND', `${resource.label} not found`, { resource: resource.name, id }),
  internalError: (): OperationResult => apiError('INTERNAL_ERROR', 'An unexpected error occurred in the mock. See its log for details.'),
  /**
   * A 500 that test control asked for, worded so nobody hunts for a crash that did not happen.
   * `source` is the fault's id, or `'prefer'` for a `Prefer` header.
   */
  scriptedInternalError: (source: string): OperationResult =>
    apiError(
      'INTERNAL_ERROR',
      `A scripted 500 (${source === 'prefer' ? 'the Prefer header' : `fault ${source}`}): the mock did not fail. Remove the ${source === 'prefer' ? 'header' : 'fault'} to get the documented answer.`,
    ),
}
