import { apiBasePath } from '../contract/apiBasePath.js'
import { endpoints } from '../contract/endpoints.js'
import type { EndpointDefinition } from '../contract/EndpointDefinition.js'
import { formatTimestamp, timestampPattern } from '../contract/formatTimestamp.js'
import type { ReferencedCollection, ResourceDefinition } from '../contract/resources.js'
import { jsonSchemaOf, unwrapNullable } from '../consumer/pactMatchers.js'
import type { JsonSchema } from '../consumer/pactMatchers.js'

/** Every kind of record some endpoint names, once. */
const resources: ResourceDefinition[] = [...new Set((endpoints as readonly EndpointDefinition[]).flatMap((endpoint) => (endpoint.resource ? [endpoint.resource] : [])))]

/**
 * The collections of records other records refer to (`campaigns`, `users`), as the resources declare them.
 *
 * @example
 * referencedCollections.has('users') // true
 */
export const referencedCollections: ReadonlySet<string> = new Set(resources.flatMap((resource) => Object.values(resource.references ?? {})))

/**
 * The kind of record an endpoint answers with: the one its `:id` names, else the one whose
 * collection is the first segment of its path (`/external/v1/contacts` answers contacts).
 *
 * @example
 * resourceOf(updateOpportunityStageContract)?.name // 'opportunity'
 */
export function resourceOf(endpoint: EndpointDefinition): ResourceDefinition | undefined {
  if (endpoint.resource) return endpoint.resource
  const segment = endpoint.path.slice(apiBasePath.length).split('/')[1]
  return resources.find((resource) => resource.collection === segment)
}

/** An endpoint that creates a record: a POST to a collection (no `:id`), whose id the provider picks. */
export function createsRecords(endpoint: EndpointDefinition): boolean {
  return endpoint.method === 'POST' && !endpoint.path.includes('/:')
}

/** A JSON object (not an array, not `null`): the record layer's one test for it. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A record an answer shows: its kind, and its fields as the provider answered them. */
export interface AnsweredRecord {
  resource: ResourceDefinition
  id: string
  fields: Record<string, unknown>
}

/** A record another record refers to (`campaign`, `responsible_user`), as far as an answer or a request names it. */
export interface NamedReference {
  collection: ReferencedCollection
  id: string
  /** `undefined` when only the id was named (a list item's `campaign_id`, a body's `responsible_user_id`). */
  name: string | undefined
}

/**
 * The references a record shows: `{ id, name }` objects in the fields the resource declares as
 * references, or their `<field>_id` (and `<field>_name`) as list items send them. A request body
 * names them as `<field>_id`.
 *
 * @example
 * referencesIn(opportunityResource, { campaign_id: 'camp_1', responsible_user: { id: 'usr_1', name: 'Ana' } })
 * // [{ collection: 'campaigns', id: 'camp_1', name: undefined }, { collection: 'users', id: 'usr_1', name: 'Ana' }]
 */
export function referencesIn(resource: ResourceDefinition, fields: Readonly<Record<string, unknown>>): NamedReference[] {
  const found: NamedReference[] = []
  for (const { field, collection, idField, nameField } of kindsOf(resource).referenced) {
    const value = fields[field]
    if (isObject(value) && typeof value.id === 'string' && value.id !== '') {
      found.push({ collection, id: value.id, name: typeof value.name === 'string' ? value.name : undefined })
      continue
    }
    const id = fields[idField]
    const name = fields[nameField]
    if (typeof id === 'string' && id !== '') found.push({ collection, id, name: typeof name === 'string' ? name : undefined })
  }
  return found
}

/**
 * The resource's fields an answered record shows, a reference named by `<field>_id` as the field
 * itself; fields the docs do not know are left out.
 *
 * @example
 * shownFields(opportunityResource, { id: 'opp_1', name: 'A', campaign_id: 'camp_1', stage_id: 'x' }) // ['id', 'name', 'campaign']
 */
export function shownFields(resource: ResourceDefinition, fields: Readonly<Record<string, unknown>>): string[] {
  const kinds = kindsOf(resource)
  const shown: string[] = []
  for (const key of Object.keys(fields)) {
    const field = kinds.fields.has(key) ? key : kinds.byIdField.get(key)
    if (field !== undefined) shown.push(field)
  }
  return shown
}

/**
 * The resource's timestamp fields (`created_at`, `won_at`, ...): values the provider's clock
 * sets, not the request.
 *
 * @example
 * timestampFieldsOf(contactResource) // Set { 'created_at', 'updated_at' }
 */
export function timestampFieldsOf(resource: ResourceDefinition): ReadonlySet<string> {
  return kindsOf(resource).timestamps
}

