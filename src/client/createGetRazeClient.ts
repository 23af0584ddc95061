import type { z } from 'zod'
import { endpoints } from '../contract/endpoints.js'
import type { EndpointDefinition } from '../contract/EndpointDefinition.js'
import { requestEndpoint } from './requestEndpoint.js'
import type { GetRazeClientOptions } from './requestEndpoint.js'

type Endpoint = (typeof endpoints)[number]

/** The `:param` names of a path template, in order. */
type PathParams<Path extends string> = Path extends `${string}:${infer Name}/${infer Rest}`
  ? [Name, ...PathParams<`/${Rest}`>]
  : Path extends `${string}:${infer Name}`
    ? [Name]
    : []

/** One string argument per path parameter, named after it. */
type ParamArgs<Names extends readonly string[]> = { [Index in keyof Names]: string }

/** What a success resolves to: `data`, or the envelope without `success` (a delete's `message`). */
type Resolved<E> = E extends { response: z.ZodType } ? (z.output<E['response']> extends { data: infer Data } ? Data : Omit<z.output<E['response']>, 'success'>) : never

/**
 * A list's query parameters as the client takes them: by name, as the definition's query schema
 * names them; `page` and `limit` also as numbers, a free-text one also as a list of values, which
 * the client sends comma-separated (`tags: ['prospect', 'tech']`).
 */
export type ClientQuery<Query> = {
  [Name in keyof Query]?: Query[Name] | (Name extends 'page' | 'limit' ? number : string extends NonNullable<Query[Name]> ? readonly string[] : never)
}

/** The client method of one endpoint: path parameters, then the body, then the query. */
export type ClientMethod<E> = E extends { path: infer Path extends string }
  ? (
      ...args: [
        ...ParamArgs<PathParams<Path>>,
        ...(E extends { body: z.ZodType } ? [body: z.input<E['body']>] : []),
        ...(E extends { query: z.ZodType } ? [query?: ClientQuery<z.input<E['query']>>] : []),
      ]
    ) => Promise<Resolved<E>>
  : never

/**
 * One group per resource, one method per documented endpoint, typed from its definition:
 * `client.contacts.list({ search })`, `client.contacts.create(body)`,
 * `client.opportunities.update(id, body)`, `client.contacts.delete(id)`,
 * `client.opportunities.updateStage(id, { status })`.
 */
export type GetRazeClient = {
  [Group in Endpoint['client']['group']]: {
    [E in Extract<Endpoint, { client: { group: Group } }> as E['client']['method']]: ClientMethod<E>
  }
}

function methodOf(endpoint: EndpointDefinition, options: GetRazeClientOptions) {
  const names = (endpoint.path.match(/:\w+/g) ?? []).map((param) => param.slice(1))
  return (...args: unknown[]) => {
    const params = Object.fromEntries(names.map((name, index) => [name, String(args[index])]))
    let next = names.length
    const body = endpoint.body ? args[next++] : undefined
    const query = endpoint.query ? (args[next++] as Record<string, unknown> | undefined) : undefined
    return requestEndpoint(endpoint, options, { params, body, query })
  }
}

/**
 * A typed client of the GetRaze external API with one method per documented endpoint, grouped by
 * resource and typed from the contract: path parameters, body and query in, the documented data
 * out. Errors reject with `GetRazeApiError`. Works against the real API, `serve`, or the msw
 * handlers alike.
 *
 * @example
 * import { createGetRazeClient } from 'getraze-mock/client'
 *
 * const client = createGetRazeClient({ baseUrl: 'https://app.getraze.com', apiKey: process.env.GETRAZE_API_KEY })
 * const opportunity = await client.opportunities.updateStage('opp_abc123def456', { status: 'won' })
 * // Each method takes the path's parameters, then the body, then the query, as its definition has them:
 * // client.contacts.list({ search: 'john', limit: 50 }) resolves to { contacts, pagination }
 */
export function createGetRazeClient(options: GetRazeClientOptions): GetRazeClient {
  const client: Record<string, Record<string, unknown>> = {}
  for (const endpoint of endpoints as readonly EndpointDefinition[]) {
    client[endpoint.client.group] ??= {}
    client[endpoint.client.group]![endpoint.client.method] = methodOf(endpoint, { ...options })
  }
  return client as GetRazeClient
}
