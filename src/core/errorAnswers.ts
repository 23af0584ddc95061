import { opportunityStatuses } from '../contract/opportunityStatuses.js'
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
  invalidStatus: (field: string, received: unknown): OperationResult =>
    apiError('INVALID_STATUS', `Status value is not valid. Allowed values: ${opportunityStatuses.join(', ')}.`, {
      field,
      allowed: [...opportunityStatuses],
      received,
    }),
  opportunityNotFound: (id: string | null): OperationResult => apiError('NOT_FOUND', 'Opportunity not found', { resource: 'opportunity', id }),
  internalError: (): OperationResult => apiError('INTERNAL_ERROR', 'An unexpected error occurred in the mock. See its log for details.'),
}
