import { redactUrl, splitUrlCredentials } from './redactSecrets.js'
import type { InjectedValues } from './seedProviderState.js'
import type { StateChangeHandler } from './startStateServer.js'

/**
 * State changes forwarded to a real provider's own state endpoint. Its JSON answer is what
 * Pact injects; a non-2xx answer is turned into an error naming the state.
 *
 * @example
 * startStateServer(forwardStateChanges('http://localhost:3000/_pact/provider-states'), recorder)
 */
export function forwardStateChanges(setupUrl: string): StateChangeHandler {
  // fetch refuses URLs with credentials: they go as an Authorization header instead.
  const { url, authorization } = splitUrlCredentials(setupUrl)
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
      throw new Error(
        `Failed to ${action === 'setup' ? 'set up' : 'tear down'} provider state "${state}": the provider's state endpoint answered ${response.status}${text ? ` (${text.slice(0, 200)})` : ''}. Implement the state as the README's provider-state table describes.`,
      )
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
