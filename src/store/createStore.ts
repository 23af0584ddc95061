import { Collection } from '@msw/data'
import type { StandardSchemaV1 } from '@standard-schema/spec'
import { contactResource, opportunityResource } from '../contract/resources.js'
import type { RecordCollection, ResourceDefinition } from '../contract/resources.js'
import { accountSchema, apiKeySchema, campaignSchema, contactSchema, opportunitySchema, userSchema } from '../contract/schemas.js'
import type {
  Account,
  AccountInput,
  ApiKeyInput,
  ApiKeyRecord,
  Campaign,
  CampaignInput,
  Contact,
  ContactInput,
  FixtureSet,
  Opportunity,
  OpportunityInput,
  User,
  UserInput,
} from '../contract/schemas.js'
import { createIndex } from './createIndex.js'
import type { CollectionIndex } from './createIndex.js'
import { createListIndex } from './createListIndex.js'
import type { ListIndex, ListQuery, ListResult } from './createListIndex.js'
import { fixtureSections, parseFixtures } from './parseFixtures.js'

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

/** Stores a record that is already valid (parsed fixtures, a record an operation built), without validating it again. */
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
    campaigns: new Collection({ schema: trustValidated(campaignSchema) }),
    users: new Collection({ schema: trustValidated(userSchema) }),
    opportunities: new Collection({ schema: trustValidated(opportunitySchema) }),
    contacts: new Collection({ schema: trustValidated(contactSchema) }),
  }
}

type Collections = ReturnType<typeof createCollections>
type Section = (typeof fixtureSections)[number]
/** What each record collection holds. */
interface RecordTypes {
  opportunities: Opportunity
  contacts: Contact
}
/** What the by-id lookups return, per collection. */
interface LookupTypes extends RecordTypes {
  campaigns: Campaign
  users: User
}
type LookupCollection = keyof LookupTypes

/** Record collections and the resource each lists. */
const listed: Record<RecordCollection, ResourceDefinition> = { opportunities: opportunityResource, contacts: contactResource }

/** A fixture set's records by id (API keys by key): the base every generation seeded from it shares. */
type Base = { apiKeys: ReadonlyMap<string, ApiKeyRecord> } & { [C in LookupCollection]: ReadonlyMap<string, LookupTypes[C]> }

/**
 * Bases by the fixture set they were built from, so seeding the same set again (`reset()`) reuses
 * them: building the maps took 0.8 s at 1,000,000 records, and the records are never changed.
 */
const bases = new WeakMap<FixtureSet, Base>()

function mapBy<T>(records: readonly T[], field: keyof T & string): Map<string, T> {
  const map = new Map<string, T>()
  for (const record of records) map.set(record[field] as string, record)
  return map
}

function baseOf(fixtures: FixtureSet): Base {
  let base = bases.get(fixtures)
  if (!base) {
    base = {
      apiKeys: mapBy(fixtures.apiKeys, 'key'),
      campaigns: mapBy(fixtures.campaigns, 'id'),
      users: mapBy(fixtures.users, 'id'),
      opportunities: mapBy(fixtures.opportunities, 'id'),
      contacts: mapBy(fixtures.contacts, 'id'),
    }
    bases.set(fixtures, base)
  }
  return base
}

interface Generation {
  collections: Collections
  apiKeysByKey: CollectionIndex<ApiKeyRecord>
  byId: { [C in LookupCollection]: CollectionIndex<LookupTypes[C]> }
  lists: { [C in RecordCollection]: ListIndex<RecordTypes[C]> }
  /** Records the store itself added before the filling started, by collection: filled after the fixtures. */
  added: { [C in RecordCollection]: Set<string> }
  /** Ids of creates the store itself makes in the collections (the fill, its own inserts), which the list hooks skip. */
  ownCreates: Map<string, number>
  /** Set while the store itself deletes from a collection. */
  ownDelete: boolean
  /** The copying, once something needed the collections. */
  filling?: Promise<void>
}

/** Options of `MockStore.listRecords`: see `ListQuery`. */
export type ListRecordsQuery = ListQuery
export type { ListResult }

/**
 * The mock's in-memory data: `@msw/data` collections of accounts, API keys, campaigns, users,
 * opportunities and contacts, with O(1) indexes for the lookups the request path makes and list
 * indexes for the list endpoints.
 */
