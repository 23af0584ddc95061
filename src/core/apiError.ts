import { apiErrors } from '../contract/apiErrors.js'
import type { ApiErrorBody, ApiErrorCode } from '../contract/apiErrors.js'
import type { MockResponse } from './MockRequest.js'

/** A response of an operation or of a pipeline step, before the core adds common headers. */
export interface OperationResult {
  status: number
  body: unknown
  headers?: Record<string, string>
  /**
   * The fields the operation changed, as they were before it ran, for observers (a recorded
   * pact's provider states need the status a record had before it was moved).
   */
  before?: Readonly<Record<string, unknown>>
}

/**
 * Builds an error in the documented envelope, with the status mapped from the code in one place
 * (`contract/apiErrors.ts`).
 *
 * @example
 * apiError('NOT_FOUND', 'Opportunity not found', { id })
 */
export function apiError(
  code: ApiErrorCode,
  message: string,
  details?: Record<string, unknown>,
  extra?: Omit<ApiErrorBody['error'], 'code' | 'message' | 'details'>,
): OperationResult {
  const error: ApiErrorBody['error'] = { code, message }
  if (details !== undefined) error.details = details
  if (extra) Object.assign(error, extra)
  return { status: apiErrors[code].status, body: { success: false, error } satisfies ApiErrorBody }
}

/**
 * Builds a success in the documented envelope.
 *
 * @example
 * ok({ id: 'opp_abc123def456', status: 'won' })
 */
export function ok(data: unknown, status = 200): OperationResult {
  return { status, body: { success: true, data } }
}

/** Messages of the transport errors the server answers outside the pipeline, worded once. */
export const transportErrorMessages = {
  REQUEST_TIMEOUT: 'The request was not received in time. Send the headers and body without pausing.',
  EXPECTATION_FAILED: 'Only "Expect: 100-continue" is supported.',
  HEADERS_TOO_LARGE: 'Request headers are larger than the server accepts.',
} as const satisfies Partial<Record<ApiErrorCode, string>>

/**
 * An error envelope ready to send, for adapters that must answer outside the pipeline (a request
 * Node's HTTP parser refused, an unmet `Expect`).
 *
 * @example
 * const { status, headers, text } = apiErrorResponse('REQUEST_TIMEOUT', 'The request took too long.')
 */
export function apiErrorResponse(code: ApiErrorCode, message: string, details?: Record<string, unknown>): MockResponse {
  return toMockResponse(apiError(code, message, details))
}

/**
 * A result ready to send outside the pipeline: JSON content type and the serialised body.
 *
 * @example
 * toMockResponse(errorAnswers.internalError())
 */
export function toMockResponse(result: OperationResult): MockResponse {
  return {
    status: result.status,
    headers: { ...result.headers, 'content-type': 'application/json; charset=utf-8' },
    body: result.body,
    text: JSON.stringify(result.body),
  }
}
