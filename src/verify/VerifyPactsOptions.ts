/** Options of `verifyPacts`. Broker options map one to one onto Pact's own verifier options. */
export interface VerifyPactsOptions {
  /**
   * Pact files, folders or URLs to verify.
   * @default every *.json in ./pacts, unless `brokerUrl` is set
   */
  pactUrls?: string[]
  /**
   * The provider to verify.
   * @default an in-process getraze-mock with the built-in provider states
   */
  providerBaseUrl?: string
  /**
   * The provider's own state endpoint (Pact's `POST {state, params, action}`); its JSON answer
   * is injected into the interaction. Only with `providerBaseUrl`.
   * @default undefined: a getraze-mock's own (`serve`, found on its admin API), else no state setup
   */
  providerStatesSetupUrl?: string
  /**
   * The admin token of a getraze-mock verified as the provider (`serve --admin-token`), sent with
   * its state calls as `Authorization: Bearer`. Only used when `providerBaseUrl` is a getraze-mock
   * and no `providerStatesSetupUrl` is given. Never printed.
   * @default process.env.GETRAZE_MOCK_ADMIN_TOKEN
   */
  adminToken?: string
  /**
   * Headers added to every request to the provider (credentials it needs). Never printed.
   * @default {}
   */
  headers?: Record<string, string>
  /**
   * Provider name, as in the pact and the broker.
   * @default 'getraze-external-api'
   */
  provider?: string
  /** Pact Broker URL; the token comes from `brokerToken`. @default undefined */
  brokerUrl?: string
  /** Pact Broker token. @default process.env.PACT_BROKER_TOKEN */
  brokerToken?: string
  /** Version of the provider being verified (needed to publish). @default undefined */
  providerVersion?: string
  /** Branch of the provider being verified. @default undefined */
  providerBranch?: string
  /** Publish the results to the broker. @default false */
  publish?: boolean
  /**
   * Which consumer versions' pacts to fetch from the broker.
   * @default [{ mainBranch: true }, { deployedOrReleased: true }]
   */
  consumerVersionSelectors?: Record<string, unknown>[]
  /** Let pending pacts fail without failing the run. @default false */
  enablePending?: boolean
  /** Include work-in-progress pacts since this date (YYYY-MM-DD). @default undefined */
  includeWipPactsSince?: string
  /** Pact's log level. @default 'error' */
  logLevel?: 'error' | 'warn' | 'info' | 'debug' | 'trace'
  /**
   * Fail the interactions the pact review (`reviewPact`) finds something in, instead of warning.
   * @default false
   */
  strict?: boolean
  /** Timeout of each request to the provider, in ms. @default 30000 */
  timeoutMs?: number
  /** Only interactions whose description contains this text (case-insensitive). @default undefined (all) */
  only?: string
  /** Only interactions that use this provider state. @default undefined (all) */
  state?: string
  /** Called with each notice before Pact runs (the pact used, states that will not be set up). @default undefined */
  onNotice?: (message: string) => void
  /**
   * Called with each line Pact itself prints (its log at `logLevel`, and its own account of
   * each interaction), every secret redacted and colour codes removed. Pact runs in a child
   * process, so nothing of it reaches this process's stdout or stderr otherwise.
   * @default undefined (Pact's output is dropped)
   */
  onPactOutput?: (line: string) => void
  /**
   * When the run cannot verify (the provider or its state endpoint does not answer, or Pact
   * stops without a result), return a report whose `failure` says why, instead of throwing
   * `PREFLIGHT_FAILED` or `VERIFICATION_FAILED`: CI steps that read the report files then
   * have one. The CLI sets it.
   * @default false
   */
  reportFailedRuns?: boolean
}
