/**
 * A difference between what a provider sent and what the pact or the docs describe.
 * `expected` and `actual` are JSON values (`null` when absent); `expected` may be a phrase
 * in words when no single value is expected ("a UTC timestamp such as 2024-01-25T10:00:00Z").
 */
export interface Difference {
  /** JSON path (`$.data.won_at`), `status`, `header <name>`, `state "<name>"` or `request`. */
  path: string
  expected: unknown
  actual: unknown
  message: string
  /**
   * What kind of finding it is: `pact` (Pact's verdict against an exact value), `pact-matcher`
   * (Pact's verdict against a matcher, which `expected` describes in words), `provider-state`
   * (a state that was not set up), `pact-review` (the pact asks for what the docs or the state
   * set do not have) or `documented-contract` (the answer differs from the docs).
   * @default undefined (not said)
   */
  category?: DifferenceCategory
}

/** The kinds of `Difference`. */
export type DifferenceCategory = 'pact' | 'pact-matcher' | 'provider-state' | 'pact-review' | 'documented-contract'