/**
 * The records a success answer shows: `data` itself when it is one record (it has an `id`), and
 * the items of each array in `data` named after a collection (`data.opportunities` of a list).
 * Other answers (errors, a delete's message) show none.
 *
 * @example
 * recordsInAnswer(getOpportunityContract, { success: true, data: { id: 'opp_1', name: 'A' } })
 * // [{ resource: opportunityResource, id: 'opp_1', fields: { id: 'opp_1', name: 'A' } }]
 */
export function recordsInAnswer(endpoint: EndpointDefinition, body: unknown): AnsweredRecord[] {
  const data = isObject(body) ? body.data : undefined
  if (!isObject(data)) return []
  const own = resourceOf(endpoint)
  if (own && (typeof data.id === 'string' || typeof data.id === 'number')) return [{ resource: own, id: String(data.id), fields: data }]
  const found: AnsweredRecord[] = []
  for (const [name, value] of Object.entries(data)) {
    const resource = resources.find((candidate) => candidate.collection === name) ?? (own && name === own.collection ? own : undefined)
    if (!resource || !Array.isArray(value)) continue
    for (const item of value) {
      if (isObject(item) && (typeof item.id === 'string' || typeof item.id === 'number')) found.push({ resource, id: String(item.id), fields: item })
    }
  }
  return found
}

// ---------------------------------------------------------------------------------------------
// A record as the store keeps it, from what a provider answered.

interface FieldKinds {
  /** The documented fields (the schema's, less the private ones). */
  fields: Set<string>
  timestamps: Set<string>
  strings: Set<string>
  /** Fields holding a `{ id, name }` reference, which list items send as `<field>_id`. */
  references: Set<string>
  /** The references the resource declares, with the names list items and bodies use for them. */
  referenced: Array<{ field: string; collection: ReferencedCollection; idField: string; nameField: string }>
  /** A reference field by the `<field>_id` that names it. */
  byIdField: Map<string, string>
}

const kindsByResource = new WeakMap<ResourceDefinition, FieldKinds>()

function kindsOf(resource: ResourceDefinition): FieldKinds {
  let kinds = kindsByResource.get(resource)
  if (!kinds) {
    const referenced = Object.entries(resource.references ?? {}).map(([field, collection]) => ({ field, collection, idField: `${field}_id`, nameField: `${field}_name` }))
    kinds = {
      fields: new Set(Object.keys(resource.schema.shape).filter((field) => !resource.privateFields.includes(field))),
      timestamps: new Set(),
      strings: new Set(),
      references: new Set(),
      referenced,
      byIdField: new Map(referenced.map((reference) => [reference.idField, reference.field])),
    }
    const properties: Record<string, JsonSchema> = jsonSchemaOf(resource.schema).properties ?? {}
    for (const [field, fieldSchema] of Object.entries(properties)) {
      const { schema } = unwrapNullable(fieldSchema)
      if (schema.pattern === timestampPattern.source) kinds.timestamps.add(field)
      else if (schema.type === 'string' && !schema.enum) kinds.strings.add(field)
      else if (schema.type === 'object' && schema.properties?.id !== undefined && schema.properties?.name !== undefined) kinds.references.add(field)
    }
    kindsByResource.set(resource, kinds)
  }
  return kinds
}

// ISO 8601 with a space or a T, fractions, and a zone as Z, +00, +0000 or +00:00 (PostgreSQL's text form included).
const lenientTimestamp = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}(?::?\d{2})?)$/

/**
 * A timestamp in another form (milliseconds, PostgreSQL's text, an offset) as the API's, to the
 * second; `undefined` when it is not a timestamp at all.
 *
 * @example
 * toApiTimestamp('2026-11-25 19:19:01.933483+00') // '2026-11-25T19:19:01Z'
 */
export function toApiTimestamp(value: string): string | undefined {
  if (timestampPattern.test(value)) return value
  const match = lenientTimestamp.exec(value)
  if (!match) return undefined
  const zone = match[4] === 'Z' ? 'Z' : match[4]!.length === 3 ? `${match[4]}:00` : match[4]!.includes(':') ? match[4] : `${match[4]!.slice(0, 3)}:${match[4]!.slice(3)}`
  const time = Date.parse(`${match[1]}T${match[2]}${match[3] ?? ''}${zone}`)
  return Number.isNaN(time) ? undefined : formatTimestamp(new Date(time))
}

/** The outcome of storing an answered record. */
export interface StoredRecord {
  /** The record in the store's form (the schema's output), or `undefined` when it cannot be one. */
  record: Record<string, unknown> | undefined
  /** Fields of the schema the answer showed (references through `<field>_id` included). */
  shown: string[]
  /** Fields the answer did not show or showed in a form the store cannot keep, with what was done. */
  filled: string[]
  /** Why the record cannot be stored, when it cannot. */
  problem?: string
}

