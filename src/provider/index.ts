export { createProviderStateHandler } from './createProviderStateHandler.js'
export { providerStates } from '../pact/providerStates.js'
export type {
  ProviderStateHandler,
  ProviderStateHandlerOptions,
  ProviderStateHandlers,
  ProviderStateValues,
} from './createProviderStateHandler.js'
export type { ProviderStateName, ProviderStateParams } from '../pact/providerStates.js'
