import { apiBasePath } from '../contract/apiBasePath.js'
import type { OpportunityStatus } from '../contract/opportunityStatuses.js'
import type { ApiErrorBody, ApiErrorCode } from '../contract/apiErrors.js'
import type { StageUpdateData, StageUpdateResponse } from '../contract/schemas.js'
import { updateOpportunityStageContract as contract } from '../contract/updateOpportunityStageContract.js'
import { GetRazeApiError } from './GetRazeApiError.js'

/** Where and how the client calls the API. */
export interface GetRazeClientOptions {
  /**
   * Origin of the API; a trailing `/external/v1` is accepted.
   * @example 'https://app.getraze.com'
   */
  baseUrl: string
  /**
   * The API key, sent as `X-API-Key`. The API requires one; leave it out only to see its
   * 401 `MISSING_API_KEY`.
   */
  apiKey?: string
  /**
   * The fetch implementation.
   * @default globalThis.fetch
   */
  fetch?: typeof fetch
}

function stageUrl(baseUrl: string, id: string): string {
  const origin = baseUrl.replace(/\/+$/, '').replace(new RegExp(`${apiBasePath}$`), '')
  return `${origin}${contract.path.replace(':id', encodeURIComponent(id))}`
}

function parseRetryAfter(body: ApiErrorBody['error'] | undefined, header: string | null): number | undefined {
  if (typeof body?.retry_after === 'number') return body.retry_after
  const seconds = header === null ? Number.NaN : Number(header)
  return Number.isFinite(seconds) ? seconds : undefined
}

/**
 * Moves an opportunity to another pipeline status: `PATCH /external/v1/opportunities/:id/stage`.
 * Resolves to the updated opportunity (`won_at`/`lost_at` set by the API); rejects with a
 * `GetRazeApiError` carrying the API's status, code and message.
 *
 * @example
 * import { updateOpportunityStage } from 'getraze-mock/client'
 *
 * const opportunity = await updateOpportunityStage(
 *   { baseUrl: 'https://app.getraze.com', apiKey: process.env.GETRAZE_API_KEY },
 *   'opp_abc123def456',
 *   'won',
 * )
 * opportunity.won_at // '2024-01-25T10:00:00Z'
 * @see docs/getraze-api.md (shipped in the package) for the endpoint, its statuses and errors
 */
export async function updateOpportunityStage(
  options: GetRazeClientOptions,
  id: string,
  status: OpportunityStatus,
): Promise<StageUpdateData> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' }
  if (options.apiKey !== undefined) headers['X-API-Key'] = options.apiKey
  const response = await (options.fetch ?? fetch)(stageUrl(options.baseUrl, id), {
    method: contract.method,
    headers,
    body: JSON.stringify({ status }),
  })

  const text = await response.text()
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    body = undefined
  }
  if (response.ok && (body as StageUpdateResponse | undefined)?.success === true) {
    return (body as StageUpdateResponse).data
  }
  const error = (body as ApiErrorBody | undefined)?.error
  if (!response.ok && typeof error?.code === 'string' && typeof error.message === 'string') {
    const init: ConstructorParameters<typeof GetRazeApiError>[0] = {
      status: response.status,
      code: error.code satisfies ApiErrorCode | string,
      message: error.message,
    }
    if (error.details !== undefined) init.details = error.details
    const retryAfter = parseRetryAfter(error, response.headers.get('retry-after'))
    if (retryAfter !== undefined) init.retryAfter = retryAfter
    throw new GetRazeApiError(init)
  }
  throw new GetRazeApiError({
    status: response.status,
    code: 'UNEXPECTED_RESPONSE',
    message: `Failed to update the opportunity stage: the API answered ${response.status} without the documented JSON envelope. Check baseUrl (${options.baseUrl}).`,
  })
}
