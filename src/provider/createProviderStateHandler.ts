import type { IncomingMessage, ServerResponse } from 'node:http'
import { providerStates } from '../contract/providerStates.js'
import type { ProviderStateName, ProviderStateParams } from '../contract/providerStates.js'

/** Values a state hands back for Pact to inject (`{ id }` for opportunities). */
export type ProviderStateValues = Record<string, string | number | boolean>

/**
 * The states whose answer is `{}` (the README's provider-state table): Pact injects nothing from
 * them, so what their functions return is ignored, and `({ key }) => db.apiKeys.insert({ key })`
 * may return the inserted row (it is never sent back, nor printed in a report).
 */
const statesAnsweringNothing = [
  'an API key exists',
  'an API key has been revoked',
  'an API key has expired',
  'an API key has used its hourly rate limit',
] as const satisfies readonly ProviderStateName[]
type StateAnsweringNothing = (typeof statesAnsweringNothing)[number]

/**
 * One function per provider state the consumer pacts use. Each receives the state's params,
 * validated with the contract's schemas. The opportunity states return the values to inject (a
 * flat object such as `{ id }`) or nothing; the API-key states may return anything, which is
 * ignored (their answer is `{}`). A provider that wants the compiler to check it handles every
 * state of the API writes `const states = { ... } satisfies ProviderStateHandlers`.
 */
export type ProviderStateHandlers = {
  [Name in ProviderStateName]: Name extends StateAnsweringNothing
    ? (params: ProviderStateParams<Name>) => unknown
    : (params: ProviderStateParams<Name>) => Promise<ProviderStateValues | void> | ProviderStateValues | void
}

/** Options of `createProviderStateHandler`. */
export interface ProviderStateHandlerOptions {
  /**
   * Called for every teardown (after each interaction): clear what the states created.
   * @default undefined (teardown answers 200 and does nothing)
   */
  teardown?: (state: string, params: Record<string, unknown>) => Promise<void> | void
}

/** A `(req, res)` listener for `node:http` and Express/Connect, with a Fetch-style `fetch`. */
export interface ProviderStateHandler {
  (request: IncomingMessage & { body?: unknown }, response: ServerResponse, next?: (error?: unknown) => void): void
  /** The same endpoint for Fetch-based frameworks (Hono, Next.js route handlers, Bun, Deno). */
  fetch(request: Request): Promise<Response>
  /** The endpoint's logic without HTTP: what it answers to one state-change body. */
  handle(body: unknown): Promise<{ status: number; body: Record<string, unknown> }>
}

function failure(status: number, message: string) {
  return { status, body: { error: message } }
}

const stateNames = Object.keys(providerStates) as ProviderStateName[]

/**
 * Creates the provider-state endpoint getraze-mock's pacts need, following the documented
 * contract: Pact POSTs `{ state, params, action }`; a setup runs the state's function with its
 * validated params and answers the values to inject; a teardown runs `options.teardown`; the
 * empty state (interactions without states) answers `{}`. An unknown state, a missing function
 * or bad params answer 400 naming the state; a function that throws answers 500 with its message.
 *
 * @example
 * import express from 'express'
 * import { createProviderStateHandler } from 'getraze-mock/provider'
 *
 * const states = createProviderStateHandler({
 *   'an opportunity exists': async ({ name, status }) => ({ id: (await db.opportunities.create({ name, status })).id }),
 *   'no opportunity exists': () => ({ id: crypto.randomUUID() }),
 *   'an API key exists': ({ key, permissions }) => db.keys.create({ key, permissions }),
 *   'an API key has been revoked': ({ key }) => db.keys.create({ key, revoked: true }),
 *   'an API key has expired': ({ key }) => db.keys.create({ key, expiresAt: new Date(0) }),
 *   'an API key has used its hourly rate limit': ({ key }) => db.keys.create({ key, usedThisHour: 100, hourlyLimit: 100 }),
 * }, { teardown: () => db.truncateAll() })
 * app.post('/_pact/provider-states', express.json(), states)
 */
