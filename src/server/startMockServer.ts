import { createMockServer } from './createMockServer.js'
import type { MockServerOptions, RunningMockServer } from './createMockServer.js'

/**
 * Starts the standalone GetRaze mock: the same behaviour as the msw handlers, over real HTTP.
 *
 * @example
 * import { startMockServer } from 'getraze-mock/server'
 *
 * const { url, close } = await startMockServer({ port: 0, now: '2024-01-25T10:00:00Z' })
 * await fetch(`${url}/external/v1/opportunities/opp_abc123def456/stage`, {
 *   method: 'PATCH',
 *   headers: { 'X-API-Key': 'YOUR_API_KEY', 'Content-Type': 'application/json' },
 *   body: JSON.stringify({ status: 'won' }),
 * })
 * await close()
 * @see createGetRazeMock for in-process mocking with msw
 * @see docs/getraze-api.md (shipped in the package) for the documented API behaviour it follows
 */
export async function startMockServer(options: MockServerOptions = {}): Promise<RunningMockServer> {
  return createMockServer(options).listen()
}
