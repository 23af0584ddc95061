import { Collection } from '@msw/data'
import type { StandardSchemaV1 } from '@standard-schema/spec'
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

/**
 * Set just around `Collection.create` calls for records `parseFixtures` has already validated.
 * `create` calls the schema synchronously, so the flag is read by that call and no other.
 * (A mark on the record itself would have to be deleted afterwards, and `delete` turns every
 * stored record into a slow dictionary-mode object: +140 MB at 100,000 records, measured.)
 */
let trustNextValidation = false

/**
 * The collection's schema, except that the call `createTrusted` makes skips the second zod run:
 * `Collection.create` validates again what `parseFixtures` just did (about 0.6 s at 100,000
 * records). Every other call, such as a user's `update`, is validated in full.
 */
function trustValidated<S extends StandardSchemaV1>(schema: S): S {
  const standard = schema['~standard']
  return {
    '~standard': {
      ...standard,
      validate: (value: unknown) => {
        if (!trustNextValidation) return standard.validate(value)
        trustNextValidation = false
        return { value }
      },
    },
  } as S
}

/** Stores a record `parseFixtures` validated, without validating it again. */
function createTrusted(collection: { create(record: unknown): Promise<unknown> }, record: unknown): Promise<unknown> {
  trustNextValidation = true
  try {
    return collection.create(record)
  } finally {
    trustNextValidation = false
  }
}

function createCollections() {
  return {
    accounts: new Collection({ schema: trustValidated(accountSchema) }),
    apiKeys: new Collection({ schema: trustValidated(apiKeySchema) }),
    opportunities: new Collection({ schema: trustValidated(opportunitySchema) }),
  }
}

type Collections = ReturnType<typeof createCollections>

/**
 * Records to copy into a collection: the generation's base records, each stored as the index has
 * it by then (a request may have changed its copy), or skipped when the index has none.
 */
type Pending = Array<[collection: { create(record: unknown): Promise<unknown> }, records: readonly unknown[], current: (record: unknown) => unknown]>

interface Generation {
  collections: Collections
  apiKeysByKey: CollectionIndex<ApiKeyRecord>
  opportunitiesById: CollectionIndex<Opportunity>
  /** Records to copy into the collections. */
  pending: Pending
  /** The copying, once something needed the collections. */
  filling?: Promise<void>
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
  /**
   * The record with this id in a collection, in any account: what endpoints name by `:id` read
   * through their resource's `collection`.
   */
  findRecord(collection: 'opportunities', id: string): Opportunity | undefined
  /** Validates and adds (or replaces, by `id`) an account. */
  createAccount(input: AccountInput): Promise<Account>
  /** Validates and adds (or replaces, by `key`) an API key. Its account must exist. */
  createApiKey(input: ApiKeyInput): Promise<ApiKeyRecord>
  /** Validates and adds (or replaces, by `id`) an opportunity. Its account must exist. */
  createOpportunity(input: OpportunityInput): Promise<Opportunity>
  /**
   * Replaces everything with the given fixtures, at once: from the call on, lookups
   * (`findOpportunity`, `findApiKey`, hence requests) see exactly the new data. The `@msw/data`
   * collections are filled on first use (100,000 records take seconds, and a server that only
   * answers requests never needs them): awaiting the result fills them, as does `filled()`.
   * The fixtures are never changed: lookups copy a record the first time, so seeding the same
   * set again restores it at once, whatever requests did (`reset()`). Do not change them either.
   */
  seed(fixtures: FixtureSet): PromiseLike<void>
  /**
   * Fills the collections if that has not started, and settles when they hold every record.
   * Reading a collection property starts the filling too; await this before querying them.
   */
  filled(): Promise<void>
}

/** A fixture set's records by id (API keys by key): the base every generation seeded from it shares. */
interface Base {
  apiKeys: ReadonlyMap<string, ApiKeyRecord>
  opportunities: ReadonlyMap<string, Opportunity>
}

/**
 * Bases by the fixture set they were built from, so seeding the same set again (`reset()`) reuses
 * them: building the maps took 0.8 s at 1,000,000 records, and the records are never changed.
 */
const bases = new WeakMap<FixtureSet, Base>()

