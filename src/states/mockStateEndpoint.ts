import { providerStates } from '../contract/providerStates.js'
import type { ProviderStateName } from '../contract/providerStates.js'
import { createProviderStateHandler } from '../provider/createProviderStateHandler.js'
import type { ProviderStateHandler, ProviderStateHandlers } from '../provider/createProviderStateHandler.js'
import type { MockRuntime } from '../runtime/createMockRuntime.js'
import { clearProviderStates, seedProviderState } from './seedProviderState.js'

/** Where a running getraze-mock (`serve`) answers Pact's state-change calls, under its admin API. */
export const mockStateEndpointPath = '/__admin/provider-states'

/** What `GET /__admin/provider-states` answers: how `verify` recognises a getraze-mock. */
export interface MockStateEndpointDescription {
  kit: 'getraze-mock'
  /** The states it sets up: the kit's vocabulary (`providerStates`). */
  states: string[]
  setup: string
  teardown: string
}

/**
 * The description the mock's state endpoint answers to `GET`: the kit's name, its states and
 * what the calls do. `verify` takes a provider whose admin API answers this for a getraze-mock.
 *
 * @example
 * describeMockStateEndpoint().states // ['an opportunity exists', ...]
 */
export function describeMockStateEndpoint(): MockStateEndpointDescription {
  return {
    kit: 'getraze-mock',
    states: Object.keys(providerStates),
    setup: 'POST {"state", "params", "action": "setup"}: sets the state up and answers the values to inject',
    teardown: 'POST {"state", "params", "action": "teardown"}: resets the mock, as POST /__admin/reset does',
  }
}

/**
 * Whether an answer is the description of a getraze-mock's state endpoint: checked field by field,
 * so a provider that happens to serve the same path is not taken for one.
 *
 * @example
 * isMockStateEndpointDescription(await response.json())
 */
export function isMockStateEndpointDescription(body: unknown): body is MockStateEndpointDescription {
  if (typeof body !== 'object' || body === null) return false
  const { kit, states } = body as Record<string, unknown>
  return kit === 'getraze-mock' && Array.isArray(states) && states.every((state) => typeof state === 'string')
}

/**
 * The provider-state endpoint over a mock: the contract `createProviderStateHandler` implements
 * for providers (setup, teardown, the empty state, params validated against the vocabulary, an
 * unknown state refused by name), with the mock's own states (`seedProviderState`) and a teardown
 * that resets the mock (`clearProviderStates`), as `verify` does in process. `serve` answers it at
 * `POST /__admin/provider-states`.
 *
 * @example
 * await createMockStateHandler(runtime).handle({ state: 'an opportunity exists', params: { id: 'opp_1' }, action: 'setup' })
 * // { status: 200, body: { id: 'opp_1' } }
 */
export function createMockStateHandler(runtime: MockRuntime): ProviderStateHandler {
  // One function per name of the vocabulary, each handing its params to seedProviderState, which
  // dispatches and validates by name: the mapped type cannot follow Object.fromEntries.
  const states = Object.fromEntries(
    (Object.keys(providerStates) as ProviderStateName[]).map((name) => [name, (params: Record<string, unknown>) => seedProviderState(runtime, name, params)]),
  ) as unknown as ProviderStateHandlers
  return createProviderStateHandler(states, { teardown: () => clearProviderStates(runtime) })
}
