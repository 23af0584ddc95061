/**
 * Every error code the mock answers with, mapped to its HTTP status in this one place.
 * The first block is documented by GetRaze; the second covers transport cases the docs
 * are silent on (see the README's fidelity notes).
 */
export const apiErrors = {
  VALIDATION_ERROR: { status: 400, documented: true, description: 'Request body validation failed' },
  INVALID_STATUS: { status: 400, documented: true, description: 'Invalid status value' },
  INVALID_SOURCE: { status: 400, documented: true, description: 'Invalid source value' },
  INVALID_EMAIL: { status: 400, documented: true, description: 'Email format is invalid' },
  INVALID_PARAMETER: { status: 400, documented: true, description: 'Invalid query parameter' },
  MISSING_REQUIRED_FIELD: { status: 400, documented: true, description: 'Required field is missing' },
  MISSING_API_KEY: { status: 401, documented: true, description: 'No API key was provided' },
  INVALID_API_KEY: { status: 401, documented: true, description: 'API key is invalid or has been revoked' },
  EXPIRED_API_KEY: { status: 401, documented: true, description: 'API key has expired' },
  INSUFFICIENT_PERMISSIONS: { status: 403, documented: true, description: 'API key lacks required permission' },
  NOT_FOUND: { status: 404, documented: true, description: 'Requested resource was not found' },
  ALREADY_EXISTS: { status: 409, documented: true, description: 'Resource already exists' },
  CONFLICT: { status: 409, documented: true, description: 'Operation conflicts with current state' },
  RATE_LIMIT_EXCEEDED: { status: 429, documented: true, description: 'Too many requests, try again later' },
  INTERNAL_ERROR: { status: 500, documented: true, description: 'Internal server error' },
  METHOD_NOT_ALLOWED: { status: 405, documented: false, description: 'The path does not take this method' },
  PAYLOAD_TOO_LARGE: { status: 413, documented: false, description: 'The body is larger than the mock accepts' },
  REQUEST_TIMEOUT: { status: 408, documented: false, description: 'The request was not received in time' },
  EXPECTATION_FAILED: { status: 417, documented: false, description: 'An Expect header the mock does not meet' },
  HEADERS_TOO_LARGE: { status: 431, documented: false, description: 'The headers are larger than the mock accepts' },
} as const satisfies Record<string, { status: number; documented: boolean; description: string }>

export type ApiErrorCode = keyof typeof apiErrors

/** The documented error envelope: `{ success: false, error: { code, message, details? } }`. */
export interface ApiErrorBody {
  success: false
  error: {
    code: ApiErrorCode
    message: string
    details?: Record<string, unknown>
    /** Seconds to wait; only on `RATE_LIMIT_EXCEEDED`. */
    retry_after?: number
  }
}
