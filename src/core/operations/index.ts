import { createOpportunity } from './createOpportunity.js'
import { deleteOpportunity } from './deleteOpportunity.js'
import { getContact } from './getContact.js'
import { getOpportunity } from './getOpportunity.js'
import { listOpportunities } from './listOpportunities.js'
import { updateOpportunity } from './updateOpportunity.js'
import { updateOpportunityStage } from './updateOpportunityStage.js'
import type { OperationRegistry } from './Operation.js'

/** Operations by the `operationId` of their endpoint definition (`src/contract/endpoints.ts`). */
export const operations = {
  getContact,
  listOpportunities,
  getOpportunity,
  createOpportunity,
  updateOpportunity,
  deleteOpportunity,
  updateOpportunityStage,
} as const satisfies OperationRegistry
