import type { StageUpdateData } from '../../contract/schemas.js'
import type { updateOpportunityStageContract } from '../../contract/updateOpportunityStageContract.js'
import { formatTimestamp } from '../../contract/formatTimestamp.js'
import { opportunityResource } from '../../contract/resources.js'
import { ok } from '../apiError.js'
import { errorAnswers } from '../errorAnswers.js'
import type { OperationFor } from './Operation.js'

/**
 * `PATCH /external/v1/opportunities/:id/stage`: sets `status` and `updated_at`, plus `won_at` or
 * `lost_at` when the new status is `won` or `lost`. Opportunities of other accounts do not exist
 * for the caller.
 *
 * The record is changed through the store's indexes rather than `Collection.update`, which scans
 * the whole collection on every call (see decisions/0001-store-indexes.md).
 */
export const updateOpportunityStage: OperationFor<typeof updateOpportunityStageContract> = ({ params, body, apiKey, store, now }) => {
  const id = params.id!
  const opportunity = store.findOpportunity(id)
  if (!opportunity || opportunity.account !== apiKey.account) {
    return errorAnswers.notFound(opportunityResource, id)
  }

  const timestamp = formatTimestamp(now)
  const before = { status: opportunity.status }
  // Through the store, so its list index counts the new status. Whole literals per case rather
  // than spreads: this runs on every stage update (decisions/0152).
  const changed = body.status
  store.updateRecord(
    'opportunities',
    id,
    changed === 'won'
      ? { status: changed, updated_at: timestamp, won_at: timestamp }
      : changed === 'lost'
        ? { status: changed, updated_at: timestamp, lost_at: timestamp }
        : { status: changed, updated_at: timestamp },
  )

  // Key order and fields follow the docs' example; the closing timestamp shows with its status.
  const { id: recordId, name, status, won_at, lost_at } = opportunity
  const data: StageUpdateData =
    status === 'won' && won_at
      ? { id: recordId, name, status, won_at, updated_at: timestamp }
      : status === 'lost' && lost_at
        ? { id: recordId, name, status, lost_at, updated_at: timestamp }
        : { id: recordId, name, status, updated_at: timestamp }
  const result = ok(data)
  result.before = before
  return result
}
