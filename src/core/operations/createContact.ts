import type { createContactContract } from '../../contract/createContactContract.js'
import { formatTimestamp } from '../../contract/formatTimestamp.js'
import { contactResource, documentedFields } from '../../contract/resources.js'
import type { Contact } from '../../contract/schemas.js'
import { ok } from '../apiError.js'
import { emailConflict } from './contactEmail.js'
import { withoutNullValues } from './customFields.js'
import type { OperationFor } from './Operation.js'

/** Fields a create answers even when they were not sent: the page's defaults. */
const defaulted = new Set(['id', 'source', 'tags', 'custom_fields', 'created_at', 'updated_at'])

/**
 * `POST /external/v1/contacts`: stores a new contact of the caller's account, unless another of
 * its contacts has the e-mail address (409), and answers in the page's shape: the id, the fields
 * sent (`null` as sent), the defaults (`source` other, no tags, no custom fields) and the
 * timestamps, in the resource's order.
 */
export const createContact: OperationFor<typeof createContactContract> = ({ body, apiKey, store, now, newId }) => {
  const conflict = emailConflict(store, apiKey.account, body.email)
  if (conflict) return conflict

  const timestamp = formatTimestamp(now)
  const contact: Contact = {
    id: newId(contactResource),
    account: apiKey.account,
    name: body.name,
    email: body.email ?? null,
    phone: body.phone ?? null,
    company: body.company ?? null,
    position: body.position ?? null,
    source: body.source ?? 'other',
    linkedin_url: body.linkedin_url ?? null,
    tags: body.tags ?? [],
    custom_fields: withoutNullValues(body.custom_fields ?? {}),
    created_at: timestamp,
    updated_at: timestamp,
  }
  store.insertRecord('contacts', contact)

  const sent = body as Record<string, unknown>
  const stored = contact as Record<string, unknown>
  const data: Record<string, unknown> = {}
  for (const field of documentedFields(contactResource)) if (defaulted.has(field) || sent[field] !== undefined) data[field] = stored[field]
  return ok(data)
}
