import type { getContactContract } from '../../contract/getContactContract.js'
import { contactResource } from '../../contract/resources.js'
import { ok } from '../apiError.js'
import { errorAnswers } from '../errorAnswers.js'
import type { OperationFor } from './Operation.js'

/**
 * `GET /external/v1/contacts/:id`: the whole record, in the resource's field order, without the
 * tenant it belongs to. Contacts of other accounts do not exist for the caller.
 */
export const getContact: OperationFor<typeof getContactContract> = ({ params, apiKey, store }) => {
  const id = params.id!
  const contact = store.findContact(id)
  if (!contact || contact.account !== apiKey.account) return errorAnswers.notFound(contactResource, id)
  const { account: _account, ...data } = contact
  return ok(data)
}
