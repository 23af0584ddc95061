import type { User } from '../../contract/schemas.js'
import type { MockStore } from '../../store/createStore.js'
import type { OperationResult } from '../apiError.js'
import { errorAnswers } from '../errorAnswers.js'

/**
 * The user a write assigns an opportunity to, as the record keeps it: `{ id, name }` for a user of
 * `account`, `null` when the request unassigns (`null`) or assigns nobody (absent), `undefined`
 * when the id names no user of that account (another account's user included, which the caller
 * cannot see).
 *
 * @example
 * assignableUser(store, 'acc_demo', 'usr_123') // { id: 'usr_123', name: 'Sales Rep' }
 */
export function assignableUser(store: MockStore, account: string, id: string | null | undefined): { id: string; name: string } | null | undefined {
  if (id === undefined || id === null) return null
  const user: User | undefined = store.findRecord('users', id)
  return user && user.account === account ? { id: user.id, name: user.name } : undefined
}

/** The sentence `details.fields.responsible_user_id` gives for an id that names no user of the account. */
export const unknownUserProblem = 'Responsible user id is not a user of this account'

/** 400 `VALIDATION_ERROR` on `responsible_user_id`, in the docs' format. */
export function unknownUserAnswer(): OperationResult {
  return errorAnswers.validationFailed({ responsible_user_id: unknownUserProblem })
}
