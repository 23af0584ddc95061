/** One request the verifier sent to the provider, and the provider's answer. */
export interface Exchange {
  method: string
  path: string
  /** The request headers as Pact sent them (before the caller's credentials were added). */
  requestHeaders?: Record<string, string>
  requestBody?: string
  status: number
  headers: Record<string, string>
  body: string
}

/** A provider-state call that failed, with the reason Pact itself does not pass on. */
export interface StateFailure {
  state: string
  action: string
  message: string
}

interface RecordedInteraction {
  exchanges: Exchange[]
  stateFailures: StateFailure[]
}

/**
 * Groups what the verifier does into interactions, in the order it does them. Pact calls the
 * state endpoint (setup, for each state, even with none) before every interaction and teardown
 * after it, so a setup following anything else starts a new interaction. Without a state
 * endpoint every request starts one.
 *
 * @example
 * const recorder = createExchangeRecorder()
 * recorder.stateCall('setup'); recorder.exchange(exchange); recorder.stateCall('teardown')
 */
export function createExchangeRecorder() {
  const interactions: RecordedInteraction[] = []
  let lastWasSetup = false
  let statesInUse = false

  const begin = () => {
    interactions.push({ exchanges: [], stateFailures: [] })
  }
  const current = () => {
    if (interactions.length === 0) begin()
    return interactions[interactions.length - 1]!
  }

  return {
    interactions: interactions as readonly RecordedInteraction[],
    stateCall(action: string) {
      statesInUse = true
      if (action === 'setup' && !lastWasSetup) begin()
      lastWasSetup = action === 'setup'
    },
    stateFailure(failure: StateFailure) {
      const list = current().stateFailures
      // Pact retries a failing state change; report each failure once.
      if (!list.some((known) => known.state === failure.state && known.action === failure.action)) list.push(failure)
    },
    exchange(exchange: Exchange) {
      if (!statesInUse) begin()
      current().exchanges.push(exchange)
      lastWasSetup = false
    },
  }
}

export type ExchangeRecorder = ReturnType<typeof createExchangeRecorder>
