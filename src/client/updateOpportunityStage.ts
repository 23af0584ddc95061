import type { OpportunityStatus } from '../contract/opportunityStatuses.js'
import type { StageUpdateData } from '../contract/schemas.js'
import { updateOpportunityStageContract as contract } from '../contract/updateOpportunityStageContract.js'
import { requestEndpoint } from './requestEndpoint.js'
import type { GetRazeClientOptions } from './requestEndpoint.js'

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
 * @see createGetRazeClient for every endpoint (`client.opportunities.updateStage(id, { status })`)
 * @see docs/getraze-api.md (shipped in the package) for the endpoint, its statuses and errors
 */
export async function updateOpportunityStage(
  options: GetRazeClientOptions,
  id: string,
  status: OpportunityStatus,
): Promise<StageUpdateData> {
  return (await requestEndpoint(contract, options, { params: { id }, body: { status } })) as StageUpdateData
}
