import { updateOpportunityStageContract as contract } from '../contract/updateOpportunityStageContract.js'
import type { StageBehaviour } from './stageInteractions.js'

export { pactTimestampPattern } from './pactMatchers.js'
export type { StageBehaviour } from './stageInteractions.js'

/** Each stage behaviour's interaction description, the same in built and recorded pacts (from its behaviour table). */
export const stageBehaviourDescriptions = Object.fromEntries(
  Object.entries(contract.behaviours).map(([name, behaviour]) => [name, behaviour.description]),
) as Readonly<Record<StageBehaviour, string>>
