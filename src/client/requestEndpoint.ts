import { apiBasePath } from '../contract/apiBasePath.js'
import type { ApiErrorBody, ApiErrorCode } from '../contract/apiErrors.js'
import type { EndpointDefinition } from '../contract/EndpointDefinition.js'
import { GetRazeApiError } from './GetRazeApiError.js'

/** Where and how the client calls the API. */
export interface GetRazeClientOptions {
  /**
   * Origin of the API; a trailing `/external/v1` is accepted.
   * @example 'https://app.getraze.com'
   */
  baseUrl: string
  /**
   * The API key, sent as `X-API-Key`. The API requires one; leave it out only to see its
   * 401 `MISSING_API_KEY`.
   */
  apiKey?: string
  /**
   * The fetch implementation.
   * @default globalThis.fetch
   */
  fetch?: typeof fetch
}

/** What one call sends besides the key: path parameters, query parameters and body. */
export interface EndpointInput {
  params?: Readonly<Record<string, string>>
  query?: Readonly<Record<string, unknown>>
  body?: unknown
}

function urlOf(endpoint: EndpointDefinition, baseUrl: string, input: EndpointInput): string {
  const origin = baseUrl.replace(/\/+$/, '').replace(new RegExp(`${apiBasePath}$`), '')
  const path = endpoint.path.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(input.params?.[name] ?? ''))
  const query = new URLSearchParams()
  for (const [name, value] of Object.entries(input.query ?? {})) {
    if (value === undefined || value === null) continue
    query.set(name, Array.isArray(value) ? value.join(',') : String(value))
  }
  const search = query.toString()
  return `${origin}${path}${search ? `?${search}` : ''}`
}

function parseRetryAfter(body: ApiErrorBody['error'] | undefined, header: string | null): number | undefined {
  if (typeof body?.retry_after === 'number') return body.retry_after
  const seconds = header === null ? Number.NaN : Number(header)
  return Number.isFinite(seconds) ? seconds : undefined
}

/**
 * Calls one endpoint of the API as its definition describes it and resolves to what a success
 * carries: `data`, or the rest of the envelope when there is no `data` (a delete's `message`).
 * Rejects with a `GetRazeApiError` carrying the API's status, code and message, or
 * `UNEXPECTED_RESPONSE` when the answer is not the documented envelope.
 *
 * @example
 * await requestEndpoint(updateOpportunityStageContract, { baseUrl, apiKey }, { params: { id }, body: { status: 'won' } })
 * @see createGetRazeClient, which offers one typed method per endpoint
 */
export async function requestEndpoint(endpoint: EndpointDefinition, options: GetRazeClientOptions, input: EndpointInput = {}): Promise<unknown> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  if (input.body !== undefined) headers['Content-Type'] = 'application/json'
  if (options.apiKey !== undefined) headers['X-API-Key'] = options.apiKey
  const response = await (options.fetch ?? fetch)(urlOf(endpoint, options.baseUrl, input), {
    method: endpoint.method,
    headers,
    ...(input.body !== undefined ? { body: JSON.stringify(input.body) } : {}),
  })

  const text = await response.text()
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    body = undefined
  }
  if (response.ok && typeof body === 'object' && body !== null && (body as { success?: unknown }).success === true) {
    const { success: _success, ...rest } = body as Record<string, unknown>
    return 'data' in rest ? rest.data : rest
  }
  const error = (body as ApiErrorBody | undefined)?.error
  if (!response.ok && typeof error?.code === 'string' && typeof error.message === 'string') {
    const init: ConstructorParameters<typeof GetRazeApiError>[0] = {
      status: response.status,
      code: error.code satisfies ApiErrorCode | string,
      message: error.message,
    }
    if (error.details !== undefined) init.details = error.details
    const retryAfter = parseRetryAfter(error, response.headers.get('retry-after'))
    if (retryAfter !== undefined) init.retryAfter = retryAfter
    throw new GetRazeApiError(init)
  }
  throw new GetRazeApiError({
    status: response.status,
    code: 'UNEXPECTED_RESPONSE',
    message: `Failed to ${endpoint.action}: the API answered ${response.status} without the documented JSON envelope. Check baseUrl (${options.baseUrl}).`,
  })
}
