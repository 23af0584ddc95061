import { formatTimestamp } from '../../contract/formatTimestamp.js'
import { opportunityResource } from '../../contract/resources.js'
import type { Opportunity } from '../../contract/schemas.js'
import { updateAnswerFields, updateOpportunityBodySchema } from '../../contract/updateOpportunityContract.js'
import type { updateOpportunityContract } from '../../contract/updateOpportunityContract.js'
import { ok } from '../apiError.js'
import { errorAnswers } from '../errorAnswers.js'
import { assignableUser, unknownUserProblem } from './assignableUser.js'
import type { OperationFor } from './Operation.js'

/** The body's documented fields, in the page's order: the order the answer adds the ones sent in. */
const bodyFields = Object.keys(updateOpportunityBodySchema.shape) as Array<keyof typeof updateOpportunityBodySchema.shape>
const answered: readonly string[] = updateAnswerFields

/** The sentence `details.fields.status` gives: the update page sends status changes to the stage endpoint. */
export const statusRefusal = 'Status can only be changed with PATCH /external/v1/opportunities/:id/stage'

/**
 * `PUT /external/v1/opportunities/:id`: changes only the fields sent (a user as `{id, name}`),
 * sets `updated_at`, and answers the page's shape (decision 0091). `status` is refused rather
 * than dropped silently. Body problems are answered before the record is looked up, as the
 * pipeline's own body checks are; nothing is changed unless everything is valid.
 */
export const updateOpportunity: OperationFor<typeof updateOpportunityContract> = ({ params, body, apiKey, store, now }) => {
  const problems: Record<string, string> = {}
  if ('status' in body) problems.status = statusRefusal
  const user = assignableUser(store, apiKey.account, body.responsible_user_id)
  if (user === undefined) problems.responsible_user_id = unknownUserProblem
  if (Object.keys(problems).length > 0) return errorAnswers.validationFailed(problems)

  const id = params.id!
  const opportunity = store.findOpportunity(id)
  if (!opportunity || opportunity.account !== apiKey.account) return errorAnswers.notFound(opportunityResource, id)

  const sent = bodyFields.filter((field) => field in body)
  const changes: Partial<Opportunity> = { updated_at: formatTimestamp(now) }
  for (const field of sent) {
    if (field === 'responsible_user_id') changes.responsible_user = user ?? null
    else (changes as Record<string, unknown>)[field] = body[field]
  }
  const before = Object.fromEntries(Object.keys(changes).map((field) => [field, opportunity[field as keyof Opportunity]]))
  // Through the store, so lists and their counts follow.
  const updated = store.updateRecord('opportunities', id, changes)!

  const data: Record<string, unknown> = {}
  for (const field of answered) data[field] = updated[field as keyof Opportunity]
  for (const field of sent) if (!answered.includes(field)) data[field] = body[field]
  data.updated_at = updated.updated_at
  const result = ok(data)
  result.before = before
  return result
}
