import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ExchangeRecorder } from './createExchangeRecorder.js'
import { listenGuarded, readBody, sendJson } from './loopbackHttp.js'
import { interactionMarker } from './pactFiles.js'
import type { InjectedValues } from '../states/seedProviderState.js'

/** What the state endpoint does for one Pact state-change call. */
export interface StateChangeHandler {
  setup(state: string, params: Record<string, unknown>): Promise<InjectedValues>
  teardown(state: string, params: Record<string, unknown>): Promise<void>
}

/**
 * Serves Pact's state-change calls (`POST {state, params, action}`) on loopback. It takes the
 * kit's interaction marker out of the params (so handlers see the pact's params only) and
 * records each call with its answer. A state that fails answers 500, which makes Pact fail the
 * interaction instead of running it on a wrong setup, and the reason is recorded so the report
 * can name the state. Only the run's own Pact reaches it (`listenGuarded`: the secret path,
 * a loopback `Host`, no `Origin`).
 *
 * @example
 * const states = await startStateServer({ setup, teardown }, recorder, secret)
 * // providerStatesSetupUrl: states.url
 */
export async function startStateServer(handler: StateChangeHandler, recorder: ExchangeRecorder, secret: string) {
  const serve = async (request: IncomingMessage, response: ServerResponse) => {
    let call: { state?: string; params?: Record<string, unknown>; action?: string }
    try {
      call = JSON.parse(await readBody(request)) as typeof call
    } catch {
      sendJson(response, 400, { error: 'Failed to read the state change: the body is not JSON.' })
      return
    }
    const state = call.state ?? ''
    const action = call.action ?? 'setup'
    const { [interactionMarker]: marker, ...params } = call.params ?? {}
    const index = typeof marker === 'string' && /^\d+$/.test(marker) ? Number(marker) : undefined
    const recorded = recorder.stateCall({ name: state, params, action, index })
    try {
      if (action === 'teardown') {
        await handler.teardown(state, params)
        sendJson(response, 200, {})
      } else {
        // Pact sends an empty state for interactions that have none.
        const answer = state === '' ? {} : await handler.setup(state, params)
        recorded.answer = answer
        sendJson(response, 200, answer)
      }
    } catch (error) {
      recorded.error = (error as Error).message
      sendJson(response, 500, { error: recorded.error })
    }
  }
  return listenGuarded(secret, (request, response) => {
    serve(request, response).catch(() => response.destroy())
  })
}
