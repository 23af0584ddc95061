import type { AccountInput, ApiKeyInput, FixtureFile, OpportunityInput } from '../../src/contract/index.js'

/**
 * Builders for fixture records. Every call returns a new object, so a test can change what it
 * gets without touching another test's data. Defaults belong to `acc_demo`, the main account of
 * `fixtures/default.json`, so built records can be added to the default store as they are.
 */

/** An account. */
export function buildAccount(overrides: Partial<AccountInput> = {}): AccountInput {
  return { id: 'acc_demo', name: 'Demo Company', ...overrides }
}

/** An API key with `opportunities:write`, a fresh hourly allowance and no expiry. */
export function buildApiKey(overrides: Partial<ApiKeyInput> = {}): ApiKeyInput {
  return {
    key: 'gr_test_built',
    account: 'acc_demo',
    permissions: ['opportunities:write'],
    rateLimit: 1000,
    ...overrides,
  }
}

/** An opportunity with every documented field set, in the `new` status. */
export function buildOpportunity(overrides: Partial<OpportunityInput> = {}): OpportunityInput {
  return {
    id: 'opp_built',
    account: 'acc_demo',
    name: 'Carla Mendes',
    email: 'carla@example.com',
    phone: null,
    company: 'Mendes & Filhos',
    position: 'CEO',
    status: 'new',
    source: 'linkedin',
    deal_value: 5000,
    deal_currency: 'BRL',
    linkedin_url: null,
    notes: null,
    campaign: { id: 'camp_built', name: 'Built campaign' },
    responsible_user: { id: 'usr_built', name: 'Built User' },
    won_at: null,
    lost_at: null,
    created_at: '2024-01-10T09:00:00Z',
    updated_at: '2024-01-20T14:30:00Z',
    ...overrides,
  }
}

/** A fixture file; with no argument, one account, one key and one opportunity that fit together. */
export function buildFixtureFile(overrides: Partial<FixtureFile> = {}): FixtureFile {
  return {
    accounts: [buildAccount()],
    apiKeys: [buildApiKey()],
    opportunities: [buildOpportunity()],
    ...overrides,
  }
}
