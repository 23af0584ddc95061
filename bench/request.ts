import { updateOpportunityStageContract } from '../src/contract/updateOpportunityStageContract.js'

/**
 * The one request every server in the bench answers: the docs' example stage update, with the
 * docs' placeholder key. Servers run with the clock frozen at the example's instant, so the
 * documented response is also the exact expected body.
 */
export const benchRequest = {
  method: 'PATCH',
  path: updateOpportunityStageContract.path.replace(':id', updateOpportunityStageContract.example.params.id),
  headers: { 'x-api-key': 'YOUR_API_KEY', 'content-type': 'application/json' } as Record<string, string>,
  body: JSON.stringify(updateOpportunityStageContract.example.body),
} as const

/** The key the bench sends; its fixtures give it a rate limit no run can reach. */
export const benchApiKey = 'YOUR_API_KEY'

/** The instant the mock's clock is frozen at (`--now`). */
export const frozenNow = updateOpportunityStageContract.example.now

/** The documented response, as an object and as the exact text every request must get back. */
export const documentedResponse = updateOpportunityStageContract.example.response
export const documentedBody = JSON.stringify(documentedResponse)
