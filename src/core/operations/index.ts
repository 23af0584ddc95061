import { createContact } from './createContact.js'
import { createOpportunity } from './createOpportunity.js'
import { deleteContact } from './deleteContact.js'
import { deleteOpportunity } from './deleteOpportunity.js'
import { getContact } from './getContact.js'
import { getOpportunity } from './getOpportunity.js'
import { listContacts } from './listContacts.js'
import { listOpportunities } from './listOpportunities.js'
import { updateContact } from './updateContact.js'
import { updateOpportunity } from './updateOpportunity.js'
import { updateOpportunityStage } from './updateOpportunityStage.js'
import type { OperationRegistry } from './Operation.js'

/** Operations by the `operationId` of their endpoint definition (`src/contract/endpoints.ts`). */
export const operations = {
  listContacts,
  getContact,
  createContact,
  updateContact,
  deleteContact,
  listOpportunities,
  getOpportunity,
  createOpportunity,
  updateOpportunity,
  deleteOpportunity,
  updateOpportunityStage,
} as const satisfies OperationRegistry
