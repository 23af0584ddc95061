import type { getOpportunityContract } from '../../contract/getOpportunityContract.js'
import { opportunityResource } from '../../contract/resources.js'
import { ok } from '../apiError.js'
import { errorAnswers } from '../errorAnswers.js'
import type { OperationFor } from './Operation.js'

/**
 * `GET /external/v1/opportunities/:id`: the whole record, in the resource's field order, without
 * the tenant it belongs to. Opportunities of other accounts do not exist for the caller.
 */
export const getOpportunity: OperationFor<typeof getOpportunityContract> = ({ params, apiKey, store }) => {
  const id = params.id!
  const opportunity = store.findOpportunity(id)
  if (!opportunity || opportunity.account !== apiKey.account) return errorAnswers.notFound(opportunityResource, id)
  const { account: _account, ...data } = opportunity
  return ok(data)
}
