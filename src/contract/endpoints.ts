import { updateOpportunityStageContract } from './updateOpportunityStageContract.js'
import type { EndpointContract } from './EndpointContract.js'

/** Every endpoint the mock serves. */
export const endpoints: readonly EndpointContract[] = [updateOpportunityStageContract]
