export { apiBasePath } from './apiBasePath.js'
export { opportunityStatuses } from './opportunityStatuses.js'
export { permissions, grantablePermissions, grantsPermission } from './permissions.js'
export { apiErrors } from './apiErrors.js'
export { formatTimestamp, timestampPattern } from './formatTimestamp.js'
export {
  timestampSchema,
  opportunityStatusSchema,
  grantedPermissionSchema,
  accountSchema,
  apiKeySchema,
  opportunitySchema,
  fixtureFileSchema,
  stageUpdateBodySchema,
  stageUpdateDataSchema,
  stageUpdateResponseSchema,
  errorEnvelopeSchema,
} from './schemas.js'
export { updateOpportunityStageContract } from './updateOpportunityStageContract.js'
export { getOpportunityContract, opportunityResponseSchema } from './getOpportunityContract.js'
export { getContactContract, contactResponseSchema } from './getContactContract.js'
export { listContactsContract, contactListResponseSchema } from './listContactsContract.js'
export { createContactContract, createContactBodySchema, createdContactResponseSchema } from './createContactContract.js'
export { updateContactContract, updateContactBodySchema } from './updateContactContract.js'
export { deleteContactContract, deleteContactResponseSchema } from './deleteContactContract.js'
export { listOpportunitiesContract, opportunityListItemSchema, opportunityListResponseSchema, listPaginationSchema } from './listOpportunitiesContract.js'
export { createOpportunityContract, createOpportunityBodySchema, createOpportunityResponseSchema } from './createOpportunityContract.js'
export { updateOpportunityContract, updateOpportunityBodySchema, updateOpportunityResponseSchema } from './updateOpportunityContract.js'
export { deleteOpportunityContract, deleteOpportunityResponseSchema } from './deleteOpportunityContract.js'
export { endpoints, findEndpoint } from './endpoints.js'
export { opportunityResource, contactResource, documentedFields } from './resources.js'
export { leadSources } from './leadSources.js'
export { listQuerySchema, defaultPageSize, maxPageSize } from './listQuery.js'
export { providerStates, apiKeyStates, deriveOpportunityFields } from './providerStates.js'
export { invalidParameterBehaviour, notFoundBehaviour, sharedBehaviours } from './sharedBehaviours.js'
export { answerableErrors, allowedValues, sharedErrorCodes } from './answerableErrors.js'
export type { OpportunityStatus } from './opportunityStatuses.js'
export type { Permission, GrantedPermission } from './permissions.js'
export type { ApiErrorCode, ApiErrorBody } from './apiErrors.js'
export type { EndpointContract } from './EndpointContract.js'
export type {
  EndpointDefinition,
  BehaviourDefinition,
  FieldErrorRule,
  HttpMethod,
  KeyCondition,
  StateTemplate,
  Template,
  VariableRule,
} from './EndpointDefinition.js'
export type { OperationId, EndpointOf } from './endpoints.js'
export type { ResourceDefinition, ListingDefinition, ListFilterDefinition } from './resources.js'
export type { LeadSource } from './leadSources.js'
export type { ListParams } from './listQuery.js'
export type { ProviderStateName, ProviderStateParams } from './providerStates.js'
export type { SharedBehaviour, SharedBehavioursOptions, BaselineRequest, NotFoundBehaviourOptions } from './sharedBehaviours.js'
export type {
  Account,
  ApiKeyRecord,
  Opportunity,
  OpportunityInput,
  Contact,
  ContactInput,
  Campaign,
  CampaignInput,
  User,
  UserInput,
  ApiKeyInput,
  AccountInput,
  FixtureFile,
  FixtureSet,
  StageUpdateBody,
  StageUpdateData,
  StageUpdateResponse,
} from './schemas.js'
