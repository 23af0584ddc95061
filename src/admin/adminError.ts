import type { AdminResponse } from './AdminResponse.js'

/**
 * Codes only the admin API answers with, mapped to their HTTP status. They are the mock's own, not
 * GetRaze's (the API's catalog is src/contract/apiErrors.ts), so the drift checks and faults never
 * see them; the envelope is the same.
 */
export const adminErrors = {
  /** The server has an admin token and the request sent none. */
  ADMIN_TOKEN_REQUIRED: 401,
  /** The request sent a token that is not the server's. */
  ADMIN_TOKEN_INVALID: 401,
  /** Refused for where it comes from: another machine without a token, a foreign `Host` or `Origin`. */
  ADMIN_FORBIDDEN: 403,
  /** A body that is not `Content-Type: application/json`. */
  UNSUPPORTED_MEDIA_TYPE: 415,
  /** The admin state is full (faults, fixtures added): clear or reset first. */
  LIMIT_EXCEEDED: 409,
} as const

export type AdminErrorCode = keyof typeof adminErrors

/**
 * An admin answer in the documented envelope with one of the admin API's own codes.
 *
 * @example
 * adminError('ADMIN_FORBIDDEN', 'The admin API answers only clients on this machine.')
 */
export function adminError(code: AdminErrorCode, message: string, details?: Record<string, unknown>): AdminResponse {
  const error: Record<string, unknown> = { code, message }
  if (details !== undefined) error.details = details
  return { status: adminErrors[code], body: { success: false, error } }
}
