import type { ListFilterDefinition, ListingDefinition } from '../contract/resources.js'
import { createSortedKeys } from './createSortedKeys.js'
import type { SortedKeys } from './createSortedKeys.js'

/** What a list query asks for; the list operation has validated it against the endpoint's schema. */
export interface ListQuery {
  /** Filters that must all hold: a resource filter's name and the values the record must have (all of them). */
  filters: ReadonlyArray<{ name: string; values: readonly string[] }>
  /** Text that any search field must contain, case-insensitive. */
  search?: string
  /** A sortable field of the resource. */
  sortBy: string
  descending: boolean
  /** Records to skip (`(page - 1) * limit`). */
  offset: number
  limit: number
}

/** A page of records and how many match in all. */
export interface ListResult<T> {
  records: T[]
  total: number
}

interface Listed {
  id: string
  account: string
  created_at: string
}

/** Where the index reads records: the base they were seeded from, and what is there now. */
export interface ListIndexSource<T> {
  /** The generation's base records by id, never changed: their order and counts are worked out once per base. */
  base: ReadonlyMap<string, T>
  /** The record with this id as it is now, without copying it; `undefined` once it is gone. */
  peek(id: string): T | undefined
  /** Every id there is now. */
  ids(): Iterable<string>
}

/** Order and counts of one account, worked out from a set of records. */
interface AccountIndex {
  /** Ids sorted by `created_at`, then `id`, oldest first. */
  order: SortedKeys
  /** Records per filter value: `<filter>\u0000<value>` → count. */
  counts: Map<string, number>
}

const separator = '\u0000'

/**
 * Text sorts ignore case and accents, as a text column does. One collator made once: a
 * `localeCompare(…, 'en', options)` call builds one each time (`sort_by=name` over 100,000
 * records took 1.8 s that way, 0.13 s with this; issue 17's bench).
 */
const textOrder = new Intl.Collator('en', { sensitivity: 'base' })

/** The values a filter reads from a record, as the index keys them (lower case where the filter ignores case). */
function valuesOf(filter: ListFilterDefinition, record: unknown): string[] {
  const value = filter.of(record as never)
  const values = value === null || value === undefined ? [] : Array.isArray(value) ? (value as string[]) : [value as string]
  return filter.caseInsensitive ? values.map((item) => item.toLowerCase()) : values
}

/**
 * A record's place in the order: its `created_at`, then its id. `\u0000` sorts before any other
 * character, so comparing these keys as strings orders by `created_at`, then `id`, without reading
 * the records.
 */
function orderKey(record: Listed): string {
  return `${record.created_at}${separator}${record.id}`
}

/** Whether a filter reads the same value(s) before and after a change. */
function sameValue(a: string | readonly string[] | null | undefined, b: string | readonly string[] | null | undefined): boolean {
  if (a === b) return true
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false
  return a.every((item, at) => item === b[at])
}

