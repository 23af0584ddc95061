/**
 * An error answer of the GetRaze API, as the client surfaces it. `code` is the API's own error
 * code (`NOT_FOUND`, `RATE_LIMIT_EXCEEDED`...), or `UNEXPECTED_RESPONSE` when the answer was not
 * the documented envelope.
 *
 * Why a class apart from `GetRazeMockError`: this one describes what a (possibly real) provider
 * said, with codes the kit does not control; `GetRazeMockError` describes the kit's own failures.
 *
 * @example
 * try {
 *   await updateOpportunityStage({ baseUrl, apiKey }, 'opp_1', 'won')
 * } catch (error) {
 *   if (error instanceof GetRazeApiError && error.code === 'RATE_LIMIT_EXCEEDED') await sleep(error.retryAfter! * 1000)
 * }
 */
export class GetRazeApiError extends Error {
  override readonly name = 'GetRazeApiError'
  /** HTTP status of the answer. */
  readonly status: number
  readonly code: string
  readonly details: Record<string, unknown> | undefined
  /** Seconds to wait before retrying, from `error.retry_after` or `Retry-After` (429 only). */
  readonly retryAfter: number | undefined

  constructor(init: { status: number; code: string; message: string; details?: Record<string, unknown>; retryAfter?: number }) {
    super(init.message)
    this.status = init.status
    this.code = init.code
    this.details = init.details
    this.retryAfter = init.retryAfter
  }
}
