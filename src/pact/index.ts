// The `getraze-mock/pact` entry: both sides of contract testing, from their own folders
// (src/consumer: builders, recording, review; src/verify: verification and its reports;
// src/states: the mock's provider states), with the state vocabulary from the contract.
export {
  verifyPacts,
  listInteractions,
  formatDriftReport,
  formatInteractionList,
  shippedPactDir,
  verificationReportVersion,
  formatJUnitReport,
  checkExchange,
} from '../verify/index.js'
export {
  seedProviderState,
  seedOpportunity,
  seedNoOpportunity,
  seedApiKey,
  clearProviderStates,
  providerStateAccount,
  providerStateFixtures,
} from '../states/index.js'
export {
  addInteraction,
  planInteraction,
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
  stageBehaviourDescriptions,
  reviewPact,
  reviewInteraction,
  recordPact,
} from '../consumer/index.js'
export { providerStates } from '../contract/providerStates.js'
export type { VerifyPactsOptions, VerificationReport, InteractionReport, StateReport, RequestReport, ResponseReport, RunFailure, PlannedInteraction } from '../verify/index.js'
export type { InjectedValues } from '../states/index.js'
export type {
  Difference,
  DifferenceCategory,
  AddedInteraction,
  ApiKeyMechanism,
  InteractionOptions,
  InteractionPlan,
  PlannedRequestValues,
  StageInteraction,
  StageInteractionOptions,
  StageRequest,
  StageBehaviour,
  PactReviewFinding,
  PactRecorder,
  RecordPactOptions,
  RecordedInteraction,
  RecordedProviderState,
  RecordableMock,
  UnrecordedRequests,
  WritePactOptions,
} from '../consumer/index.js'
export type { ProviderStateName, ProviderStateParams } from '../contract/providerStates.js'
