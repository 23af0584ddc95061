import { createContact } from './createContact.js'
import { deleteContact } from './deleteContact.js'
import { getContact } from './getContact.js'
import { getOpportunity } from './getOpportunity.js'
import { listContacts } from './listContacts.js'
import { updateContact } from './updateContact.js'
import { updateOpportunityStage } from './updateOpportunityStage.js'
import type { OperationRegistry } from './Operation.js'

/** Operations by the `operationId` of their endpoint definition (`src/contract/endpoints.ts`). */
export const operations = {
  listContacts,
  getContact,
  createContact,
  updateContact,
  deleteContact,
  getOpportunity,
  updateOpportunityStage,
} as const satisfies OperationRegistry
