import type { listContactsContract } from '../../contract/listContactsContract.js'
import { contactResource } from '../../contract/resources.js'
import type { Contact } from '../../contract/schemas.js'
import { answerList } from './answerList.js'
import type { OperationFor } from './Operation.js'

/** A contact as the list shows it: every field of the resource, without the tenant. */
function toItem({ account: _account, ...item }: Contact) {
  return item
}

/**
 * `GET /external/v1/contacts`: one page of the caller's contacts, filtered, searched and sorted
 * as the query asks (the pipeline has validated it). Other accounts' contacts are never listed.
 */
export const listContacts: OperationFor<typeof listContactsContract> = ({ query, apiKey, store }) =>
  answerList(store, contactResource, apiKey.account, query, toItem)
