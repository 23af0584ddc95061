export { verifyPacts, listInteractions } from './verifyPacts.js'
export { formatDriftReport } from './formatDriftReport.js'
export { formatInteractionList, shippedPactDir } from './pactFiles.js'
export { verificationReportVersion } from './VerificationReport.js'
export { formatJUnitReport } from './formatJUnitReport.js'
export { checkExchange } from './checkExchange.js'
export { providerStates } from './providerStates.js'
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
export { recordPact } from './recordPact.js'
export type { VerifyPactsOptions } from './verifyPacts.js'
export type { VerificationReport, InteractionReport, StateReport, RequestReport, ResponseReport, RunFailure } from './VerificationReport.js'
export type { PlannedInteraction } from './pactFiles.js'
export type { Difference, DifferenceCategory } from './checkExchange.js'
export type { ProviderStateName, ProviderStateParams } from './providerStates.js'
export type { InjectedValues } from './seedProviderState.js'
export type { ApiKeyMechanism, StageInteraction, StageInteractionOptions, StageRequest } from './stageInteractions.js'
export type { StageBehaviour } from './stageBehaviours.js'
export type { PactReviewFinding } from './reviewPact.js'
export type { PactRecorder, RecordPactOptions, RecordedInteraction, RecordedProviderState } from './recordPact.js'
