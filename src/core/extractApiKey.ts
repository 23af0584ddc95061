import type { MockRequest } from './MockRequest.js'

/**
 * Finds the key in `X-API-Key`, else `Authorization: Bearer`, else `?api_key=`, as the docs rank
 * them. The same rule as the pipeline's (createMockCore.ts keeps a private copy on the hot path;
 * test control reads keys through this one).
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
  if (request.query.includes('api_key=')) return new URLSearchParams(request.query).get('api_key')?.trim() || undefined
  return undefined
}