function baseOf(fixtures: FixtureSet): Base {
  let base = bases.get(fixtures)
  if (!base) {
    const apiKeys = new Map<string, ApiKeyRecord>()
    const opportunities = new Map<string, Opportunity>()
    for (const record of fixtures.apiKeys) apiKeys.set(record.key, record)
    for (const record of fixtures.opportunities) opportunities.set(record.id, record)
    base = { apiKeys, opportunities }
    bases.set(fixtures, base)
  }
  return base
}

function createGeneration(fixtures: FixtureSet): Generation {
  const collections = createCollections()
  const base = baseOf(fixtures)
  const apiKeysByKey = createIndex<typeof apiKeySchema, ApiKeyRecord>(collections.apiKeys, 'key', base.apiKeys)
  const opportunitiesById = createIndex<typeof opportunitySchema, Opportunity>(collections.opportunities, 'id', base.opportunities)
  return {
    collections,
    apiKeysByKey,
    opportunitiesById,
    // The fixture arrays themselves, never changed: a generation copies from them, a reset reuses them.
    pending: [
      [collections.accounts, fixtures.accounts, (record) => record],
      [collections.apiKeys, fixtures.apiKeys, (record) => apiKeysByKey.peek((record as ApiKeyRecord).key)],
      [collections.opportunities, fixtures.opportunities, (record) => opportunitiesById.peek((record as Opportunity).id)],
    ],
  }
}

const emptyFixtures = (): FixtureSet => ({ accounts: [], apiKeys: [], opportunities: [] })

// Browsers have no setImmediate; a zero timeout yields to the event loop there.
const yieldToEventLoop = () => new Promise<void>((resolve) => (globalThis.setImmediate ?? setTimeout)(resolve))

/**
 * Copies the fixtures into the generation's `@msw/data` collections, yielding to the event loop
 * every 1,000 records so that a server already answering from the indexes stays responsive.
 * Stops when a newer `seed` has replaced the generation.
 *
 * Each record is stored as the index has it at that moment: the base record, or the copy a
 * request already changed. The `create` hook then points the index to the stored record.
 */
async function fillCollections(pending: Pending, isCurrent: () => boolean) {
  let sinceYield = 0
  for (const [collection, records, current] of pending) {
    for (let index = 0; index < records.length; index++) {
      if (++sinceYield === 1000) {
        sinceYield = 0
        await yieldToEventLoop()
      }
      if (!isCurrent()) return
      const record = current(records[index])
      if (record !== undefined) await createTrusted(collection, record)
    }
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
  let current = createGeneration(emptyFixtures())

  const findAccount = (id: string) => current.collections.accounts.findFirst((q) => q.where({ id }))

  function filled(): Promise<void> {
    const generation = current
    generation.filling ??= fillCollections(generation.pending, () => current === generation)
    return generation.filling
  }

  /** The current collections, with their filling started. */
  function collections(): Collections {
    void filled()
    return current.collections
  }

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
      return collections().accounts
    },
    get apiKeys() {
      return collections().apiKeys
    },
    get opportunities() {
      return collections().opportunities
    },
    findApiKey: (key) => current.apiKeysByKey.get(key),
    findOpportunity: (id) => current.opportunitiesById.get(id),
    findRecord: (_collection, id) => current.opportunitiesById.get(id),
    async createAccount(input) {
      await filled()
      const account = parseOne('accounts', input, 'createAccount')
      return replace<Account>(current.collections.accounts, findAccount(account.id), account)
    },
    async createApiKey(input) {
      await filled()
      const apiKey = parseOne('apiKeys', input, 'createApiKey')
      return replace<ApiKeyRecord>(current.collections.apiKeys, current.apiKeysByKey.get(apiKey.key), apiKey)
    },
    async createOpportunity(input) {
      await filled()
      const opportunity = parseOne('opportunities', input, 'createOpportunity')
      const existing = current.opportunitiesById.get(opportunity.id)
      return replace<Opportunity>(current.collections.opportunities, existing, opportunity)
    },
    seed(fixtures) {
      current = createGeneration(fixtures)
      // A thenable rather than a promise: awaiting it fills the collections; not awaiting it
      // (the standalone server) leaves them for later.
      return { then: (onFulfilled, onRejected) => filled().then(onFulfilled, onRejected) }
    },
    filled,
  }
}
