import { contactResource } from '../../contract/resources.js'
import type { MockStore } from '../../store/createStore.js'
import { apiError } from '../apiError.js'
import type { OperationResult } from '../apiError.js'

/**
 * The 409 of a create or update whose e-mail address another contact of the account holds,
 * compared ignoring case; `undefined` when the address is free (or held by `self`). Other
 * accounts' contacts never conflict. Read from the list index's counts, so it costs the same
 * however many contacts there are.
 *
 * @example
 * const conflict = emailConflict(store, apiKey.account, body.email, id)
 * if (conflict) return conflict
 */
export function emailConflict(store: MockStore, account: string, email: string | null | undefined, self?: string): OperationResult | undefined {
  if (email === null || email === undefined) return undefined
  if (store.countRecords(contactResource.collection, account, 'email', email) === 0) return undefined
  // At most two holders are read: the contact itself and one other.
  const { records } = store.listRecords(contactResource.collection, account, {
    filters: [{ name: 'email', values: [email] }],
    sortBy: 'created_at',
    descending: false,
    offset: 0,
    limit: 2,
  })
  const holder = records.find((record) => record.id !== self)
  if (!holder) return undefined
  return apiError('ALREADY_EXISTS', 'Contact with this email already exists', { field: 'email', id: holder.id })
}
