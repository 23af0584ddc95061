import { afterEach, expect, it } from 'vitest'
import { createMockRuntime } from '../runtime/createMockRuntime.js'
import { clearProviderStates, providerStateAccount, providerStateFixtures, seedProviderState } from './seedProviderState.js'

const runtime = createMockRuntime({ fixtures: [providerStateFixtures], now: '2024-01-25T10:00:00Z' })
afterEach(() => clearProviderStates(runtime))

it('creates an opportunity with the id its params name and hands the id back', async () => {
  await runtime.ready
  expect(await seedProviderState(runtime, 'an opportunity exists', { id: 'opp_given', name: 'Ann', status: 'won' })).toEqual({ id: 'opp_given' })
  expect(runtime.store.findOpportunity('opp_given')).toMatchObject({ account: providerStateAccount.id, name: 'Ann', status: 'won' })
})

it('generates an opportunity id when the params name none', async () => {
  const { id } = await seedProviderState(runtime, 'an opportunity exists', {})
  expect(id).toMatch(/^opp_[0-9a-f]{12}$/)
  expect(runtime.store.findOpportunity(String(id))?.name).toBe('John Doe')
})

it('puts keys in the same account as opportunities, so states combine', async () => {
  await seedProviderState(runtime, 'an API key has used its hourly rate limit', { key: 'k1' })
  await seedProviderState(runtime, 'an API key has expired', { key: 'k2' })
  expect(runtime.store.findApiKey('k1')).toMatchObject({ account: 'acc_pact', rateLimit: 100, used: 100 })
  expect(runtime.store.findApiKey('k2')).toMatchObject({ account: 'acc_pact', expiresAt: '2024-01-24T10:00:00Z' })
})

it('empties the store again on clear', async () => {
  await seedProviderState(runtime, 'an opportunity exists', { id: 'opp_x' })
  await clearProviderStates(runtime)
  expect(runtime.store.findOpportunity('opp_x')).toBeUndefined()
})

it('rejects an unknown state, naming it and the known ones', async () => {
  await expect(seedProviderState(runtime, 'a deal exists', {})).rejects.toThrow(
    'Failed to set up provider state "a deal exists": getraze-mock has no handler for it. Use one of: "an opportunity exists", "no opportunity exists", "a contact exists", "no contact exists", "a user exists", "an API key exists", "an API key has been revoked", "an API key has expired", "an API key has used its hourly rate limit".',
  )
})

it('rejects params that do not fit the state', async () => {
  await expect(seedProviderState(runtime, 'an API key exists', { key: 'k', permissions: ['deals:write'] })).rejects.toThrow(
    /^Failed to set up provider state "an API key exists": param "permissions.0" must be one of/,
  )
})

it('gives a won opportunity its won_at and a lost one its lost_at, as read endpoints show them', async () => {
  await seedProviderState(runtime, 'an opportunity exists', { id: 'opp_won', status: 'won' })
  await seedProviderState(runtime, 'an opportunity exists', { id: 'opp_lost', status: 'lost' })
  await seedProviderState(runtime, 'an opportunity exists', { id: 'opp_open', status: 'proposal' })
  expect(runtime.store.findOpportunity('opp_won')).toMatchObject({ won_at: '2024-01-25T10:00:00Z', lost_at: null })
  expect(runtime.store.findOpportunity('opp_lost')).toMatchObject({ won_at: null, lost_at: '2024-01-25T10:00:00Z' })
  expect(runtime.store.findOpportunity('opp_open')).toMatchObject({ won_at: null, lost_at: null })
})

it('creates the whole record a read endpoint answers when the params give every documented field', async () => {
  const campaign = { id: 'camp_xyz789', name: 'Q1 Outreach' }
  await seedProviderState(runtime, 'an opportunity exists', { id: 'opp_full', name: 'John Doe', status: 'qualified', email: 'john@example.com', deal_value: 50000, campaign, notes: null })
  expect(runtime.store.findOpportunity('opp_full')).toMatchObject({ email: 'john@example.com', deal_value: 50000, campaign, notes: null, phone: null })
})

it.each([
  ['a contact exists', { id: 'cnt_alone' }],
  ['a user exists', { id: 'usr_alone' }],
  ['an opportunity exists', { id: 'opp_alone' }],
] as const)('sets up "%s" alone on a mock started from other fixtures, creating the states\' account', async (state, params) => {
  // serve answers states on its admin API from its own fixtures, which have no acc_pact; an
  // interaction without a key state ("without an API key") sets up only its record's state.
  const served = createMockRuntime({ now: '2024-01-25T10:00:00Z' })
  await served.ready
  expect(await seedProviderState(served, state, params)).toEqual({ id: params.id })
  expect(served.store.accounts.findFirst((query) => query.where({ id: providerStateAccount.id }))).toBeDefined()
})
