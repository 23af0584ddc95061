import type { listOpportunitiesContract } from '../../contract/listOpportunitiesContract.js'
import { opportunityResource } from '../../contract/resources.js'
import type { Opportunity } from '../../contract/schemas.js'
import { answerList } from './answerList.js'
import type { OperationFor } from './Operation.js'

/** An opportunity as the list page shows it: the ids of its campaign and user where the get page nests them. */
function toListItem(opportunity: Opportunity) {
  return {
    id: opportunity.id,
    name: opportunity.name,
    email: opportunity.email,
    phone: opportunity.phone,
    company: opportunity.company,
    position: opportunity.position,
    status: opportunity.status,
    source: opportunity.source,
    deal_value: opportunity.deal_value,
    deal_currency: opportunity.deal_currency,
    campaign_id: opportunity.campaign?.id ?? null,
    responsible_user_id: opportunity.responsible_user?.id ?? null,
    created_at: opportunity.created_at,
    updated_at: opportunity.updated_at,
  }
}

/**
 * `GET /external/v1/opportunities`: one page of the caller's opportunities, as the query
 * (already validated by the pipeline) filters, searches and sorts them. Other accounts' records
 * are never listed.
 */
export const listOpportunities: OperationFor<typeof listOpportunitiesContract> = ({ query, apiKey, store }) =>
  answerList(store, opportunityResource, apiKey.account, query, toListItem)
