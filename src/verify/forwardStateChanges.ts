import { summariseText } from './summariseText.js'
import { redactUrl, splitUrlCredentials } from './redactSecrets.js'
import type { InjectedValues } from '../states/seedProviderState.js'
import type { StateChangeHandler } from './startStateServer.js'

/**
 * State changes forwarded to a real provider's own state endpoint (or a running getraze-mock's,
 * with its admin token as `options.authorization`). Its JSON answer is what Pact injects; a
 * non-2xx answer is turned into an error naming the state.
 *
 * @example
 * startStateServer(forwardStateChanges('http://localhost:3000/_pact/provider-states'), recorder)
 */
export function forwardStateChanges(setupUrl: string, options: { authorization?: string } = {}): StateChangeHandler {
  // fetch refuses URLs with credentials: they go as an Authorization header instead.
  const split = splitUrlCredentials(setupUrl)
  const { url } = split
  const authorization = options.authorization ?? split.authorization
  const shown = redactUrl(setupUrl)
  const post = async (state: string, params: Record<string, unknown>, action: string) => {
    let response: Response
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: JSON.stringify({ state, params, action }),
      })
    } catch (error) {
      throw new Error(`Failed to ${action === 'setup' ? 'set up' : 'tear down'} provider state "${state}": ${shown} is unreachable (${(error as Error).message}). Start the provider's state endpoint or fix --provider-states-setup-url.`)
    }
    const text = await response.text()
    if (!response.ok) {
      const verb = action === 'setup' ? 'set up' : 'tear down'
      const reason = answerReason(text, response.headers.get('content-type'))
      // A handler built with createProviderStateHandler already says "Failed to set up provider state "X": ...".
      const own = reason.match(/^Failed to (?:set up|tear down|change) provider state(?: "[^"]*")?: ([\s\S]*)$/)
      const said = own ? own[1]!.replace(/\.$/, '') : reason.replace(/\.$/, '')
      const fix =
        response.status === 404
          ? ` Check the path in --provider-states-setup-url: nothing answers state changes at ${shown}.`
          : own
            ? ''
            : " Implement the state as the README's provider-state table describes."
      throw new Error(`Failed to ${verb} provider state "${state}": the provider's state endpoint answered ${response.status}${said ? `: ${said}` : ''}.${fix}`)
    }
    if (!text.trim()) return {}
    try {
      const values = JSON.parse(text) as unknown
      return typeof values === 'object' && values !== null && !Array.isArray(values) ? (values as InjectedValues) : {}
    } catch {
      return {}
    }
  }
  return {
    setup: (state, params) => post(state, params, 'setup'),
    teardown: async (state, params) => {
      await post(state, params, 'teardown')
    },
  }
}

/**
 * What a failed state call's answer says, in one line: the `error` (or `error.message`,
 * `message`) of a JSON body, else a summary of the text (an HTML error page, say).
 *
 * @example
 * answerReason('{"error":"duplicate key"}', 'application/json') // 'duplicate key'
 */
export function answerReason(text: string, contentType: string | null): string {
  if (text.trim() === '') return ''
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown }
    const error = body?.error as { message?: unknown } | string | undefined
    const said = typeof error === 'string' ? error : typeof error?.message === 'string' ? error.message : typeof body?.message === 'string' ? body.message : undefined
    if (said !== undefined) return said.replace(/\s+/g, ' ').trim().slice(0, 300)
    return text.replace(/\s+/g, ' ').trim().slice(0, 200)
  } catch {
    return summariseText(text, contentType ?? undefined)
  }
}
