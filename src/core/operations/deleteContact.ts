import type { deleteContactContract } from '../../contract/deleteContactContract.js'
import { contactResource } from '../../contract/resources.js'
import { errorAnswers } from '../errorAnswers.js'
import type { OperationFor } from './Operation.js'

/**
 * `DELETE /external/v1/contacts/:id`: removes the contact for good (404 after) and answers the
 * page's message, without `data`. Opportunities are separate records and stay. Contacts of other
 * accounts do not exist for the caller.
 */
export const deleteContact: OperationFor<typeof deleteContactContract> = ({ params, apiKey, store }) => {
  const id = params.id!
  const contact = store.findContact(id)
  if (!contact || contact.account !== apiKey.account) return errorAnswers.notFound(contactResource, id)
  store.deleteRecord('contacts', id)
  // What the contact held, for observers: every field changed.
  const { account: _account, ...before } = contact
  return { status: 200, body: { success: true, message: 'Contact deleted successfully' }, before }
}