/**
 * A record as the store keeps it, from a provider's answer: the schema's fields the answer
 * shows (timestamps in another form brought to the API's), the rest from `existing` (what was
 * known before), the schema's defaults, or for a required timestamp the earliest one the record
 * has (`created_at` from `updated_at`). Fields the docs do not know are dropped. When a field
 * still does not fit (an undocumented status, say), the known value is kept, or the record is
 * not stored.
 *
 * @example
 * toStoredRecord(opportunityResource, { id: 'opp_1', name: 'A', status: 'won', updated_at: '2024-01-25T10:00:00.123Z' }, undefined, 'acc_1')
 * // { record: { id: 'opp_1', account: 'acc_1', ..., created_at: '2024-01-25T10:00:00Z' }, filled: ['created_at (from updated_at)', ...] }
 */
export function toStoredRecord(
  resource: ResourceDefinition,
  answered: Record<string, unknown>,
  existing: Record<string, unknown> | undefined,
  account: string,
  nameOf: (field: string, id: string) => string | undefined = () => undefined,
): StoredRecord {
  const kinds = kindsOf(resource)
  const fields = Object.keys(resource.schema.shape).filter((field) => !resource.privateFields.includes(field))
  const candidate: Record<string, unknown> = existing ? { ...existing } : {}
  const shown: string[] = []
  const filled: string[] = []
  for (const field of fields) {
    let value = answered[field]
    if (value === undefined && kinds.references.has(field) && `${field}_id` in answered) {
      // A list item names the reference by id only: its name is the one known for that id, if any.
      const id = answered[`${field}_id`]
      const held = existing?.[field] as { id?: unknown; name?: unknown } | null | undefined
      const name = typeof id !== 'string' ? undefined : (answered[`${field}_name`] ?? nameOf(field, id) ?? (held?.id === id ? held.name : undefined))
      value = typeof id === 'string' ? { id, name: typeof name === 'string' ? name : '' } : id === null ? null : undefined
      // Shown only when the name was too: a later answer's name is then taken in, not compared.
      if (typeof id === 'string' && typeof name !== 'string' && value !== undefined) {
        candidate[field] = value
        continue
      }
    }
    if (value === undefined) continue
    if (kinds.timestamps.has(field) && typeof value === 'string' && !timestampPattern.test(value)) {
      const converted = toApiTimestamp(value)
      if (converted !== undefined) {
        filled.push(`${field} (to the second)`)
        value = converted
      }
    }
    candidate[field] = value
    shown.push(field)
  }
  candidate.id = String(answered.id)
  candidate.account = account
  // A record already stored, with fields in documented form: checking those fields is enough,
  // since the rest already passed (and the schema has no rule across fields).
  if (existing && existing.account === account) {
    const shape = resource.schema.shape as Record<string, { safeParse(value: unknown): { success: boolean; data?: unknown } }>
    let fits = true
    for (const field of shown) {
      const result = shape[field]!.safeParse(candidate[field])
      if (!result.success) {
        fits = false
        break
      }
      candidate[field] = result.data
    }
    if (fits) return { record: candidate, shown, filled }
  }
  for (let attempt = 0; attempt <= fields.length; attempt++) {
    const result = resource.schema.safeParse(candidate)
    if (result.success) return { record: result.data as Record<string, unknown>, shown, filled }
    const issue = result.error.issues[0]!
    const field = String(issue.path[0] ?? '')
    if (!fields.includes(field) || field === 'id') break
    const known = existing?.[field]
    if (known !== undefined && candidate[field] !== known) {
      candidate[field] = known
      filled.push(`${field} (kept: ${describeProblem(issue.message)})`)
      continue
    }
    if (candidate[field] !== undefined) {
      // Dropped: the schema's default (null, [], {}) stands in, or the next round fills it.
      delete candidate[field]
      filled.push(`${field} (dropped: ${describeProblem(issue.message)})`)
      continue
    }
    const earliest = [...kinds.timestamps].map((name) => candidate[name]).filter((time): time is string => typeof time === 'string' && timestampPattern.test(time)).sort()[0]
    if (kinds.timestamps.has(field) && earliest !== undefined) {
      candidate[field] = earliest
      filled.push(`${field} (from the earliest timestamp the record has)`)
      continue
    }
    if (kinds.strings.has(field)) {
      candidate[field] = ''
      filled.push(`${field} (empty: the answers never showed it)`)
      continue
    }
    return { record: undefined, shown, filled, problem: `field "${field}" ${describeProblem(issue.message)}` }
  }
  return { record: undefined, shown, filled, problem: 'it does not fit the documented resource' }
}

function describeProblem(message: string): string {
  return message.replace(/^Invalid input: /, '').replace(/\.$/, '')
}
