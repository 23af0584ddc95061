// What provider verification runs: verify itself, its reports, the loopback proxies and the
// state server, and the drift checks against the documented contract.
export { verifyPacts, listInteractions } from './verifyPacts.js'
export { formatDriftReport } from './formatDriftReport.js'
export { formatInteractionList, shippedPactDir } from './pactFiles.js'
export { verificationReportVersion } from './VerificationReport.js'
export { formatJUnitReport } from './formatJUnitReport.js'
export { checkExchange } from './checkExchange.js'
export type { VerifyPactsOptions } from './VerifyPactsOptions.js'
export type { VerificationReport, InteractionReport, StateReport, RequestReport, ResponseReport, RunFailure } from './VerificationReport.js'
export type { PlannedInteraction } from './pactFiles.js'
