import { formatTimestamp } from '../../contract/formatTimestamp.js'
import { contactResource } from '../../contract/resources.js'
import type { Contact } from '../../contract/schemas.js'
import type { updateContactContract } from '../../contract/updateContactContract.js'
import { ok } from '../apiError.js'
import { errorAnswers } from '../errorAnswers.js'
import { emailConflict } from './contactEmail.js'
import { mergeCustomFields } from './customFields.js'
import type { OperationFor } from './Operation.js'

/** Fields a PUT sets to the value sent (`tags` replaces the list). */
const replaced = ['name', 'email', 'phone', 'company', 'position', 'linkedin_url', 'tags'] as const

/**
 * `PUT /external/v1/contacts/:id`: changes only the fields sent (`tags` replaces the list,
 * `custom_fields` merges by key, a key sent as `null` is removed), sets `updated_at`, and
 * answers the whole contact. An e-mail address another contact of the account holds is a 409;
 * contacts of other accounts do not exist for the caller. Nothing is written before every check
 * has passed.
 */
export const updateContact: OperationFor<typeof updateContactContract> = ({ params, body, apiKey, store, now }) => {
  const id = params.id!
  const contact = store.findContact(id)
  if (!contact || contact.account !== apiKey.account) return errorAnswers.notFound(contactResource, id)
  const conflict = emailConflict(store, apiKey.account, body.email, id)
  if (conflict) return conflict

  const changes: Partial<Contact> = {}
  for (const field of replaced) {
    if (body[field] !== undefined) Object.assign(changes, { [field]: body[field] })
  }
  if (body.custom_fields !== undefined) changes.custom_fields = mergeCustomFields(contact.custom_fields, body.custom_fields)
  changes.updated_at = formatTimestamp(now)
  const before = Object.fromEntries(Object.keys(changes).map((field) => [field, contact[field as keyof Contact]]))

  // Through the store, so its list index follows the new e-mail address, company and tags.
  const updated = store.updateRecord('contacts', id, changes)!
  const { account: _account, ...data } = updated
  const result = ok(data)
  result.before = before
  return result
}
