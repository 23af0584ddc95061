import fc from 'fast-check'
import { expect, it } from 'vitest'
import type { EndpointContract } from '../contract/EndpointContract.js'
import { updateOpportunityStageContract } from '../contract/updateOpportunityStageContract.js'
import { compileRoutes } from './matchRoute.js'

const matchRoute = compileRoutes([updateOpportunityStageContract])

it('matches the stage endpoint and returns its id param', () => {
  expect(matchRoute('PATCH', '/external/v1/opportunities/opp_abc123def456/stage')).toEqual({
    kind: 'endpoint',
    endpoint: updateOpportunityStageContract,
    params: { id: 'opp_abc123def456' },
  })
})

it('percent-decodes path params', () => {
  const match = matchRoute('PATCH', '/external/v1/opportunities/opp%20a%2Fb/stage')

  expect(match).toMatchObject({ kind: 'endpoint', params: { id: 'opp a/b' } })
})

it('treats a param that is not valid percent-encoding as an unknown path', () => {
  expect(matchRoute('PATCH', '/external/v1/opportunities/opp%E0/stage')).toEqual({ kind: 'not-found' })
})

it('reports the allowed methods for a known path requested with another method', () => {
  expect(matchRoute('GET', '/external/v1/opportunities/opp_abc123def456/stage')).toEqual({ kind: 'method-not-allowed', allow: ['PATCH'] })
})

it('matches methods case-sensitively, as HTTP does', () => {
  expect(matchRoute('patch', '/external/v1/opportunities/opp_1/stage')).toEqual({ kind: 'method-not-allowed', allow: ['PATCH'] })
})

it.each([
  '/external/v1/opportunities//stage',
  '/external/v1/opportunities/opp_1/stage/',
  '/external/v1/opportunities/opp_1/stage/extra',
  '/external/v1/opportunities/opp_1',
  '/external/v2/opportunities/opp_1/stage',
  '/opportunities/opp_1/stage',
  '/',
])('returns not-found for %s', (path) => {
  expect(matchRoute('PATCH', path)).toEqual({ kind: 'not-found' })
})

it('lists every method served on a path, in the order the endpoints are given', () => {
  const readStage: EndpointContract = { ...updateOpportunityStageContract, operationId: 'readStage', method: 'GET' }
  const match = compileRoutes([updateOpportunityStageContract, readStage])

  expect(match('DELETE', '/external/v1/opportunities/opp_1/stage')).toEqual({ kind: 'method-not-allowed', allow: ['PATCH', 'GET'] })
  expect(match('GET', '/external/v1/opportunities/opp_1/stage')).toMatchObject({ kind: 'endpoint', endpoint: readStage })
})

/** The router as it was before it stopped splitting paths: the reference for the property below. */
function splittingRouter(endpoints: readonly EndpointContract[]) {
  const routes = endpoints.map((endpoint) => ({ endpoint, segments: endpoint.path.split('/') }))
  return (method: string, path: string) => {
    const segments = path.split('/')
    const allow: string[] = []
    for (const route of routes) {
      if (segments.length !== route.segments.length) continue
      const params: Record<string, string> = {}
      const matched = route.segments.every((part, i) => {
        const actual = segments[i]!
        if (!part.startsWith(':')) return part === actual
        if (actual === '') return false
        try {
          params[part.slice(1)] = decodeURIComponent(actual)
          return true
        } catch {
          return false
        }
      })
      if (!matched) continue
      if (route.endpoint.method === method) return { kind: 'endpoint', endpoint: route.endpoint, params }
      allow.push(route.endpoint.method)
    }
    return allow.length > 0 ? { kind: 'method-not-allowed', allow } : { kind: 'not-found' }
  }
}

it('routes any path as splitting it at every slash would (seed 20241125)', () => {
  const templates: EndpointContract[] = [
    updateOpportunityStageContract,
    { ...updateOpportunityStageContract, operationId: 'read', method: 'GET', path: '/external/v1/opportunities/:id' },
    { ...updateOpportunityStageContract, operationId: 'pair', method: 'PUT', path: '/external/:version/:id/stage/' },
    { ...updateOpportunityStageContract, operationId: 'root', method: 'GET', path: '/:id' },
  ]
  const segment = fc.oneof(
    fc.constantFrom('', 'external', 'v1', 'opportunities', 'stage', 'opp_1', '%41', '%E0', '%2F', 'stag', 'stagee', ':id'),
    fc.string({ maxLength: 4 }),
  )
  const path = fc.array(segment, { maxLength: 7 }).map((segments) => segments.join('/'))
  const routed = compileRoutes(templates)
  const reference = splittingRouter(templates)

  fc.assert(
    fc.property(fc.constantFrom('GET', 'PATCH', 'PUT', 'DELETE'), fc.oneof(path, path.map((rest) => `/${rest}`)), (method, candidate) => {
      expect(routed(method, candidate)).toEqual(reference(method, candidate))
    }),
    { numRuns: 5000, seed: 20241125 },
  )
})

it('answers a path it has routed before with the same frozen match', () => {
  const routed = compileRoutes([updateOpportunityStageContract])
  const first = routed('PATCH', '/external/v1/opportunities/opp_1/stage')
  const again = routed('PATCH', '/external/v1/opportunities/opp_1/stage')

  expect(again).toBe(first)
  expect(Object.isFrozen(first)).toBe(true)
  expect(first.kind === 'endpoint' && Object.isFrozen(first.params)).toBe(true)
  expect(routed('GET', '/external/v1/opportunities/opp_1/stage')).toEqual({ kind: 'method-not-allowed', allow: ['PATCH'] })
})

it('still routes every path right after more paths than it keeps', () => {
  const routed = compileRoutes([updateOpportunityStageContract])
  const ids = Array.from({ length: 1500 }, (_, index) => `opp_${index}`)

  for (const round of [0, 1]) {
    for (const id of ids) {
      expect(routed('PATCH', `/external/v1/opportunities/${id}/stage`), `round ${round}`).toEqual({
        kind: 'endpoint',
        endpoint: updateOpportunityStageContract,
        params: { id },
      })
    }
  }
})

it('routes a path longer than it keeps afresh each time, with the same answer', () => {
  const routed = compileRoutes([updateOpportunityStageContract])
  const path = `/external/v1/opportunities/opp_${'x'.repeat(300)}/stage`
  const first = routed('PATCH', path)

  expect(routed('PATCH', path)).not.toBe(first)
  expect(routed('PATCH', path)).toEqual(first)
  expect(first).toMatchObject({ kind: 'endpoint', params: { id: `opp_${'x'.repeat(300)}` } })
})
