import { createOpportunityBodySchema, createOpportunityDefaults } from '../../contract/createOpportunityContract.js'
import type { createOpportunityContract } from '../../contract/createOpportunityContract.js'
import { formatTimestamp } from '../../contract/formatTimestamp.js'
import { deriveOpportunityFields } from '../../contract/providerStates.js'
import { opportunityResource } from '../../contract/resources.js'
import type { Opportunity } from '../../contract/schemas.js'
import { ok } from '../apiError.js'
import { assignableUser, unknownUserAnswer } from './assignableUser.js'
import type { OperationFor } from './Operation.js'

/** The body's documented fields, in the page's order: the order of the answer. */
const bodyFields = Object.keys(createOpportunityBodySchema.shape) as Array<keyof typeof createOpportunityBodySchema.shape>
const defaults: Readonly<Record<string, unknown>> = createOpportunityDefaults

/**
 * `POST /external/v1/opportunities`: stores a new opportunity in the caller's account, with the
 * documented defaults, its user as `{id, name}` and the closing timestamp its status implies,
 * and answers the page's shape (decision 0091). Everything is checked before anything is stored.
 */
export const createOpportunity: OperationFor<typeof createOpportunityContract> = ({ body, apiKey, store, now, newId }) => {
  const user = assignableUser(store, apiKey.account, body.responsible_user_id)
  if (user === undefined) return unknownUserAnswer()

  const timestamp = formatTimestamp(now)
  const status = body.status ?? createOpportunityDefaults.status
  const closing = deriveOpportunityFields(status, now)
  const record: Opportunity = {
    id: newId(opportunityResource),
    account: apiKey.account,
    name: body.name,
    email: body.email ?? null,
    phone: body.phone ?? null,
    company: body.company ?? null,
    position: body.position ?? null,
    status,
    source: body.source ?? createOpportunityDefaults.source,
    deal_value: body.deal_value ?? null,
    deal_currency: body.deal_currency ?? createOpportunityDefaults.deal_currency,
    linkedin_url: body.linkedin_url ?? null,
    notes: body.notes ?? null,
    campaign: null,
    responsible_user: user,
    ...closing,
    created_at: timestamp,
    updated_at: timestamp,
  }
  store.insertRecord('opportunities', record)

  const data: Record<string, unknown> = { id: record.id }
  for (const field of bodyFields) {
    if (field in body) data[field] = body[field]
    else if (field in defaults) data[field] = defaults[field]
  }
  // As the stage endpoint shows it: the closing timestamp with its status.
  if (closing.won_at !== null) data.won_at = closing.won_at
  if (closing.lost_at !== null) data.lost_at = closing.lost_at
  data.created_at = timestamp
  return ok(data)
}
