export { createGetRazeMock } from './handlers/createGetRazeMock.js'
export { GetRazeMockError } from './errors/GetRazeMockError.js'
export { parseFixtures } from './store/parseFixtures.js'
export { createClock } from './core/createClock.js'
export { updateOpportunityStage, createGetRazeClient, GetRazeApiError } from './client/index.js'
export { buildOpenApiDocument } from './openapi/index.js'
export {
  updateOpportunityStageContract,
  endpoints,
  opportunityStatuses,
  apiErrors,
  apiBasePath,
  formatTimestamp,
  fixtureFileSchema,
  opportunitySchema,
  apiKeySchema,
  accountSchema,
  stageUpdateBodySchema,
  stageUpdateResponseSchema,
  errorEnvelopeSchema,
} from './contract/index.js'

export type { GetRazeMock, GetRazeMockOptions } from './handlers/createGetRazeMock.js'
export type { GetRazeClient, GetRazeClientOptions } from './client/index.js'
export type { ExchangeSource, MockExchange, MockRequest, MockResponse } from './core/MockRequest.js'
export type { GetRazeMockErrorCode } from './errors/GetRazeMockError.js'
export type { MockStore } from './store/createStore.js'
export type { FixtureData, FixturesInput, MockRuntimeOptions } from './runtime/createMockRuntime.js'
export type { ClockInput } from './core/createClock.js'
export type { OpenApiDocument, OpenApiDocumentOptions } from './openapi/index.js'
export type { MockClock } from './control/createMockClock.js'
export type {
  TestControl,
  JournalControl,
  FaultControl,
  ClockControl,
  JournalEntry,
  JournalFilter,
  Fault,
  FaultMatch,
  ActiveFault,
} from './control/TestControl.js'
export type {
  Account,
  ApiKeyRecord,
  ApiErrorBody,
  ApiErrorCode,
  EndpointDefinition,
  BehaviourDefinition,
  OperationId,
  FixtureFile,
  GrantedPermission,
  Opportunity,
  OpportunityStatus,
  Permission,
  StageUpdateBody,
  StageUpdateData,
  StageUpdateResponse,
} from './contract/index.js'