function compareListed(a: Listed, b: Listed): number {
  return a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

function indexRecords<T>(records: Iterable<T>, listing: ListingDefinition): Map<string, AccountIndex> {
  const accounts = new Map<string, { listed: Listed[]; counts: Map<string, number> }>()
  for (const record of records) {
    const listed = record as unknown as Listed
    let entry = accounts.get(listed.account)
    if (!entry) accounts.set(listed.account, (entry = { listed: [], counts: new Map() }))
    entry.listed.push(listed)
    for (const [name, filter] of Object.entries(listing.filters)) {
      for (const value of valuesOf(filter, record)) {
        const key = `${name}${separator}${value}`
        entry.counts.set(key, (entry.counts.get(key) ?? 0) + 1)
      }
    }
  }
  const result = new Map<string, AccountIndex>()
  for (const [account, { listed, counts }] of accounts) {
    listed.sort(compareListed)
    result.set(account, { order: createSortedKeys(listed.map((record) => [orderKey(record), record.id] as const)), counts })
  }
  return result
}

/**
 * Indexes of a base, by base: seeding the same fixtures again (`reset()`) reuses them, since base
 * records never change. Built on the first list query, not at start-up.
 */
const baseIndexes = new WeakMap<object, Map<string, AccountIndex>>()

/**
 * The list index of one record collection (opportunities, contacts) in one store generation: per
 * account, the ids in `created_at` order and a count per filter value, so the first page of a
 * filtered list, sorted by the default `created_at`, costs about the same at 1,000,000 records as
 * at 1,000 (issue 17). The order and counts of the base are shared by every generation seeded
 * from it; a generation copies an account's order only once it changes.
 *
 * Writes the store makes (create, update, delete) keep it true incrementally; writes made around
 * the store (a test's `store.opportunities.update(...)`, admin fixtures) mark the account for a
 * rebuild on its next list query.
 *
 * @example
 * const index = createListIndex(opportunityResource.listing, source)
 * index.list('acc_demo', { filters: [{ name: 'status', values: ['qualified'] }], sortBy: 'created_at', descending: true, offset: 0, limit: 20 })
 */
export function createListIndex<T>(listing: ListingDefinition, source: ListIndexSource<T>) {
  /** This generation's own indexes: accounts whose records changed, or that were rebuilt. */
  const own = new Map<string, AccountIndex>()
  /** Accounts to rebuild from the records on their next query; `'all'` after a change of unknown reach. */
  let dirty: Set<string> | 'all' = new Set()
  const filterEntries = Object.entries(listing.filters)
  // The same, as parallel arrays for `change`, which runs on every write request: an index loop
  // over them, and the values a change moves kept in two reused arrays rather than an object each.
  const filterNames = filterEntries.map(([name]) => name)
  const filterList = filterEntries.map(([, filter]) => filter)
  const movingAt: number[] = []
  const movingWas: Array<string | readonly string[] | null> = []

  function countValues(index: AccountIndex, name: string, filter: ListFilterDefinition, value: string | readonly string[] | null, by: 1 | -1): void {
    if (value === null || value === undefined) return
    for (const item of Array.isArray(value) ? (value as readonly string[]) : [value as string]) {
      const key = `${name}${separator}${filter.caseInsensitive ? item.toLowerCase() : item}`
      index.counts.set(key, (index.counts.get(key) ?? 0) + by)
    }
  }

  function baseIndex(): Map<string, AccountIndex> {
    let index = baseIndexes.get(source.base)
    if (!index) {
      index = indexRecords(source.base.values(), listing)
      baseIndexes.set(source.base, index)
    }
    return index
  }

  function rebuild(): void {
    const records: T[] = []
    for (const id of source.ids()) {
      const record = source.peek(id)
      if (record !== undefined) records.push(record)
    }
    const fresh = indexRecords(records, listing)
    const accounts = dirty === 'all' ? new Set([...own.keys(), ...baseIndex().keys(), ...fresh.keys()]) : dirty
    for (const account of accounts) {
      own.set(account, fresh.get(account) ?? { order: createSortedKeys(), counts: new Map() })
    }
    dirty = new Set()
  }

  /** An account's index to read. */
  function read(account: string): AccountIndex | undefined {
    if (dirty === 'all' || dirty.size > 0) rebuild()
    return own.get(account) ?? baseIndex().get(account)
  }

  /** An account's index to change: the generation's own copy. */
  function write(account: string): AccountIndex {
    if (dirty === 'all' || dirty.has(account)) rebuild()
    let index = own.get(account)
    if (!index) {
      const shared = baseIndex().get(account)
      index = shared ? { order: shared.order.copy(), counts: new Map(shared.counts) } : { order: createSortedKeys(), counts: new Map() }
      own.set(account, index)
    }
    return index
  }

  function count(index: AccountIndex, record: unknown, by: 1 | -1): void {
    for (const [name, filter] of filterEntries) countValues(index, name, filter, filter.of(record as never), by)
  }

  function matches(record: T, query: ListQuery): boolean {
    for (const { name, values } of query.filters) {
      const filter = listing.filters[name]!
      const has = valuesOf(filter, record)
      for (const wanted of values) if (!has.includes(filter.caseInsensitive ? wanted.toLowerCase() : wanted)) return false
    }
    if (query.search !== undefined) {
      const text = query.search.toLowerCase()
      if (!listing.searchFields.some((field) => String((record as Record<string, unknown>)[field] ?? '').toLowerCase().includes(text))) return false
    }
    return true
  }

  /** The total from the counts when one filter value alone decides it, else `undefined` (scan). */
  function countedTotal(index: AccountIndex, query: ListQuery): number | undefined {
    if (query.search !== undefined || query.filters.length > 1) return undefined
    if (query.filters.length === 0) return index.order.size
    const [{ name, values }] = query.filters as [{ name: string; values: readonly string[] }]
    if (values.length !== 1) return undefined
    const filter = listing.filters[name]!
    const value = filter.caseInsensitive ? values[0]!.toLowerCase() : values[0]!
    return index.counts.get(`${name}${separator}${value}`) ?? 0
  }

  function sortedBy(index: AccountIndex, field: string): string[] {
    const records: T[] = []
    index.order.each(false, (id) => {
      const record = source.peek(id)
      if (record !== undefined) records.push(record)
    })
    const value = (record: T) => (record as Record<string, unknown>)[field]
    records.sort((a, b) => {
      const left = value(a)
      const right = value(b)
      // Missing values last; ties by id, so every order is stable.
      if (left === right || (left == null && right == null)) return compareListed(a as unknown as Listed, b as unknown as Listed)
      if (left == null) return 1
      if (right == null) return -1
      if (typeof left === 'string' && typeof right === 'string') {
        const byText = textOrder.compare(left, right)
        return byText !== 0 ? byText : left < right ? -1 : 1
      }
      return (left as number) < (right as number) ? -1 : 1
    })
    return records.map((record) => (record as unknown as Listed).id)
  }

  return {
    /**
     * One page of an account's records and the number that match: by `created_at` from the
     * index, by another field after sorting the account's records.
     */
    list(account: string, query: ListQuery): ListResult<T> {
      const index = read(account)
      if (!index) return { records: [], total: 0 }
      const fromCounts = query.sortBy === 'created_at' ? countedTotal(index, query) : undefined
      const records: T[] = []
      let matched = 0
      const end = query.offset + query.limit
      const visit = (id: string) => {
        const record = source.peek(id)
        // A record changed around the store may be gone or moved until the account is rebuilt.
        if (record === undefined || (record as unknown as Listed).account !== account || !matches(record, query)) return true
        if (matched >= query.offset && matched < end) records.push(record)
        matched++
        return fromCounts === undefined || matched < end
      }
      if (query.sortBy === 'created_at') index.order.each(query.descending, visit)
      else {
        const order = sortedBy(index, query.sortBy)
        if (query.descending) order.reverse()
        for (const id of order) if (!visit(id)) break
      }
      return { records, total: fromCounts ?? matched }
    },
    /** How many of an account's records a filter value has (a contact's e-mail, say): 0 when none. */
    count(account: string, filter: string, value: string): number {
      const index = read(account)
      const definition = listing.filters[filter]
      if (!index || !definition) return 0
      return index.counts.get(`${filter}${separator}${definition.caseInsensitive ? value.toLowerCase() : value}`) ?? 0
    },
    /** A record the store added. */
    added(record: T): void {
      const listed = record as unknown as Listed
      const index = write(listed.account)
      index.order.add(orderKey(listed), listed.id)
      count(index, record, 1)
    },
    /** A record the store removed (as it was). */
    removed(record: T): void {
      const listed = record as unknown as Listed
      const index = write(listed.account)
      count(index, record, -1)
      index.order.delete(orderKey(listed), listed.id)
    },
    /**
     * Changes a record the store holds in place (`Object.assign(record, changes)`), moving only
     * the counts of the filters whose values changed (a stage update changes one of four; this
     * runs on every write request) and its place in the order when its `created_at` changed. A
     * filter that names its `field` is skipped when `changes` leaves that field alone.
     */
    change(record: T, changes: Readonly<Record<string, unknown>>): void {
      const listed = record as unknown as Listed
      // Rebuilt first if it must be, so the counts it starts from are those before the change.
      const index = write(listed.account)
      const createdAt = listed.created_at
      let moving = 0
      for (let at = 0; at < filterList.length; at++) {
        const filter = filterList[at]!
        if (filter.field !== undefined && !(filter.field in changes)) continue
        const value = filter.of(record as never)
        movingAt[moving] = at
        movingWas[moving++] = Array.isArray(value) ? [...value] : (value ?? null)
      }
      Object.assign(record as object, changes)
      for (let moved = 0; moved < moving; moved++) {
        const at = movingAt[moved]!
        const filter = filterList[at]!
        const was = movingWas[moved]!
        movingWas[moved] = null
        const now = filter.of(record as never)
        if (sameValue(was, now)) continue
        countValues(index, filterNames[at]!, filter, was, -1)
        countValues(index, filterNames[at]!, filter, now, 1)
      }
      // A change of `created_at` (a recording's mirror, say) moves the record in the order.
      if (createdAt !== listed.created_at && index.order.delete(orderKey({ ...listed, created_at: createdAt }), listed.id)) {
        index.order.add(orderKey(listed), listed.id)
      }
    },
    /** Something changed records around the store: rebuild the account (or all) on the next query. */
    invalidate(account?: string): void {
      if (account === undefined) dirty = 'all'
      else if (dirty !== 'all') dirty.add(account)
    },
  }
}

export type ListIndex<T> = ReturnType<typeof createListIndex<T>>
