// What consumer teams use to write pacts: the builders (one engine over the behaviour tables),
// recording from msw tests, and the review of any pact against the docs.
export { addInteraction } from './addInteraction.js'
export { planInteraction, buildableBehaviours, expectedHeaders } from './planInteraction.js'
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
export { recordPact } from './recordPact.js'
export { reviewPact, reviewInteraction } from './reviewPact.js'
export { pactTimestampPattern, expectBySchema, jsonSchemaOf, toPactBody, toPactHeaders } from './pactMatchers.js'
export type { AddedInteraction } from './addInteraction.js'
export type { ApiKeyMechanism, InteractionOptions, InteractionPlan, PlannedRequestValues } from './planInteraction.js'
export type { StageInteraction, StageInteractionOptions, StageRequest } from './stageInteractions.js'
export type { StageBehaviour } from './stageBehaviours.js'
export type { PactRecorder, RecordPactOptions, RecordedInteraction, RecordedProviderState, RecordableMock, UnrecordedRequests, WritePactOptions } from './recordPact.js'
export type { PactReviewFinding } from './reviewPact.js'
export type { Difference, DifferenceCategory } from './Difference.js'
export type { JsonSchema, PactMatcher, PactRule } from './pactMatchers.js'
