import type { Difference } from './checkExchange.js'

/** The verdict on one interaction of a pact. */
export interface InteractionReport {
  consumer: string | undefined
  description: string
  /** Provider-state names, in order. */
  states: string[]
  /** `pending`: failed, but the broker marked the pact pending, so it does not fail the run. */
  verdict: 'passed' | 'failed' | 'pending'
  /** What Pact found wrong, plus failed state setups. */
  failures: Difference[]
  /** Where the provider differs from the documented schemas though the pact passes (extra fields...). */
  warnings: Difference[]
}

/** The drift report of one verification run. */
export interface VerificationReport {
  passed: boolean
  provider: string
  /** What was verified: the provider's base URL, or `getraze-mock (in-process)`. */
  target: string
  interactions: InteractionReport[]
}
