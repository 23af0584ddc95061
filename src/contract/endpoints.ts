import { createContactContract } from './createContactContract.js'
import { createOpportunityContract } from './createOpportunityContract.js'
import { deleteContactContract } from './deleteContactContract.js'
import { deleteOpportunityContract } from './deleteOpportunityContract.js'
import { getContactContract } from './getContactContract.js'
import { getOpportunityContract } from './getOpportunityContract.js'
import { listContactsContract } from './listContactsContract.js'
import { listOpportunitiesContract } from './listOpportunitiesContract.js'
import { updateContactContract } from './updateContactContract.js'
import { updateOpportunityContract } from './updateOpportunityContract.js'
import { updateOpportunityStageContract } from './updateOpportunityStageContract.js'
import type { EndpointDefinition } from './EndpointDefinition.js'

/**
 * Every endpoint the mock serves, in the docs' order. The operations registry
 * (`src/core/operations/index.ts`) must have one operation per entry: the type system checks it.
 */
export const endpoints = [
  listContactsContract,
  getContactContract,
  createContactContract,
  updateContactContract,
  deleteContactContract,
  listOpportunitiesContract,
  getOpportunityContract,
  createOpportunityContract,
  updateOpportunityContract,
  deleteOpportunityContract,
  updateOpportunityStageContract,
] as const satisfies readonly EndpointDefinition[]

/** The `operationId` of a documented endpoint. */
export type OperationId = (typeof endpoints)[number]['operationId']

/** The definition of the endpoint with this `operationId`. */
export type EndpointOf<Id extends OperationId> = Extract<(typeof endpoints)[number], { operationId: Id }>

/**
 * The definition with this `operationId`, or `undefined`.
 *
 * @example
 * findEndpoint('updateOpportunityStage')?.path // '/external/v1/opportunities/:id/stage'
 */
export function findEndpoint(operationId: string): EndpointDefinition | undefined {
  return (endpoints as readonly EndpointDefinition[]).find((endpoint) => endpoint.operationId === operationId)
}
