/** One request the verifier sent to the provider, and the provider's answer. */
export interface Exchange {
  method: string
  /** The path as the pact has it (after provider-state injection). */
  path: string
  /** The path as it reached the provider: the base URL's own path, then the pact's. @default path */
  sentPath?: string
  /** The request headers as Pact sent them (before the caller's credentials were added). */
  requestHeaders?: Record<string, string>
  requestBody?: string
  status: number
  headers: Record<string, string>
  body: string
}

/** One provider-state call and how it went. */
export interface StateCall {
  name: string
  params: Record<string, unknown>
  action: string
  /** The state endpoint's JSON answer (what Pact injects). */
  answer?: unknown
  /** Why the call failed, when it did. */
  error?: string
  /** Pact retries a failing call; each retry counts here. */
  attempts: number
}

/** What happened during one interaction of the run. */
export interface RecordedInteraction {
  states: StateCall[]
  exchanges: Exchange[]
  startedAt: number
  endedAt: number
}

/**
 * Groups what the verifier does into interactions. Every state call of an interaction the kit
 * prepared carries the interaction's index (`interactionMarker`), so a failing state is
 * attributed to its own interaction even when Pact skips the request and the teardown. Calls
 * without an index (the empty state Pact sends for interactions without states) start the next
 * interaction.
 *
 * @example
 * const recorder = createExchangeRecorder()
 * recorder.stateCall({ name: 'an opportunity exists', params: {}, action: 'setup', index: 0 })
 * recorder.exchange(exchange)
 */
export function createExchangeRecorder(now: () => number = () => performance.now()) {
  const interactions = new Map<number, RecordedInteraction>()
  let current = -1
  let lastWasSetup = false
  const at = (index: number) => {
    let entry = interactions.get(index)
    if (!entry) {
      entry = { states: [], exchanges: [], startedAt: now(), endedAt: now() }
      interactions.set(index, entry)
    }
    entry.endedAt = now()
    return entry
  }
  return {
    interactions: interactions as ReadonlyMap<number, RecordedInteraction>,
    stateCall(call: { name: string; params: Record<string, unknown>; action: string; index?: number }): StateCall {
      if (call.index !== undefined) current = call.index
      else if (call.action === 'setup' && !lastWasSetup) current += 1
      lastWasSetup = call.action === 'setup'
      const entry = at(Math.max(current, 0))
      const known = entry.states.find((state) => state.name === call.name && state.action === call.action && state.error !== undefined)
      if (known) {
        known.attempts += 1
        known.error = undefined
        return known
      }
      const state: StateCall = { name: call.name, params: call.params, action: call.action, attempts: 1 }
      entry.states.push(state)
      return state
    },
    exchange(exchange: Exchange) {
      at(Math.max(current, 0)).exchanges.push(exchange)
      lastWasSetup = false
    },
  }
}

export type ExchangeRecorder = ReturnType<typeof createExchangeRecorder>
