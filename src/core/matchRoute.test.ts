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
