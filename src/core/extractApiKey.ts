import type { MockRequest } from './MockRequest.js'
import { readQueryApiKey } from './queryApiKey.js'

/**
 * Finds the key in `X-API-Key`, else `Authorization: Bearer`, else `?api_key=`, as the docs rank
 * them: the one rule the pipeline, test control and the request log share.
 *
 * @example
 * extractApiKey({ method: 'PATCH', path, query: 'api_key=k', header: () => undefined, body: undefined }) // 'k'
 */
export function extractApiKey(request: MockRequest): string | undefined {
  const header = request.header('x-api-key')?.trim()
  if (header) return header
  const authorization = request.header('authorization')?.trim()
  const bearer = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1]
  if (bearer) return bearer
  return readQueryApiKey(request.query)
}