export interface MockStore {
  /** The `@msw/data` collection of accounts, for queries (`findMany`, `count`...). */
  readonly accounts: Collections['accounts']
  /** The `@msw/data` collection of API keys. */
  readonly apiKeys: Collections['apiKeys']
  /** The `@msw/data` collection of campaigns. */
  readonly campaigns: Collections['campaigns']
  /** The `@msw/data` collection of users. */
  readonly users: Collections['users']
  /** The `@msw/data` collection of opportunities. */
  readonly opportunities: Collections['opportunities']
  /** The `@msw/data` collection of contacts. */
  readonly contacts: Collections['contacts']
  /** The key record for a raw API key, revoked or not. */
  findApiKey(key: string): ApiKeyRecord | undefined
  /** The opportunity with this id, in any account. */
  findOpportunity(id: string): Opportunity | undefined
  /** The contact with this id, in any account. */
  findContact(id: string): Contact | undefined
  /**
   * The record with this id in a collection, in any account: what endpoints name by `:id` (and
   * the campaigns and users opportunities refer to) read through their resource's `collection`.
   */
  findRecord<C extends LookupCollection>(collection: C, id: string): LookupTypes[C] | undefined
  /**
   * Adds a record an operation built and validated (a new id), at once: lookups and lists see it
   * from the call on.
   */
  insertRecord<C extends RecordCollection>(collection: C, record: RecordTypes[C]): RecordTypes[C]
  /** Changes fields of a record at once, lists and counts included; `undefined` when there is none. */
  updateRecord<C extends RecordCollection>(collection: C, id: string, changes: Partial<RecordTypes[C]>): RecordTypes[C] | undefined
  /** Removes a record at once and hands it back; `undefined` when there is none. */
  deleteRecord<C extends RecordCollection>(collection: C, id: string): RecordTypes[C] | undefined
  /** One page of an account's records and how many match (see `ListQuery`). */
  listRecords<C extends RecordCollection>(collection: C, account: string, query: ListQuery): ListResult<RecordTypes[C]>
  /** How many of an account's records a list filter value has, e.g. contacts with an e-mail address. */
  countRecords(collection: RecordCollection, account: string, filter: string, value: string): number
  /** Validates and adds (or replaces, by `id`) an account. */
  createAccount(input: AccountInput): Promise<Account>
  /** Validates and adds (or replaces, by `key`) an API key. Its account must exist. */
  createApiKey(input: ApiKeyInput): Promise<ApiKeyRecord>
  /** Validates and adds (or replaces, by `id`) a campaign. Its account must exist. */
  createCampaign(input: CampaignInput): Promise<Campaign>
  /** Validates and adds (or replaces, by `id`) a user. Its account must exist. */
  createUser(input: UserInput): Promise<User>
  /** Validates and adds (or replaces, by `id`) an opportunity. Its account must exist. */
  createOpportunity(input: OpportunityInput): Promise<Opportunity>
  /** Validates and adds (or replaces, by `id`) a contact. Its account must exist. */
  createContact(input: ContactInput): Promise<Contact>
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

function createGeneration(fixtures: FixtureSet): Generation {
  const collections = createCollections()
  const base = baseOf(fixtures)
  const byId = {
    campaigns: createIndex<typeof campaignSchema, Campaign>(collections.campaigns, 'id', base.campaigns),
    users: createIndex<typeof userSchema, User>(collections.users, 'id', base.users),
    opportunities: createIndex<typeof opportunitySchema, Opportunity>(collections.opportunities, 'id', base.opportunities),
    contacts: createIndex<typeof contactSchema, Contact>(collections.contacts, 'id', base.contacts),
  }
  const generation: Generation = {
    collections,
    apiKeysByKey: createIndex<typeof apiKeySchema, ApiKeyRecord>(collections.apiKeys, 'key', base.apiKeys),
    byId,
    lists: {
      opportunities: createListIndex(opportunityResource.listing, { base: base.opportunities, peek: byId.opportunities.peek, ids: byId.opportunities.keys }),
      contacts: createListIndex(contactResource.listing, { base: base.contacts, peek: byId.contacts.peek, ids: byId.contacts.keys }),
    },
    added: { opportunities: new Set(), contacts: new Set() },
    ownCreates: new Map(),
    ownDelete: false,
  }
  for (const collection of Object.keys(listed) as RecordCollection[]) watchAroundTheStore(generation, collection)
  return generation
}

/**
 * Keeps a list index true when records change around the store: a test's
 * `store.opportunities.update(...)`, `createOpportunity`, `clear()`. The account changed is
 * rebuilt on its next list query; the store's own writes and the fill are skipped.
 */
function watchAroundTheStore(generation: Generation, collection: RecordCollection) {
  const list = generation.lists[collection] as ListIndex<unknown>
  const records = generation.collections[collection] as unknown as Collection<StandardSchemaV1>
  records.hooks.on('create', (event) => {
    const record = event.data.record as unknown as { id: string; account: string }
    const own = generation.ownCreates.get(record.id)
    if (own !== undefined) {
      if (own <= 1) generation.ownCreates.delete(record.id)
      else generation.ownCreates.set(record.id, own - 1)
      return
    }
    list.invalidate(record.account)
  })
  records.hooks.on('update', (event) => {
    list.invalidate((event.data.prevRecord as unknown as { account: string }).account)
    list.invalidate((event.data.nextRecord as unknown as { account: string }).account)
  })
  records.hooks.on('delete', (event) => {
    if (!generation.ownDelete) list.invalidate((event.data.deletedRecord as unknown as { account: string }).account)
  })
  const clear = records.clear.bind(records)
  Object.assign(records, {
    clear() {
      clear()
      list.invalidate()
    },
  })
}

const emptyFixtures = (): FixtureSet => ({ accounts: [], apiKeys: [], campaigns: [], users: [], opportunities: [], contacts: [] })

// Browsers have no setImmediate; a zero timeout yields to the event loop there.
const yieldToEventLoop = () => new Promise<void>((resolve) => (globalThis.setImmediate ?? setTimeout)(resolve))

/** A collection the store writes into itself. */
type OwnCollection = { create(record: unknown): Promise<unknown>; delete(record: never): unknown }

/** The index that follows a collection's records, and the field it is keyed by (accounts have none). */
type Lookup = { index: CollectionIndex<Record<string, unknown>>; field: string } | undefined

/** What the fill copies into one collection: records (or ids), how to find each as it is now, and the collection's index. */
type Pending = Array<[collection: OwnCollection, records: readonly unknown[], current: (record: unknown) => unknown, lookup: Lookup]>

function pendingOf(fixtures: FixtureSet, generation: Generation): Pending {
  const { collections, byId, added } = generation
  // Each record as the index has it by then: the base record, or the copy a request changed;
  // none when a request deleted it.
  const byRecord = <C extends LookupCollection>(collection: C) => (record: unknown) => byId[collection].peek((record as { id: string }).id)
  const byIdOf = (collection: RecordCollection) => (id: unknown) => byId[collection].peek(id as string)
  const keyed = (collection: LookupCollection): Lookup => ({ index: byId[collection] as never, field: 'id' })
  return [
    [collections.accounts, fixtures.accounts, (record) => record, undefined],
    [collections.apiKeys, fixtures.apiKeys, (record) => generation.apiKeysByKey.peek((record as ApiKeyRecord).key), { index: generation.apiKeysByKey as never, field: 'key' }],
    [collections.campaigns, fixtures.campaigns, byRecord('campaigns'), keyed('campaigns')],
    [collections.users, fixtures.users, byRecord('users'), keyed('users')],
    [collections.opportunities, fixtures.opportunities, byRecord('opportunities'), keyed('opportunities')],
    [collections.opportunities, [...added.opportunities], byIdOf('opportunities'), keyed('opportunities')],
    [collections.contacts, fixtures.contacts, byRecord('contacts'), keyed('contacts')],
    [collections.contacts, [...added.contacts], byIdOf('contacts'), keyed('contacts')],
  ]
}

/**
 * Copies the fixtures (and records the store added before) into the generation's `@msw/data`
 * collections, yielding to the event loop every 1,000 records so that a server already answering
 * from the indexes stays responsive. Stops when a newer `seed` has replaced the generation.
 *
 * Each record is stored as the index has it at that moment: the base record, or the copy a
 * request already changed. The `create` hook then points the index to the stored record.
 */
async function fillCollections(pending: Pending, generation: Generation, isCurrent: () => boolean) {
  let sinceYield = 0
  for (const [collection, records, current, lookup] of pending) {
    for (let index = 0; index < records.length; index++) {
      if (++sinceYield === 1000) {
        sinceYield = 0
        await yieldToEventLoop()
      }
      if (!isCurrent()) return
      const record = current(records[index]) as { id?: string } | undefined
      if (record === undefined) continue
      await createOwn(generation, collection, record, lookup)
    }
  }
}

/**
 * Stores a record the store itself adds (the fill, a request's insert) in its collection. The
 * collection copies the record at once and announces the copy a few microtasks later; a request
 * handled in between (msw resolves in microtasks; a test may call twice in one tick) changes the
 * live record the index holds, so the index carries those changes over to the stored copy, and a
 * record deleted in between is taken out of the collection again rather than coming back.
 */
async function createOwn(generation: Generation, collection: OwnCollection, record: unknown, lookup: Lookup): Promise<void> {
  // The list hooks skip the store's own creates (the list index has the record already).
  const id = (record as { id?: string }).id
  if (id !== undefined) generation.ownCreates.set(id, (generation.ownCreates.get(id) ?? 0) + 1)
  lookup?.index.expect((record as Record<string, unknown>)[lookup.field] as string)
  const stored = await createTrusted(collection, record)
  if (lookup && !lookup.index.adopted(stored as never)) {
    generation.ownDelete = true
    try {
      collection.delete(stored as never)
    } finally {
      generation.ownDelete = false
    }
  }
}

const actions: Record<Section, string> = {
  accounts: 'create an account',
  apiKeys: 'create an API key',
  campaigns: 'create a campaign',
  users: 'create a user',
  opportunities: 'create an opportunity',
  contacts: 'create a contact',
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
  let fixturesOfCurrent = emptyFixtures()
  let current = createGeneration(fixturesOfCurrent)

  const findAccount = (id: string) => current.collections.accounts.findFirst((q) => q.where({ id }))

  function filled(): Promise<void> {
    const generation = current
    generation.filling ??= fillCollections(pendingOf(fixturesOfCurrent, generation), generation, () => current === generation)
    return generation.filling
  }

  /** The current collections, with their filling started. */
  function collections(): Collections {
    void filled()
    return current.collections
  }

  /** Validates one record with the fixture rules, so its errors read like those for files. */
  function parseOne<S extends Section>(section: S, input: unknown, method: string): FixtureSet[S][number] {
    return parseFixtures([{ source: `${method}()`, data: { [section]: [input] } }], {
      action: actions[section],
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

  async function createRecord<C extends LookupCollection>(collection: C, input: unknown, method: string): Promise<LookupTypes[C]> {
    await filled()
    const record = parseOne(collection, input, method) as LookupTypes[C] & { id: string }
    return replace<LookupTypes[C]>(current.collections[collection], current.byId[collection].get(record.id), record)
  }

  return {
    get accounts() {
      return collections().accounts
    },
    get apiKeys() {
      return collections().apiKeys
    },
    get campaigns() {
      return collections().campaigns
    },
    get users() {
      return collections().users
    },
    get opportunities() {
      return collections().opportunities
    },
    get contacts() {
      return collections().contacts
    },
    findApiKey: (key) => current.apiKeysByKey.get(key),
    findOpportunity: (id) => current.byId.opportunities.get(id),
    findContact: (id) => current.byId.contacts.get(id),
    findRecord: (collection, id) => current.byId[collection].get(id),
    insertRecord(collection, record) {
      const generation = current
      const index = generation.byId[collection] as CollectionIndex<RecordTypes[typeof collection]>
      index.put(record.id, record)
      ;(generation.lists[collection] as ListIndex<RecordTypes[typeof collection]>).added(record)
      if (generation.filling) {
        // The collection fills (or is full): store it there too; its `create` hook points the index at the stored copy.
        void createOwn(generation, generation.collections[collection] as never, record, { index: index as never, field: 'id' })
      } else {
        generation.added[collection].add(record.id)
      }
      return record
    },
    updateRecord(collection, id, changes) {
      const record = current.byId[collection].get(id) as RecordTypes[typeof collection] | undefined
      if (!record) return undefined
      const list = current.lists[collection] as ListIndex<RecordTypes[typeof collection]>
      list.change(record, changes)
      return record
    },
    deleteRecord(collection, id) {
      const generation = current
      const index = generation.byId[collection] as CollectionIndex<RecordTypes[typeof collection]>
      const record = index.peek(id)
      if (!record) return undefined
      index.remove(id)
      ;(generation.lists[collection] as ListIndex<RecordTypes[typeof collection]>).removed(record)
      if (generation.filling) {
        generation.ownDelete = true
        try {
          const records = generation.collections[collection] as { delete(target: unknown): unknown }
          // The collection's own record is deleted as it is (a scan of 100,000 records took 32 ms
          // a delete); a base copy or a record not stored yet by id, since the collection would not
          // recognise it as one of its records (and would call it as a query).
          if (index.inCollection(record)) records.delete(record)
          else records.delete((q: { where(fields: { id: string }): unknown }) => q.where({ id }))
        } finally {
          generation.ownDelete = false
        }
      } else {
        // Not stored in the collection yet: nothing to copy there once it fills.
        generation.added[collection].delete(id)
      }
      return record
    },
    listRecords: (collection, account, query) => (current.lists[collection] as ListIndex<RecordTypes[typeof collection]>).list(account, query),
    countRecords: (collection, account, filter, value) => current.lists[collection].count(account, filter, value),
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
    createCampaign: (input) => createRecord('campaigns', input, 'createCampaign'),
    createUser: (input) => createRecord('users', input, 'createUser'),
    createOpportunity: (input) => createRecord('opportunities', input, 'createOpportunity'),
    createContact: (input) => createRecord('contacts', input, 'createContact'),
    seed(fixtures) {
      fixturesOfCurrent = fixtures
      current = createGeneration(fixtures)
      // A thenable rather than a promise: awaiting it fills the collections; not awaiting it
      // (the standalone server) leaves them for later.
      return { then: (onFulfilled, onRejected) => filled().then(onFulfilled, onRejected) }
    },
    filled,
  }
}
