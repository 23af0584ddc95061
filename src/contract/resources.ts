import type { z } from 'zod'
import { opportunitySchema } from './schemas.js'

/**
 * A kind of record an endpoint's path names by `:id`: how errors and provider states speak of it
 * and where the store keeps it. Endpoints share these, so "not found" reads the same everywhere.
 */
export interface ResourceDefinition {
  /** The noun in messages and error details: `'opportunity'`. */
  name: string
  /** The noun starting a sentence: `'Opportunity'`. */
  label: string
  /** The store's collection (and fixture section) holding the records. */
  collection: 'opportunities'
  /** The provider states that create a record and make sure none exists. */
  states: { exists: string; missing: string }
  /** The record as the store keeps it: the documented resource plus the mock's own fields. */
  schema: z.ZodObject
  /** Fields of `schema` the API never answers (the tenant a record belongs to). */
  privateFields: readonly string[]
}

/**
 * The fields of the documented resource ("get" page): what a provider may add to a shorter
 * answer without inventing anything.
 *
 * @example
 * documentedFields(opportunityResource) // ['id', 'name', 'email', ...]
 */
export function documentedFields(resource: ResourceDefinition): string[] {
  return Object.keys(resource.schema.shape).filter((field) => !resource.privateFields.includes(field))
}

/** The opportunity (a lead in the pipeline). */
export const opportunityResource = {
  name: 'opportunity',
  label: 'Opportunity',
  collection: 'opportunities',
  states: { exists: 'an opportunity exists', missing: 'no opportunity exists' },
  schema: opportunitySchema,
  privateFields: ['account'],
} as const satisfies ResourceDefinition