export function createProviderStateHandler(states: Partial<ProviderStateHandlers>, options: ProviderStateHandlerOptions = {}): ProviderStateHandler {
  async function handle(body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return failure(400, 'Failed to read the state change: expected a JSON object { "state", "params", "action" }.')
    }
    const call = body as { state?: unknown; params?: unknown; action?: unknown }
    const state = typeof call.state === 'string' ? call.state : ''
    const action = call.action ?? 'setup'
    const params = typeof call.params === 'object' && call.params !== null && !Array.isArray(call.params) ? (call.params as Record<string, unknown>) : {}
    if (action !== 'setup' && action !== 'teardown') {
      return failure(400, `Failed to change provider state "${state}": action ${JSON.stringify(action)} is not "setup" or "teardown".`)
    }
    try {
      if (action === 'teardown') {
        await options.teardown?.(state, params)
        return { status: 200, body: {} }
      }
      // Pact sends an empty state before interactions that have none.
      if (state === '') return { status: 200, body: {} }
      const schema = providerStates[state as ProviderStateName]
      if (!schema) {
        return failure(400, `Failed to set up provider state "${state}": getraze-mock's pacts have no such state. Use one of: ${stateNames.map((name) => `"${name}"`).join(', ')}.`)
      }
      const run = states[state as ProviderStateName] as ((params: unknown) => unknown) | undefined
      if (typeof run !== 'function') {
        return failure(400, `Failed to set up provider state "${state}": the provider has no function for it. Add "${state}" to createProviderStateHandler's states.`)
      }
      const parsed = schema.safeParse(params)
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!
        return failure(400, `Failed to set up provider state "${state}": param "${issue.path.join('.')}" ${issue.message}. Fix the params in the pact.`)
      }
      const values = (await run(parsed.data)) as ProviderStateValues | void
      return { status: 200, body: (statesAnsweringNothing as readonly string[]).includes(state) ? {} : (values ?? {}) }
    } catch (error) {
      return failure(500, `Failed to ${action === 'setup' ? 'set up' : 'tear down'} provider state "${state}": ${(error as Error).message}.`)
    }
  }

  const listener = ((request, response, next) => {
    const answer = (result: { status: number; body: Record<string, unknown> }) => {
      response.statusCode = result.status
      response.setHeader('content-type', 'application/json')
      response.end(JSON.stringify(result.body))
    }
    if (request.method !== 'POST') {
      answer(failure(405, `Failed to change provider state: ${request.method} is not allowed. Pact POSTs the state change.`))
      return
    }
    const run = async () => {
      // Express/Connect body parsers leave the body on request.body; otherwise read the stream.
      let body = request.body
      if (body === undefined || (typeof body === 'object' && body !== null && !Array.isArray(body) && Object.keys(body).length === 0 && !request.readableEnded)) {
        let text = ''
        for await (const chunk of request) text += chunk
        body = text
      }
      if (typeof body === 'string' || Buffer.isBuffer(body)) {
        try {
          body = JSON.parse(body.toString())
        } catch {
          answer(failure(400, 'Failed to read the state change: the body is not JSON.'))
          return
        }
      }
      answer(await handle(body))
    }
    run().catch((error: unknown) => (next ? next(error) : answer(failure(500, `Failed to change provider state: ${(error as Error).message}.`))))
  }) as ProviderStateHandler

  listener.fetch = async (request: Request) => {
    if (request.method !== 'POST') {
      return Response.json(failure(405, `Failed to change provider state: ${request.method} is not allowed. Pact POSTs the state change.`).body, { status: 405 })
    }
    let body: unknown
    try {
      body = await request.json()
    } catch {
      return Response.json({ error: 'Failed to read the state change: the body is not JSON.' }, { status: 400 })
    }
    const result = await handle(body)
    return Response.json(result.body, { status: result.status })
  }
  listener.handle = handle
  return listener
}
