export { verifyPacts, listInteractions } from './verifyPacts.js'
export { formatDriftReport } from './formatDriftReport.js'
export { formatInteractionList, shippedPactDir } from './pactFiles.js'
export { verificationReportVersion } from './VerificationReport.js'
export { formatJUnitReport } from './formatJUnitReport.js'
export { checkExchange } from './checkExchange.js'
export { providerStates } from '../contract/providerStates.js'
export {
  seedProviderState,
  seedOpportunity,
  seedNoOpportunity,
  seedApiKey,
  clearProviderStates,
  providerStateAccount,
  providerStateFixtures,
} from './seedProviderState.js'
export {
  addStageInteraction,
  addMoveToWonInteraction,
  addMoveToLostInteraction,
  addMoveToOpenStatusInteraction,
  addInvalidStatusInteraction,
  addNotFoundInteraction,
  addMissingApiKeyInteraction,
  addRevokedApiKeyInteraction,
  addExpiredApiKeyInteraction,
  addInsufficientPermissionsInteraction,
  addRateLimitedInteraction,
  stageBehaviours,
} from './stageInteractions.js'
export { stageBehaviourDescriptions } from './stageBehaviours.js'
export { reviewPact, reviewInteraction } from './reviewPact.js'
export { addInteraction } from './addInteraction.js'
export { planInteraction } from './planInteraction.js'
export { recordPact } from './recordPact.js'
export type { VerifyPactsOptions } from './VerifyPactsOptions.js'
export type { VerificationReport, InteractionReport, StateReport, RequestReport, ResponseReport, RunFailure } from './VerificationReport.js'
export type { PlannedInteraction } from './pactFiles.js'
export type { Difference, DifferenceCategory } from './checkExchange.js'
export type { ProviderStateName, ProviderStateParams } from '../contract/providerStates.js'
export type { InjectedValues } from './seedProviderState.js'
export type { StageInteraction, StageInteractionOptions, StageRequest } from './stageInteractions.js'
export type { ApiKeyMechanism, InteractionOptions, InteractionPlan, PlannedRequestValues } from './planInteraction.js'
export type { AddedInteraction } from './addInteraction.js'
export type { StageBehaviour } from './stageBehaviours.js'
export type { PactReviewFinding } from './reviewPact.js'
export type { PactRecorder, RecordPactOptions, RecordedInteraction, RecordedProviderState, RecordableMock, UnrecordedRequests, WritePactOptions } from './recordPact.js'
