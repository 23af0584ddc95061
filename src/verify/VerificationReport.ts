import type { Difference } from './checkExchange.js'

/** The version of the report's JSON shape; its JSON Schema ships as `getraze-mock/schemas/verification-report.v1.schema.json`. */
export const verificationReportVersion = 1

/** A provider state of one interaction, with what the state endpoint answered. */
export interface StateReport {
  name: string
  params: Record<string, unknown>
  /** The endpoint's JSON answer to the setup (what Pact injects); `null` when it gave none. */
  answer: unknown
  /** Why the setup failed; `null` when it did not. */
  error: string | null
}

/** The request as it reached the provider (after provider-state injection). */
export interface RequestReport {
  method: string
  /** The path the provider got: the base URL's own path (if any), then the pact's. */
  path: string
  /** Where the API key went: `X-API-Key header`, `Authorization header`, `api_key query parameter` or `none`. */
  key: string
  /** The JSON body, or the text when it is not JSON; `null` when there was none. */
  body: unknown
}

/** The provider's answer. */
export interface ResponseReport {
  status: number
  headers: Record<string, string>
  /** The JSON body, or the text cut to about 500 characters when it is not JSON or too long. */
  body: unknown
  /** `error.code` and `error.message` when the body is an error envelope, else `null`. */
  errorCode: string | null
  errorMessage: string | null
}

/** The verdict on one interaction of a pact. */
export interface InteractionReport {
  consumer: string
  description: string
  states: StateReport[]
  request: RequestReport | null
  response: ResponseReport | null
  /** `pending`: failed, but the broker marked the pact pending, so it does not fail the run. */
  verdict: 'passed' | 'failed' | 'pending'
  durationMs: number
  /** What Pact found wrong and failed state setups, most telling first. */
  failures: Difference[]
  /** Plain-words hints about the cause (ids that do not line up, states never set up). */
  diagnoses: string[]
  /** Where the provider differs from the documented behaviour though the pact may pass. */
  warnings: Difference[]
}

/** The drift report of one verification run. */
export interface VerificationReport {
  reportVersion: typeof verificationReportVersion
  kit: { name: 'getraze-mock'; version: string }
  passed: boolean
  provider: string
  /** What was verified: the provider's base URL (credentials redacted), or `getraze-mock (in-process)`. */
  target: string
  /** Pact files or URLs verified; `broker <url>` for broker pacts. */
  pactSources: string[]
  startedAt: string
  durationMs: number
  /** Things said before verifying (the pact used, states that cannot be set up). */
  notices: string[]
  interactions: InteractionReport[]
  totals: { interactions: number; passed: number; failed: number; pending: number; withWarnings: number }
  /** Why nothing was verified, when the run stopped before Pact's verdicts; absent otherwise. */
  failure?: RunFailure
}

/** Why a run verified nothing. */
export interface RunFailure {
  /** `preflight`: the provider or its state endpoint did not answer; `verification`: Pact stopped without a result. */
  stage: 'preflight' | 'verification'
  /** The error's code (`PREFLIGHT_FAILED`, `VERIFICATION_FAILED`). */
  code: string
  message: string
}
