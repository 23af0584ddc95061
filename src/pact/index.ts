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
export type { VerifyPactsOptions } from './verifyPacts.js'
export type { VerificationReport, InteractionReport, StateReport, RequestReport, ResponseReport } from './VerificationReport.js'
export type { PlannedInteraction } from './pactFiles.js'
export type { Difference } from './checkExchange.js'
export type { ProviderStateName, ProviderStateParams } from './providerStates.js'
export type { InjectedValues } from './seedProviderState.js'
