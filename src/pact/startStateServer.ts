import { createServer } from 'node:http'
import type { ExchangeRecorder } from './createExchangeRecorder.js'
import { listen, readBody, sendJson } from './loopbackHttp.js'
import type { InjectedValues } from './seedProviderState.js'

/** What the state endpoint does for one Pact state-change call. */
export interface StateChangeHandler {
  setup(state: string, params: Record<string, unknown>): Promise<InjectedValues>
  teardown(state: string, params: Record<string, unknown>): Promise<void>
}

/**
 * Serves Pact's state-change calls (`POST {state, params, action}`) on loopback. A state that
 * fails answers 500, which makes Pact fail the interaction instead of running it on a wrong
 * setup, and the reason is recorded so the report can name the state.
 *
 * @example
 * const states = await startStateServer({ setup, teardown }, recorder)
 * // providerStatesSetupUrl: `${states.url}/provider-states`
 */
export async function startStateServer(handler: StateChangeHandler, recorder: ExchangeRecorder) {
  const server = createServer(async (request, response) => {
    let call: { state?: string; params?: Record<string, unknown>; action?: string }
    try {
      call = JSON.parse(await readBody(request)) as typeof call
    } catch {
      sendJson(response, 400, { error: 'Failed to read the state change: the body is not JSON.' })
      return
    }
    const state = call.state ?? ''
    const action = call.action ?? 'setup'
    recorder.stateCall(action)
    try {
      if (action === 'teardown') {
        await handler.teardown(state, call.params ?? {})
        sendJson(response, 200, {})
      } else {
        // Pact sends an empty state for interactions that have none.
        sendJson(response, 200, state === '' ? {} : await handler.setup(state, call.params ?? {}))
      }
    } catch (error) {
      const message = (error as Error).message
      recorder.stateFailure({ state, action, message })
      sendJson(response, 500, { error: message })
    }
  })
  return listen(server)
}

