import type { z } from 'zod'
import type { ApiErrorCode } from './apiErrors.js'
import type { Permission } from './permissions.js'

/**
 * What the machinery needs to know about one endpoint. Adding an endpoint means writing one of
 * these plus its operation; routing, authentication, rate limiting, permission checks and body
 * validation come from the shared pipeline.
 */
export interface EndpointContract {
  /** Stable name, also the key of the endpoint's operation. */
  operationId: string
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** Path template with `:param` segments. */
  path: string
  summary: string
  /** The permission a key needs. */
  permission: Permission
  /** Request body schema; absent for endpoints without a body. */
  body?: z.ZodType
  /** Schema of the success response, used to spot providers that drift from the docs. */
  response: z.ZodType
  /** Error code to use when a given top-level body field is invalid (else `VALIDATION_ERROR`). */
  fieldErrors?: Readonly<Record<string, ApiErrorCode>>
  /** Endpoint-specific error codes the docs list. */
  errors: readonly ApiErrorCode[]
  /** The docs' example, reproduced by the mock with a frozen clock. */
  example: {
    params: Readonly<Record<string, string>>
    body?: unknown
    now: string
    response: unknown
  }
}
