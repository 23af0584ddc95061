import { contactResource } from './resources.js'
import { contactSchema } from './schemas.js'
import type { StateTemplate } from './EndpointDefinition.js'

/**
 * The docs' example contact (`cnt_abc123def456`, as the "get contact" page shows it), which the
 * contacts endpoints' examples and behaviour tables start from, and the default fixtures hold.
 */
export const contactExampleId = 'cnt_abc123def456'
export const contactExampleRecord = {
  name: 'John Doe',
  email: 'john@example.com',
  phone: '+5511999999999',
  company: 'Acme Inc',
  position: 'CEO',
  source: 'linkedin',
  linkedin_url: 'https://linkedin.com/in/johndoe',
  tags: ['prospect', 'decision-maker'],
  custom_fields: { industry: 'Technology', company_size: '50-200' },
}
export const contactExampleTimestamps = { created_at: '2024-01-15T10:30:00Z', updated_at: '2024-01-20T14:00:00Z' }

/** Each field of the example record as a template of the variable of the same name: `{ name: '{name}', ... }`. */
export const templatedContact = Object.fromEntries(Object.keys(contactExampleRecord).map((field) => [field, `{${field}}`])) as Record<
  keyof typeof contactExampleRecord,
  string
>

/** The variables the templates use, with the docs' values. */
export const contactExampleVariables = { id: contactExampleId, ...contactExampleRecord, ...contactExampleTimestamps }

/** The state recreates every field an answer shows, so any provider answers the same record. */
export const contactExistsState: StateTemplate = { name: contactResource.states.exists, params: { id: '{id}', ...templatedContact } }

/** The state that makes sure the contact a path names does not exist. */

/** A contact as the API answers it: every documented field, without the mock's `account`. */
export const contactDataSchema = contactSchema.omit({ account: true })
