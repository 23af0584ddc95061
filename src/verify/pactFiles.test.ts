import { expect, it } from 'vitest'
import { formatInteractionList, interactionMarker, preparePact } from './pactFiles.js'
import type { PlannedInteraction } from './pactFiles.js'

const pact = {
  consumer: { name: 'web' },
  provider: { name: 'getraze-external-api' },
  metadata: { pactSpecification: { version: '4.0' } },
  interactions: [
    { description: 'moves to won', providerStates: [{ name: 'an opportunity exists', params: { id: 'opp_1' } }], request: { method: 'PATCH', path: '/a', generators: { path: {} } } },
    { description: 'without a key', request: { method: 'PATCH', path: '/b' } },
    { description: 'with an expired key', providerStates: [{ name: 'an API key has expired', params: { key: 'k' } }, { name: 'an opportunity exists' }] },
  ],
}

it('marks every state with its interaction index, keeping the pact otherwise as it was', () => {
  const planned: PlannedInteraction[] = []
  const prepared = preparePact(pact, 'a.json', {}, planned)
  expect(prepared.metadata).toEqual(pact.metadata)
  expect(prepared.interactions!.map((interaction) => interaction.providerStates)).toEqual([
    [{ name: 'an opportunity exists', params: { id: 'opp_1', [interactionMarker]: '0' } }],
    [],
    [
      { name: 'an API key has expired', params: { key: 'k', [interactionMarker]: '2' } },
      { name: 'an opportunity exists', params: { [interactionMarker]: '2' } },
    ],
  ])
  expect(planned.map(({ index, description, pathFromState }) => ({ index, description, pathFromState }))).toEqual([
    { index: 0, description: 'moves to won', pathFromState: true },
    { index: 1, description: 'without a key', pathFromState: false },
    { index: 2, description: 'with an expired key', pathFromState: false },
  ])
  // The caller's pact is not changed.
  expect(pact.interactions[0]!.providerStates).toEqual([{ name: 'an opportunity exists', params: { id: 'opp_1' } }])
})

it('keeps the interactions --only and --state select, numbering on across pacts', () => {
  const planned: PlannedInteraction[] = []
  preparePact(pact, 'a.json', { only: 'KEY' }, planned)
  const second = preparePact(pact, 'b.json', { state: 'an opportunity exists' }, planned)
  expect(planned.map((entry) => `${entry.index} ${entry.source} ${entry.description}`)).toEqual([
    '0 a.json without a key',
    '1 a.json with an expired key',
    '2 b.json moves to won',
    '3 b.json with an expired key',
  ])
  expect(second.interactions!.map((interaction) => interaction.description)).toEqual(['moves to won', 'with an expired key'])
})

it('lists interactions by pact with their states and params', () => {
  const planned: PlannedInteraction[] = []
  preparePact(pact, 'a.json', { only: 'won' }, planned)
  expect(formatInteractionList(planned)).toBe(
    ['a.json (consumer web)', '  moves to won', '      given an opportunity exists {"id":"opp_1"}', '1 interaction'].join('\n'),
  )
})
