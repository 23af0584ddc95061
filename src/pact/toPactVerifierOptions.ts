import type { VerifyPactsOptions } from './verifyPacts.js'

/**
 * Maps the kit's options onto Pact's own verifier options, one to one, so that broker
 * selection, pending and WIP pacts and publishing behave exactly as Pact documents them.
 * `providerUrl` and `statesUrl` are the kit's recording proxy and state endpoint.
 *
 * @example
 * new Verifier(toPactVerifierOptions(options, { pactUrls, providerUrl, statesUrl }))
 */
export function toPactVerifierOptions(
  options: VerifyPactsOptions,
  targets: { pactUrls: string[]; providerUrl: string; statesUrl: string | undefined },
  env: Record<string, string | undefined> = process.env,
): Record<string, unknown> {
  const verifier: Record<string, unknown> = {
    provider: options.provider ?? 'getraze-external-api',
    providerBaseUrl: targets.providerUrl,
    logLevel: options.logLevel ?? 'error',
    timeout: options.timeoutMs ?? 30_000,
    failIfNoPactsFound: true,
  }
  if (targets.pactUrls.length > 0) verifier.pactUrls = targets.pactUrls
  if (targets.statesUrl) verifier.providerStatesSetupUrl = targets.statesUrl
  // The object form: Pact's array form splits values on ":" and rejects URLs.
  if (options.headers && Object.keys(options.headers).length > 0) verifier.customProviderHeaders = { ...options.headers }
  if (options.brokerUrl) {
    verifier.pactBrokerUrl = options.brokerUrl
    const token = options.brokerToken ?? env.PACT_BROKER_TOKEN
    if (token) verifier.pactBrokerToken = token
  }
  if (options.providerVersion) verifier.providerVersion = options.providerVersion
  if (options.providerBranch) verifier.providerVersionBranch = options.providerBranch
  if (options.publish) verifier.publishVerificationResult = true
  if (options.consumerVersionSelectors) verifier.consumerVersionSelectors = options.consumerVersionSelectors.map((selector) => ({ ...selector }))
  if (options.enablePending) verifier.enablePending = true
  if (options.includeWipPactsSince) verifier.includeWipPactsSince = options.includeWipPactsSince
  return verifier
}
