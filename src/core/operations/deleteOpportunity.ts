import { opportunityDeletedMessage } from '../../contract/deleteOpportunityContract.js'
import type { deleteOpportunityContract } from '../../contract/deleteOpportunityContract.js'
import { opportunityResource } from '../../contract/resources.js'
import { errorAnswers } from '../errorAnswers.js'
import type { OperationResult } from '../apiError.js'
import type { OperationFor } from './Operation.js'

/**
 * `DELETE /external/v1/opportunities/:id`: removes the record through the store, so lookups and
 * lists stop seeing it at once. Opportunities of other accounts do not exist for the caller.
 */
export const deleteOpportunity: OperationFor<typeof deleteOpportunityContract> = ({ params, apiKey, store }) => {
  const id = params.id!
  const opportunity = store.findOpportunity(id)
  if (!opportunity || opportunity.account !== apiKey.account) return errorAnswers.notFound(opportunityResource, id)
  store.deleteRecord('opportunities', id)
  const { account: _account, ...before } = opportunity
  // The page's answer has no `data`, only its message.
  const result: OperationResult = { status: 200, body: { success: true, message: opportunityDeletedMessage } }
  // Every field went with the record: observers (a recorded pact's states) see what it was.
  result.before = before
  return result
}
