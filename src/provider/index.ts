export { createProviderStateHandler } from './createProviderStateHandler.js'
export { providerStates } from '../contract/providerStates.js'
export type {
  ProviderStateHandler,
  ProviderStateHandlerOptions,
  ProviderStateHandlers,
  ProviderStateValues,
} from './createProviderStateHandler.js'
export type { ProviderStateName, ProviderStateParams } from '../contract/providerStates.js'
