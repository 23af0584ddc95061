import { Collection } from '@msw/data'
import { accountSchema, apiKeySchema, opportunitySchema } from '../contract/schemas.js'
import type {
  Account,
  AccountInput,
  ApiKeyInput,
  ApiKeyRecord,
  FixtureSet,
  Opportunity,
  OpportunityInput,
} from '../contract/schemas.js'
import { createIndex } from './createIndex.js'
import type { CollectionIndex } from './createIndex.js'
import { parseFixtures } from './parseFixtures.js'

function createCollections() {
  return {
    accounts: new Collection({ schema: accountSchema }),
    apiKeys: new Collection({ schema: apiKeySchema }),
    opportunities: new Collection({ schema: opportunitySchema }),
  }
}

type Collections = ReturnType<typeof createCollections>

interface Generation {
  collections: Collections
  apiKeysByKey: CollectionIndex<ApiKeyRecord>
  opportunitiesById: CollectionIndex<Opportunity>
}

/**
 * The mock's in-memory data: `@msw/data` collections of accounts, API keys and opportunities,
 * with O(1) indexes for the lookups the request path makes.
 */
export interface MockStore {
  /** The `@msw/data` collection of accounts, for queries (`findMany`, `count`...). */
  readonly accounts: Collections['accounts']
  /** The `@msw/data` collection of API keys. */
  readonly apiKeys: Collections['apiKeys']
  /** The `@msw/data` collection of opportunities. */
  readonly opportunities: Collections['opportunities']
  /** The key record for a raw API key, revoked or not. */
  findApiKey(key: string): ApiKeyRecord | undefined
  /** The opportunity with this id, in any account. */
  findOpportunity(id: string): Opportunity | undefined
  /** Validates and adds (or replaces, by `id`) an account. */
  createAccount(input: AccountInput): Promise<Account>
  /** Validates and adds (or replaces, by `key`) an API key. Its account must exist. */
  createApiKey(input: ApiKeyInput): Promise<ApiKeyRecord>
  /** Validates and adds (or replaces, by `id`) an opportunity. Its account must exist. */
  createOpportunity(input: OpportunityInput): Promise<Opportunity>
  /**
   * Replaces everything with the given fixtures. The new data is built aside and swapped in at
   * once, so requests never see a half-seeded store.
   */
  seed(fixtures: FixtureSet): Promise<void>
}

async function buildGeneration(fixtures: FixtureSet): Promise<Generation> {
  const collections = createCollections()
  // Sequential rather than Promise.all: same speed, without 100,000 pending promises at once.
  for (const account of fixtures.accounts) await collections.accounts.create(account)
  for (const apiKey of fixtures.apiKeys) await collections.apiKeys.create(apiKey)
  for (const opportunity of fixtures.opportunities) await collections.opportunities.create(opportunity)
  return indexGeneration(collections)
}

function emptyGeneration(): Generation {
  return indexGeneration(createCollections())
}

function indexGeneration(collections: Collections): Generation {
  return {
    collections,
    apiKeysByKey: createIndex<typeof apiKeySchema, ApiKeyRecord>(collections.apiKeys, 'key'),
    opportunitiesById: createIndex<typeof opportunitySchema, Opportunity>(collections.opportunities, 'id'),
  }
}

/**
 * Creates an empty store; `seed` fills it with fixtures validated by `parseFixtures`.
 *
 * @example
 * const store = createStore()
 * await store.seed(parseFixtures([{ source: 'inline', data }]))
 * store.findOpportunity('opp_abc123def456')?.status
 */
export function createStore(): MockStore {
  let current = emptyGeneration()

  const findAccount = (id: string) => current.collections.accounts.findFirst((q) => q.where({ id }))

  /** Validates one record with the fixture rules, so its errors read like those for files. */
  function parseOne<S extends 'accounts' | 'apiKeys' | 'opportunities'>(section: S, input: unknown, method: string): FixtureSet[S][number] {
    return parseFixtures([{ source: `${method}()`, data: { [section]: [input] } }], {
      // Spelled out: lower-casing the method name gave "Failed to create apikey: ...".
      action: { accounts: 'create an account', apiKeys: 'create an API key', opportunities: 'create an opportunity' }[section],
      accountExists: (id) => findAccount(id) !== undefined,
    })[section][0]!
  }

  async function replace<T>(
    collection: { delete(record: never): unknown; create(input: never): Promise<unknown> },
    existing: unknown,
    record: unknown,
  ): Promise<T> {
    // Called only after the new record validated, so a bad input leaves the store unchanged.
    if (existing) collection.delete(existing as never)
    return (await collection.create(record as never)) as T
  }

  return {
    get accounts() {
      return current.collections.accounts
    },
    get apiKeys() {
      return current.collections.apiKeys
    },
    get opportunities() {
      return current.collections.opportunities
    },
    findApiKey: (key) => current.apiKeysByKey.get(key),
    findOpportunity: (id) => current.opportunitiesById.get(id),
    async createAccount(input) {
      const account = parseOne('accounts', input, 'createAccount')
      return replace<Account>(current.collections.accounts, findAccount(account.id), account)
    },
    async createApiKey(input) {
      const apiKey = parseOne('apiKeys', input, 'createApiKey')
      return replace<ApiKeyRecord>(current.collections.apiKeys, current.apiKeysByKey.get(apiKey.key), apiKey)
    },
    async createOpportunity(input) {
      const opportunity = parseOne('opportunities', input, 'createOpportunity')
      const existing = current.opportunitiesById.get(opportunity.id)
      return replace<Opportunity>(current.collections.opportunities, existing, opportunity)
    },
    async seed(fixtures) {
      current = await buildGeneration(fixtures)
    },
  }
}
