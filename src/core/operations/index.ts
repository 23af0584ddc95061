import { updateOpportunityStage } from './updateOpportunityStage.js'
import type { Operation } from './Operation.js'

/** Operations by the `operationId` of their endpoint contract. */
export const operations: Readonly<Record<string, Operation<never>>> = {
  updateOpportunityStage,
}
