import type { VerifyPactsOptions } from './VerifyPactsOptions.js'

/**
 * The consumer versions verified when a broker is used and no selector is given: the latest
 * pact from each consumer's main branch, and every version deployed or released. This is what
 * the Pact docs recommend for a provider's own CI.
 */
export const defaultConsumerVersionSelectors: ReadonlyArray<Record<string, unknown>> = [{ mainBranch: true }, { deployedOrReleased: true }]

/**
 * Maps the kit's options onto Pact's own verifier options, one to one, so that broker
 * selection, pending and WIP pacts and publishing behave exactly as Pact documents them.
 * `providerUrl`, `statesUrl` and `brokerUrl` are the kit's loopback proxies: credentials
 * (header values, the broker token, URL passwords) stay in the proxies and never reach Pact,
 * so no Pact log level can print them.
 *
 * @example
 * await runPactVerifier(toPactVerifierOptions(options, { pactUrls, providerUrl, statesUrl, brokerUrl }), { redact })
 */
export function toPactVerifierOptions(
  options: VerifyPactsOptions,
  targets: { pactUrls: string[]; providerUrl: string; statesUrl: string | undefined; brokerUrl?: string },
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
  if (options.brokerUrl) verifier.pactBrokerUrl = targets.brokerUrl ?? options.brokerUrl
  if (options.providerVersion) verifier.providerVersion = options.providerVersion
  if (options.providerBranch) verifier.providerVersionBranch = options.providerBranch
  if (options.publish) verifier.publishVerificationResult = true
  if (options.brokerUrl) {
    const selectors = options.consumerVersionSelectors?.length ? options.consumerVersionSelectors : defaultConsumerVersionSelectors
    verifier.consumerVersionSelectors = selectors.map((selector) => ({ ...selector }))
  }
  if (options.enablePending) verifier.enablePending = true
  if (options.includeWipPactsSince) verifier.includeWipPactsSince = options.includeWipPactsSince
  return verifier
}
