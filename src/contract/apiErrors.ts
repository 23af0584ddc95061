/**
 * Every error code the mock answers with, mapped to its HTTP status in this one place.
 * The first block is documented by GetRaze; the second covers transport cases the docs
 * are silent on (see the README's fidelity notes).
 */
export const apiErrors = {
  VALIDATION_ERROR: { status: 400, documented: true },
  INVALID_STATUS: { status: 400, documented: true },
  INVALID_PARAMETER: { status: 400, documented: true },
  MISSING_REQUIRED_FIELD: { status: 400, documented: true },
  MISSING_API_KEY: { status: 401, documented: true },
  INVALID_API_KEY: { status: 401, documented: true },
  EXPIRED_API_KEY: { status: 401, documented: true },
  INSUFFICIENT_PERMISSIONS: { status: 403, documented: true },
  NOT_FOUND: { status: 404, documented: true },
  CONFLICT: { status: 409, documented: true },
  RATE_LIMIT_EXCEEDED: { status: 429, documented: true },
  INTERNAL_ERROR: { status: 500, documented: true },
  METHOD_NOT_ALLOWED: { status: 405, documented: false },
  PAYLOAD_TOO_LARGE: { status: 413, documented: false },
  REQUEST_TIMEOUT: { status: 408, documented: false },
  EXPECTATION_FAILED: { status: 417, documented: false },
  HEADERS_TOO_LARGE: { status: 431, documented: false },
} as const satisfies Record<string, { status: number; documented: boolean }>

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
