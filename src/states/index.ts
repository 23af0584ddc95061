// The mock's own implementation of the provider-state vocabulary (src/contract/providerStates.ts):
// what `verify` runs against the in-process mock, and what `serve` answers on its admin route.
export {
  seedProviderState,
  seedOpportunity,
  seedNoOpportunity,
  seedApiKey,
  clearProviderStates,
  providerStateAccount,
  providerStateFixtures,
} from './seedProviderState.js'
export { createMockStateHandler, describeMockStateEndpoint, isMockStateEndpointDescription, mockStateEndpointPath } from './mockStateEndpoint.js'
export type { InjectedValues } from './seedProviderState.js'
export type { MockStateEndpointDescription } from './mockStateEndpoint.js'
