import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { reviewInteraction, reviewPact } from './reviewPact.js'

type Interaction = Record<string, any>
const committed = JSON.parse(readFileSync(join(import.meta.dirname, '../../pacts/getraze-stage-client-getraze-external-api.json'), 'utf8')) as {
  interactions: Interaction[]
}

/** A fresh copy of one committed interaction, to break in one way per test. */
function interaction(description: string): Interaction {
  const found = committed.interactions.find((entry) => entry.description === description)
  if (!found) throw new Error(`no interaction "${description}"`)
  return structuredClone(found)
}

const won = () => interaction('a request to move an opportunity to won')
const paths = (findings: Array<{ path: string }>) => findings.map((finding) => finding.path)

it('has nothing to say about the committed pact', () => {
  expect(reviewPact(committed)).toEqual([])
})

it('flags a literal id in the path when a state provides the id', () => {
  const literal = won()
  delete literal.request.generators
  expect(reviewInteraction(literal)).toEqual([
    {
      path: 'request path',
      expected: 'the id the provider state answers with (fromProviderState)',
      actual: 'opp_abc123def456',
      message: 'literal id where the value comes from a state; fails against any provider that generates ids',
      category: 'pact-review',
    },
  ])
})

it('flags a literal data.id in the response when a state provides the id', () => {
  const literal = won()
  delete literal.response.generators
  delete literal.response.matchingRules.body['$.data.id']
  expect(reviewInteraction(literal)).toContainEqual(
    expect.objectContaining({ path: '$.data.id', actual: 'opp_abc123def456', message: expect.stringContaining('literal id') }),
  )
})

it('flags exact matches on generated timestamps and rate-limit headers', () => {
  const exact = won()
  delete exact.response.matchingRules.body['$.data.won_at']
  delete exact.response.matchingRules.body['$.data.updated_at']
  delete exact.response.matchingRules.header['X-RateLimit-Reset']
  const findings = reviewInteraction(exact)
  expect(paths(findings)).toEqual(['$.data.updated_at', '$.data.won_at', 'header x-ratelimit-reset'])
  expect(findings[0]).toMatchObject({ actual: '2024-01-25T10:00:00Z', message: 'exact match on a generated value' })
})

it('accepts matching rules written in bracket notation', () => {
  const bracketed = won()
  const rules = bracketed.response.matchingRules.body
  rules["$['data']['won_at']"] = rules['$.data.won_at']
  delete rules['$.data.won_at']
  expect(reviewInteraction(bracketed)).toEqual([])
})

it('flags an exact retry_after and Retry-After on a 429, but not "0 remaining"', () => {
  const limited = interaction('a request after the API key has used its hourly rate limit')
  delete limited.response.matchingRules.body['$.error.retry_after']
  delete limited.response.matchingRules.header['Retry-After']
  expect(paths(reviewInteraction(limited))).toEqual(['$.error.retry_after', 'header retry-after'])
})

it('flags states and params the documented state set does not define, and params a state rejects', () => {
  const odd = won()
  odd.providerStates = [
    { name: 'an API key exists', params: { key: 'k', permissions: ['opportunities:write'], plan: 'pro' } },
    { name: 'an opportunity exists', params: { id: 'opp_1', status: 'closed' } },
    { name: 'the deal is hot', params: {} },
  ]
  const findings = reviewInteraction(odd)
  expect(paths(findings)).toEqual(['state "an API key exists" param "plan"', 'state "an opportunity exists" param "status"', 'state "the deal is hot"'])
  expect(findings[0]!.message).toBe('undefined param; providers ignore it')
  expect(findings[1]).toMatchObject({ actual: 'closed', message: 'param the state does not accept' })
  expect(findings[2]!.message).toMatch(/^undefined state; providers implement only "an opportunity exists", /)
})

it('flags a success expected without a state that creates the opportunity', () => {
  const stateless = won()
  stateless.providerStates = [stateless.providerStates[0]]
  delete stateless.request.generators
  delete stateless.response.generators
  const findings = reviewInteraction(stateless)
  expect(findings).toContainEqual(expect.objectContaining({ path: 'states', message: 'expects opportunity "opp_abc123def456" to exist without a state creating it' }))
  // The answer's id is still matched by type: nothing exact to flag there.
  expect(paths(findings)).not.toContain('$.data.id')
})

it("flags the answer's id of the record the path names when it is matched by type instead of injected from its state", () => {
  const byType = won()
  delete byType.response.generators
  expect(byType.response.matchingRules.body['$.data.id']).toBeDefined()
  expect(reviewInteraction(byType)).toContainEqual(
    expect.objectContaining({ path: '$.data.id', message: "id matched by type where the value comes from a state; any id passes, not only the record's the path names" }),
  )
})

it('flags an exact data.id that no state gives and no rule matches by type', () => {
  const exact = won()
  exact.providerStates = [exact.providerStates[0]]
  delete exact.request.generators
  delete exact.response.generators
  delete exact.response.matchingRules.body['$.data.id']
  expect(reviewInteraction(exact)).toContainEqual(expect.objectContaining({ path: '$.data.id', message: 'exact match on a generated value' }))
})

it('flags expectations of fields the docs do not have, details included', () => {
  const extra = won()
  extra.response.body.content.data.deal_value = 50000
  const invalid = interaction('a request with a status that is not valid')
  invalid.response.body.content.error.details = { field: 'status' }
  expect(reviewInteraction(extra)).toEqual([expect.objectContaining({ path: '$.data.deal_value', actual: 50000, message: 'expects a field the docs do not have' })])
  expect(reviewInteraction(invalid)).toEqual([
    expect.objectContaining({ path: '$.error.details.field', message: 'expects a field the docs do not have; providers may send other details' }),
  ])
})

it('flags undocumented error codes and documented codes on another status', () => {
  const renamed = interaction('a request for an opportunity that does not exist')
  renamed.response.body.content.error.code = 'OPPORTUNITY_NOT_FOUND'
  const moved = interaction('a request for an opportunity that does not exist')
  moved.response.status = 410
  expect(reviewInteraction(renamed)).toEqual([expect.objectContaining({ path: '$.error.code', message: 'undocumented error code' })])
  expect(reviewInteraction(moved)).toEqual([expect.objectContaining({ path: 'status', expected: 404, actual: 410 })])
})

it('flags a request to an endpoint the docs do not have', () => {
  const other = won()
  other.request.path = '/external/v1/opportunities/opp_1'
  expect(reviewInteraction(other)).toEqual([expect.objectContaining({ path: 'request', actual: 'PATCH /external/v1/opportunities/opp_1' })])
})

it('names the interaction of each finding in a whole-pact review', () => {
  const literal = won()
  delete literal.request.generators
  expect(reviewPact({ interactions: [literal, interaction('a request without an API key')] }).map((finding) => finding.description)).toEqual([
    'a request to move an opportunity to won',
  ])
})
