import { getContact } from './getContact.js'
import { getOpportunity } from './getOpportunity.js'
import { updateOpportunityStage } from './updateOpportunityStage.js'
import type { OperationRegistry } from './Operation.js'

/** Operations by the `operationId` of their endpoint definition (`src/contract/endpoints.ts`). */
export const operations = {
  getContact,
  getOpportunity,
  updateOpportunityStage,
} as const satisfies OperationRegistry
