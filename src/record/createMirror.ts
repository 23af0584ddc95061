import { endpoints } from '../contract/endpoints.js'
import type { EndpointDefinition, KeyCondition } from '../contract/EndpointDefinition.js'
import { formatTimestamp } from '../contract/formatTimestamp.js'
import type { GrantedPermission } from '../contract/permissions.js'
import type { RecordCollection, ReferencedCollection, ResourceDefinition } from '../contract/resources.js'
import { fixtureFileSchema } from '../contract/schemas.js'
import type { FixtureSet } from '../contract/schemas.js'
import { classify, parseJson, recordPact } from '../consumer/recordPact.js'
import type { PactRecorder } from '../consumer/recordPact.js'
import { extractApiKey } from '../core/extractApiKey.js'
import { compileRoutes } from '../core/matchRoute.js'
import type { MockExchange, MockRequest, MockResponse } from '../core/MockRequest.js'
import { maskApiKey, maskQueryApiKeys } from '../core/queryApiKey.js'
import { createMockRuntime } from '../runtime/createMockRuntime.js'
import { createsRecords, isObject, recordsInAnswer, referencesIn, resourceOf, shownFields, timestampFieldsOf, toStoredRecord } from './recordsInAnswer.js'
import type { AnsweredRecord, NamedReference } from './recordsInAnswer.js'

/** One request the recorder forwarded and the target's answer, as far as it was kept. */
export interface CapturedExchange {
  method: string
  /** The path as received, without the query (still percent-encoded). */
  path: string
  /** The query without `?`; empty when there is none. */
  query: string
  /** Request headers by lower-case name, repeated ones joined with `, `. */
  requestHeaders: Readonly<Record<string, string>>
  /** The request body as text; `undefined` when there was none. */
  requestBody: string | undefined
  status: number
  /** Answer headers by lower-case name. */
  responseHeaders: Readonly<Record<string, string>>
  /** The answer body as text (decoded); `undefined` when there was none. */
  responseBody: string | undefined
  /** When the answer ended. */
  at: Date
}

/** What the mirror made of one exchange with a documented endpoint. */
export interface MirroredExchange {
  endpoint: EndpointDefinition
  /** The behaviour of the endpoint's table the mock's answer shows; `undefined` for none. */
  behaviour: string | undefined
  /** The mock's answer to the same request, holding the same records. */
  answer: MockResponse
  /** The mock's clock when it answered: timestamps it made up read this. */
  at: Date
  /** The target's answer body, parsed; `undefined` when it is not JSON. */
  targetBody: unknown
  /**
   * Whether the mock held what the request names, so its answer can be compared: not when the
   * record was over the cap or could not be stored (then only the docs are checked).
   */
  comparable: boolean
  /** The target had accepted the request's key before this request. */
  keyAcceptedBefore: boolean
  /** The key, for hiding it in what is printed; `undefined` when the request sent none. */
  key: string | undefined
}

/** Options of `createMirror`. */
export interface MirrorOptions {
  consumer: string
  maxRecords: number
  maxKeys: number
  onNotice: (message: string) => void
}

interface KeyState {
  secret: string
  placeholder: string
  account: string
  /** The target accepted it at least once (or answered that it expired): it exists. */
  exists: boolean
  /** Permissions the target's answers proved the key has, and lacks. */
  permissions: Set<string>
  lacking: Set<string>
  rateLimit: number
  /** Requests of the key the mock has counted in this window: what it starts from after a reseed. */
  used: number
  revoked: boolean
  expiresAt: string | null
  /** The key as the target first accepted it: what the fixtures hold. */
  initial: { used: number; rateLimit: number; expiresAt: string | null } | undefined
}

interface RecordState {
  resource: ResourceDefinition
  /** As the target last answered it, in the store's form. */
  record: Record<string, unknown>
  /** As the target first answered it, completed by later answers; `undefined` for a record the traffic created. */
  initial: Record<string, unknown> | undefined
  /** Fields some answer showed. */
  shown: Set<string>
  /** The last answer's fields as JSON: the same answer again changes nothing (most answers are). */
  last: string
}

/** A campaign or user that records refer to: it existed before the traffic (no endpoint makes one). */
interface ReferenceState {
  collection: ReferencedCollection
  id: string
  account: string
  /** `''` until an answer shows it (a list item names the reference by id only). */
  name: string
  named: boolean
}

const matchRoute = compileRoutes(endpoints)
const defaultRateLimit = 1000

function errorOf(body: unknown): { code: string | undefined; message: string | undefined } {
  const error = isObject(body) && isObject(body.error) ? body.error : undefined
  return { code: typeof error?.code === 'string' ? error.code : undefined, message: typeof error?.message === 'string' ? error.message : undefined }
}

function wholeNumber(text: string | undefined): number | undefined {
  return text !== undefined && /^\d{1,15}$/.test(text.trim()) ? Number(text.trim()) : undefined
}

/**
 * The mock that follows the target: an in-process `getraze-mock` whose store holds what the
 * target's answers revealed (keys under placeholders, accounts, records and the campaigns and
 * users they refer to), so that it can answer each request as the docs say the target should,
 * and `recordPact` can write those answers as a pact. Before each request it takes in what the
 * answer shows that it did not know (a record it never saw, fields no answer had shown yet, a
 * key's permission, the rate-limit count); after it, it takes in what the target changed (a
 * record's new fields, a created record under the target's id, a deletion, a key refused), so
 * one difference does not make every later answer differ too. Records reach the store through
 * its record writes (`insertRecord`, `updateRecord`, `deleteRecord`), so its list indexes and
 * counts follow. What it holds is capped (`maxRecords`, `maxKeys`).
 *
 * @example
 * const mirror = createMirror({ consumer: 'my-app', maxRecords: 10000, maxKeys: 1000, onNotice: console.error })
 * const seen = mirror.process(captured) // the mock's answer to the same request, to compare
 */
export function createMirror(options: MirrorOptions) {
  const runtime = createMockRuntime({ fixtures: {}, journalSize: 0 })
  const { store } = runtime
  const pact: PactRecorder = recordPact(runtime, { consumer: options.consumer })
  let observed: MockExchange | undefined
  runtime.observe((exchange) => {
    observed = exchange
  })

  const keys = new Map<string, KeyState>()
  const accounts = new Map<string, { id: string; name: string }>()
  const records = new Map<RecordCollection, Map<string, RecordState>>()
  const references = new Map<ReferencedCollection, Map<string, ReferenceState>>()
  /** Records the traffic deleted, as they were first seen: the fixtures still hold them. */
  const gone = new Map<string, Record<string, unknown>>()
  let recordCount = 0
  /** Records the traffic created (deleted since or not): the fixtures leave them out. */
  let createdCount = 0
  /**
   * The store must be seeded again from the model: a new key or reference, accounts merged, a
   * rate-limit count to restart. The store has no synchronous way to add those, and they are few.
   */
  let reseed = false
  /** Records whose stored copy may differ from the model: brought to it through the store's record writes. */
  const touched = new Map<string, { collection: RecordCollection; id: string }>()
  const changedKeys = new Set<KeyState>()
  const renamedReferences = new Set<ReferenceState>()
  /** Records the store added since it was last seeded: it keeps their ids until then, so a long session reseeds now and then. */
  let insertsSinceSeed = 0
  const said = new Set<string>()
  const stats = { requests: 0, documented: 0, notCompared: 0, overCap: 0 }
  /** How answered fields were brought to the store's form, per kind of record and field. */
  const adjustments = new Set<string>()

  function sayOnce(topic: string, message: string) {
    if (said.has(topic) || said.size > 200) return
    said.add(topic)
    options.onNotice(message)
  }

  // Counted, not read from `accounts.size`: a merge removes an account, and its number must not come back.
  let accountsMade = 0
  function newAccount(): string {
    accountsMade++
    const id = `acc_recorded_${accountsMade}`
    accounts.set(id, { id, name: `Recorded account ${accountsMade}` })
    return id
  }

  function keyFor(secret: string): KeyState | undefined {
    const known = keys.get(secret)
    if (known) return known
    if (keys.size >= options.maxKeys) {
      sayOnce('keys', `The recorder holds ${options.maxKeys} API keys, the most it keeps; requests with other keys are forwarded but not recorded or compared.`)
      return undefined
    }
    const state: KeyState = {
      secret,
      placeholder: `gr_recorded_${keys.size + 1}`,
      account: newAccount(),
      exists: false,
      permissions: new Set(),
      lacking: new Set(),
      rateLimit: defaultRateLimit,
      used: 0,
      revoked: false,
      expiresAt: null,
      initial: undefined,
    }
    keys.set(secret, state)
    return state
  }

  function collection(resource: ResourceDefinition): Map<string, RecordState> {
    let found = records.get(resource.collection)
    if (!found) {
      found = new Map()
      records.set(resource.collection, found)
    }
    return found
  }

  function touch(name: RecordCollection, id: string) {
    touched.set(`${name} ${id}`, { collection: name, id })
  }

  /** Moves every key, record and reference of account `from` into `into`: two keys saw the same record. */
  function mergeAccounts(from: string, into: string) {
    if (from === into) return
    for (const key of keys.values()) if (key.account === from) key.account = into
    for (const kind of records.values()) {
      for (const state of kind.values()) {
        if (state.record.account !== from) continue
        state.record = { ...state.record, account: into }
        if (state.initial) state.initial = { ...state.initial, account: into }
      }
    }
    for (const kind of references.values()) for (const reference of kind.values()) if (reference.account === from) reference.account = into
    accounts.delete(from)
    reseed = true
  }

  /** The name known for the record a reference field names. */
  function referenceName(resource: ResourceDefinition, field: string, id: string): string | undefined {
    const name = resource.references?.[field]
    const reference = name === undefined ? undefined : references.get(name)?.get(id)
    return reference?.named ? reference.name : undefined
  }

  /** Takes in a campaign or user a record or a request named: it existed before the request. */
  function learnReference(found: NamedReference, account: string) {
    let kind = references.get(found.collection)
    if (!kind) {
      kind = new Map()
      references.set(found.collection, kind)
    }
    const known = kind.get(found.id)
    if (known) {
      if (known.account !== account) mergeAccounts(account, known.account)
      if (found.name !== undefined && (!known.named || known.name !== found.name)) {
        known.name = found.name
        known.named = true
        renamedReferences.add(known)
      }
      return
    }
    if (recordCount >= options.maxRecords) {
      sayOnce('records', `The recorder holds ${options.maxRecords} records, the most it keeps (maxRecords, --max-records); later records are forwarded but neither written to the fixtures nor shadowed.`)
      return
    }
    recordCount++
    kind.set(found.id, { collection: found.collection, id: found.id, account, name: found.name ?? '', named: found.name !== undefined })
    reseed = true
  }

  /** The references an answered record and, for a write the target accepted, its request body name. */
  function learnReferences(resource: ResourceDefinition | undefined, revealed: readonly AnsweredRecord[], body: unknown, key: KeyState | undefined) {
    for (const found of revealed) {
      if (!found.resource.references) continue
      const account = String(records.get(found.resource.collection)?.get(found.id)?.record.account ?? key?.account ?? firstAccount())
      for (const reference of referencesIn(found.resource, found.fields)) learnReference(reference, account)
    }
    if (resource?.references && isObject(body) && key) for (const reference of referencesIn(resource, body)) learnReference(reference, key.account)
  }

  function firstAccount(): string {
    return (accounts.keys().next().value as string | undefined) ?? newAccount()
  }

  /**
   * Takes in a record an answer shows; `created` marks one the request itself made, `written`
   * the fields the request set (they were not so before it).
   */
  function learn(found: AnsweredRecord, key: KeyState | undefined, created: boolean, written: ReadonlySet<string>) {
    const kind = collection(found.resource)
    const state = kind.get(found.id)
    const account = state?.record.account ?? key?.account ?? firstAccount()
    if (state && key && state.record.account !== key.account) mergeAccounts(key.account, state.record.account as string)
    const text = JSON.stringify(found.fields)
    if (state && state.last === text) {
      // Nothing new; the mock's copy may have moved on its own (its clock in a write): back to it.
      touch(found.resource.collection, found.id)
      return
    }
    const stored = toStoredRecord(found.resource, found.fields, state?.record, String(state?.record.account ?? account), (field, id) => referenceName(found.resource, field, id))
    for (const note of stored.filled) if (adjustments.size < 100) adjustments.add(`${found.resource.collection}.${note}`)
    if (!stored.record) {
      sayOnce(`unstorable ${found.resource.collection} ${stored.problem}`, `A ${found.resource.name} the target answered cannot be held by the mock (${stored.problem}); requests naming such records are checked against the docs only.`)
      return
    }
    touch(found.resource.collection, found.id)
    if (state) {
      state.record = stored.record
      state.last = text
      completeInitial(state, stored.record, stored.shown, written)
      return
    }
    if (recordCount >= options.maxRecords) {
      sayOnce('records', `The recorder holds ${options.maxRecords} records, the most it keeps (maxRecords, --max-records); later records are forwarded but neither written to the fixtures nor shadowed.`)
      return
    }
    // Deleted earlier and back now (created again): the fixtures keep the first one.
    const earlier = gone.get(`${found.resource.collection} ${found.id}`)
    if (earlier) gone.delete(`${found.resource.collection} ${found.id}`)
    else recordCount++
    if (created && !earlier) createdCount++
    const initial = earlier ?? (created ? undefined : structuredClone(stored.record))
    kind.set(found.id, { resource: found.resource, record: stored.record, initial, shown: new Set(stored.shown), last: text })
  }

  /**
   * Fields first shown now were there from the start (a shorter answer, a list item, did not show
   * them), unless the request set them or they are the provider's clock.
   */
  function completeInitial(state: RecordState, record: Record<string, unknown>, shown: readonly string[], written: ReadonlySet<string>) {
    const clock = timestampFieldsOf(state.resource)
    for (const field of shown) {
      if (state.shown.has(field)) continue
      state.shown.add(field)
      if (state.initial && !written.has(field) && !(written.size > 0 && clock.has(field))) state.initial[field] = structuredClone(record[field])
    }
  }

  /**
   * Before the mock answers: fields of a held record that no answer had shown yet (the mirror
   * held the schema's defaults for them) are taken from this answer, so the mock does not answer
   * a default where the target shows what it always held.
   */
  function complete(state: RecordState, found: AnsweredRecord, written: ReadonlySet<string>) {
    // Most answers show nothing new: checked by name before the record is built.
    if (shownFields(found.resource, found.fields).every((field) => state.shown.has(field))) return
    const stored = toStoredRecord(found.resource, found.fields, state.record, String(state.record.account), (field, id) => referenceName(found.resource, field, id))
    if (!stored.record) return
    const fresh = stored.shown.filter((field) => !state.shown.has(field))
    if (fresh.length === 0) return
    const record = { ...state.record }
    for (const field of fresh) record[field] = stored.record[field]
    state.record = record
    completeInitial(state, record, fresh, written)
    touch(found.resource.collection, found.id)
  }

  function forget(resource: ResourceDefinition, id: string, account: string | undefined) {
    const kind = collection(resource)
    const state = kind.get(id)
    if (!state || (account !== undefined && state.record.account !== account)) return
    kind.delete(id)
    touch(resource.collection, id)
    // A record that was there when the traffic began stays in the fixtures: replayed, the delete finds it.
    if (state.initial) gone.set(`${resource.collection} ${id}`, state.initial)
    else recordCount--
  }

  function has(resource: ResourceDefinition, id: string): boolean {
    return records.get(resource.collection)?.has(id) ?? false
  }

  function fixtureSet(pick: 'record' | 'initial'): FixtureSet {
    const set = fixtureFileSchema.parse({}) as FixtureSet
    const sections = set as unknown as Record<string, unknown[]>
    const held = [...keys.values()].filter((key) => key.exists)
    const used = new Set(held.map((key) => key.account))
    set.apiKeys = held.map((key) => {
      const from = pick === 'initial' && key.initial ? key.initial : key
      return {
        key: key.placeholder,
        account: key.account,
        name: `Recorded key ${key.placeholder.slice('gr_recorded_'.length)} (${maskApiKey(key.secret)})`,
        permissions: [...key.permissions].sort() as GrantedPermission[],
        rateLimit: from.rateLimit,
        used: Math.min(from.used, from.rateLimit),
        revoked: pick === 'record' ? key.revoked : false,
        expiresAt: from.expiresAt,
      }
    })
    for (const [name, kind] of references) {
      sections[name] = [...kind.values()].map(({ id, account, name: label }) => ({ id, account, name: label }))
      for (const reference of kind.values()) used.add(reference.account)
    }
    for (const [name, kind] of records) {
      const section: Array<Record<string, unknown>> = []
      for (const state of kind.values()) {
        const record = pick === 'record' ? state.record : state.initial
        if (record) section.push(pick === 'initial' ? withReferenceNames(state.resource, record) : record)
      }
      if (pick === 'initial') for (const [where, record] of gone) if (where.startsWith(`${name} `)) section.push(record)
      for (const record of section) used.add(String(record.account))
      sections[name] = section
    }
    set.accounts = [...accounts.values()].filter((account) => used.has(account.id))
    return set
  }

  /** A record whose references a list item named by id only, with the names later answers showed. */
  function withReferenceNames(resource: ResourceDefinition, record: Record<string, unknown>): Record<string, unknown> {
    let named = record
    for (const field of Object.keys(resource.references ?? {})) {
      const value = record[field] as { id: string; name: string } | null | undefined
      const name = value && value.name === '' ? referenceName(resource, field, value.id) : undefined
      if (name !== undefined) named = { ...named, [field]: { id: value!.id, name } }
    }
    return named
  }

  /** Brings one stored record to the model: inserted, changed field by field, or deleted. */
  function reconcile(name: RecordCollection, id: string) {
    const model = records.get(name)?.get(id)?.record
    const live = store.findRecord(name, id) as Record<string, unknown> | undefined
    if (!model) {
      if (live) store.deleteRecord(name, id)
      return
    }
    if (live && live.account !== model.account) store.deleteRecord(name, id)
    if (!live || live.account !== model.account) {
      insertsSinceSeed++
      store.insertRecord(name, structuredClone(model) as never)
      return
    }
    let changes: Record<string, unknown> | undefined
    for (const [field, value] of Object.entries(model)) {
      const now = live[field]
      if (now === value || (typeof value === 'object' && value !== null && JSON.stringify(now) === JSON.stringify(value))) continue
      changes ??= {}
      changes[field] = typeof value === 'object' && value !== null ? structuredClone(value) : value
    }
    if (changes) store.updateRecord(name, id, changes as never)
  }

  /** Brings the mock's store to what the mirror holds. */
  function sync() {
    if (!reseed) {
      for (const key of changedKeys) {
        const live = store.findApiKey(key.placeholder)
        if (!live) {
          reseed = true
          break
        }
        live.permissions = [...key.permissions] as GrantedPermission[]
        live.rateLimit = key.rateLimit
        live.revoked = key.revoked
        live.expiresAt = key.expiresAt
      }
      for (const reference of renamedReferences) {
        const live = store.findRecord(reference.collection, reference.id)
        if (live && live.account === reference.account) live.name = reference.name
        else reseed = true
      }
    }
    changedKeys.clear()
    renamedReferences.clear()
    // The store keeps the ids of what it inserted until it is seeded again.
    if (insertsSinceSeed > Math.max(1000, options.maxRecords)) reseed = true
    if (reseed) {
      reseed = false
      touched.clear()
      insertsSinceSeed = 0
      void store.seed(fixtureSet('record'))
      return
    }
    for (const { collection: name, id } of touched.values()) reconcile(name, id)
    touched.clear()
  }

  /** What the answer shows about the key before the mock answers: whether it exists, a permission, the rate-limit count. */
  function takeInKey(key: KeyState, endpoint: EndpointDefinition, captured: CapturedExchange, code: string | undefined) {
    const { status } = captured
    if (!key.exists && (code === 'EXPIRED_API_KEY' || (status !== 401 && status < 500))) {
      key.exists = true
      if (code === 'EXPIRED_API_KEY') key.expiresAt = formatTimestamp(new Date(captured.at.getTime() - 1000))
      reseed = true
    }
    const permission = endpoint.permission
    const known = key.permissions.has(permission) || key.lacking.has(permission)
    if (!known && passedPermission(status, code)) {
      key.permissions.add(permission)
      changedKeys.add(key)
    }
    if (!known && code === 'INSUFFICIENT_PERMISSIONS') key.lacking.add(permission)
    const limit = wholeNumber(captured.responseHeaders['x-ratelimit-limit'])
    const remaining = wholeNumber(captured.responseHeaders['x-ratelimit-remaining'])
    if (limit !== undefined && limit > 0 && limit !== key.rateLimit) {
      key.rateLimit = limit
      changedKeys.add(key)
    }
    // The target's count is state the recorder cannot see (other clients use the key too, and
    // concurrent answers arrive out of order): the mock takes it when it sees the key first, and
    // again only when one of them refuses for the limit and the other would not.
    // A target that sends no count (or a 401, which stops before the limit) says nothing, but one
    // that answered past the limit check says the key is not used up.
    const pastLimit = status !== 401 && status !== 429 && status !== 0
    const before = status === 429 ? key.rateLimit : remaining !== undefined ? Math.max(0, key.rateLimit - remaining - 1) : pastLimit ? 0 : undefined
    if (before !== undefined && key.exists && (!key.initial || (status === 429) !== key.used >= key.rateLimit)) {
      if (before !== key.used) reseed = true
      key.used = before
    }
    if (key.exists && !key.initial) key.initial = { used: key.used, rateLimit: key.rateLimit, expiresAt: key.expiresAt }
  }

  /** What the target's answer changed about the key, after the mock answered. */
  function followKey(key: KeyState, endpoint: EndpointDefinition, captured: CapturedExchange, code: string | undefined, answer: MockResponse) {
    const permission = endpoint.permission
    const { status } = captured
    if (code === 'INVALID_API_KEY' && key.exists && !key.revoked) {
      key.revoked = true
      changedKeys.add(key)
    }
    if (code === 'EXPIRED_API_KEY' && key.expiresAt === null) {
      key.expiresAt = formatTimestamp(new Date(captured.at.getTime() - 1000))
      changedKeys.add(key)
    }
    if (passedPermission(status, code)) {
      if (key.revoked || key.expiresAt !== null) {
        key.revoked = false
        key.expiresAt = null
        changedKeys.add(key)
      }
      if (!key.permissions.has(permission)) {
        key.permissions.add(permission)
        key.lacking.delete(permission)
        changedKeys.add(key)
      }
    }
    if (code === 'INSUFFICIENT_PERMISSIONS' && key.permissions.has(permission)) {
      key.permissions.delete(permission)
      key.lacking.add(permission)
      changedKeys.add(key)
    }
    const remaining = wholeNumber(answer.headers['x-ratelimit-remaining'])
    if (remaining !== undefined) key.used = Math.max(0, key.rateLimit - remaining)
  }

  /** The request as the mock gets it: the key replaced by its placeholder wherever it is. */
  function toMockRequest(captured: CapturedExchange, key: string | undefined, placeholder: string | undefined): MockRequest {
    const headers: Record<string, string> = { ...captured.requestHeaders }
    const swap = (text: string) => (key !== undefined && placeholder !== undefined && key.length > 0 ? text.split(key).join(placeholder) : text)
    if (headers['x-api-key'] !== undefined) headers['x-api-key'] = swap(headers['x-api-key'])
    const authorization = headers.authorization
    // A Bearer token is the key; any other scheme is a secret the mock has no use for.
    if (authorization !== undefined) {
      if (/^\s*Bearer\s+\S+\s*$/i.test(authorization)) headers.authorization = swap(authorization)
      else delete headers.authorization
    }
    const query = maskQueryApiKeys(captured.query, (value) => (placeholder !== undefined && value === key ? placeholder : 'gr_recorded_other'))
    const body = captured.requestBody === undefined ? undefined : swap(captured.requestBody)
    return { method: captured.method, path: captured.path, query, header: (name) => headers[name], body, headers }
  }

  /**
   * Runs one exchange with a documented endpoint through the mock; `undefined` for any other
   * request (an unknown path, or a key over the cap).
   */
  function process(captured: CapturedExchange): MirroredExchange | undefined {
    stats.requests++
    let route: ReturnType<typeof matchRoute>
    try {
      route = matchRoute(captured.method, captured.path)
    } catch {
      return undefined
    }
    if (route.kind !== 'endpoint') return undefined
    const { endpoint, params } = route
    const view: MockRequest = { method: captured.method, path: captured.path, query: captured.query, header: (name) => captured.requestHeaders[name], body: undefined }
    const secret = extractApiKey(view)
    const key = secret === undefined ? undefined : keyFor(secret)
    if (secret !== undefined && !key) {
      stats.overCap++
      return undefined
    }
    stats.documented++
    const targetBody = parseJson(captured.responseBody)
    const { code } = errorOf(targetBody)
    const succeeded = captured.status >= 200 && captured.status < 300
    const resource = resourceOf(endpoint)
    const id = params.id
    const creates = createsRecords(endpoint)
    const keyAcceptedBefore = key !== undefined && key.exists && !key.revoked && key.expiresAt === null
    const requestBody = captured.method === 'GET' || captured.method === 'DELETE' ? undefined : parseJson(captured.requestBody)
    // The fields the request sets (a body's `<reference>_id` sets the reference).
    const written = new Set<string>()
    if (isObject(requestBody)) for (const field of Object.keys(requestBody)) written.add(resource?.references?.[field.replace(/_id$/, '')] === undefined ? field : field.replace(/_id$/, ''))

    if (key) takeInKey(key, endpoint, captured, code)
    const revealed = succeeded ? recordsInAnswer(endpoint, targetBody) : []
    // The campaigns and users an answer names existed before the request, a create's included.
    if (succeeded) learnReferences(resource, revealed, requestBody, key)
    // What the answer shows and the mock does not hold was there before the request (a create's
    // record is not: the request makes it).
    if (!creates && endpoint.method !== 'DELETE') {
      for (const found of revealed) {
        const held = records.get(found.resource.collection)?.get(found.id)
        // A key that sees another key's record is in that key's account.
        if (held && key && held.record.account !== key.account) mergeAccounts(key.account, String(held.record.account))
        if (!held) learn(found, key, false, written)
        else complete(held, found, written)
      }
    }
    const comparable = !(succeeded && resource && id !== undefined && !has(resource, id))
    if (!comparable) stats.notCompared++
    sync()

    observed = undefined
    const answer = runtime.core.handle(toMockRequest(captured, secret, key?.placeholder))
    const exchange = observed as MockExchange | undefined
    const stored = key ? store.findApiKey(key.placeholder) : undefined
    const condition: KeyCondition = secret === undefined ? 'none' : !stored ? 'unknown' : stored.revoked ? 'revoked' : 'valid'
    const behaviour = exchange ? classify(endpoint, exchange, condition) : undefined
    const mockAccepted = answer.status >= 200 && answer.status < 300

    if (key) followKey(key, endpoint, captured, code, answer)
    // The mock made a record of its own, under its own id: the target's (with the target's id) replaces it.
    const mockId = creates && mockAccepted ? (answer.body as { data?: { id?: unknown } } | undefined)?.data?.id : undefined
    if (resource && typeof mockId === 'string') touch(resource.collection, mockId)
    if (succeeded) {
      if (endpoint.method === 'DELETE' && resource && id !== undefined) forget(resource, id, undefined)
      else {
        // Fields the request set that the target's answer does not show: the target accepted the
        // same write the mock made, so the mock's values stand.
        if (mockAccepted && !creates && resource && id !== undefined && written.size > 0) keepWritten(resource, id, written, revealed)
        for (const found of revealed) learn(found, key, creates, written)
      }
    }
    if (succeeded && endpoint.query && resource && key) followList(resource, captured.query, targetBody, revealed, key.account)
    if (code === 'NOT_FOUND' && resource && id !== undefined) forget(resource, id, key?.account)
    // The mock changed what the target did not: back to what the target holds.
    if (!succeeded && mockAccepted && endpoint.method !== 'GET' && resource && id !== undefined) touch(resource.collection, id)
    sync()

    return { endpoint, behaviour, answer, at: exchange?.at ?? new Date(), targetBody, comparable, keyAcceptedBefore, key: secret }
  }

  /**
   * A list page that shows every record of the account (the first page, no filter, no search,
   * as many records as its total): records the mirror holds that it does not show are gone at
   * the target (another client deleted them), and go from the mock too.
   */
  function followList(resource: ResourceDefinition, query: string, body: unknown, revealed: readonly AnsweredRecord[], account: string) {
    const parameters = new URLSearchParams(query)
    if ([...parameters.keys()].some((name) => name === 'search' || name in resource.listing.filters)) return
    const pagination = isObject(body) && isObject(body.data) && isObject(body.data.pagination) ? body.data.pagination : undefined
    const shown = new Set(revealed.filter((found) => found.resource === resource).map((found) => found.id))
    if (pagination?.page !== 1 || pagination.total !== shown.size) return
    const held = records.get(resource.collection)
    if (!held) return
    for (const [id, state] of [...held]) if (state.record.account === account && !shown.has(id)) forget(resource, id, account)
  }

  /** Takes the mock's values of the fields a write set into the model, where the target's answer does not show them. */
  function keepWritten(resource: ResourceDefinition, id: string, written: ReadonlySet<string>, revealed: readonly AnsweredRecord[]) {
    const state = records.get(resource.collection)?.get(id)
    const live = store.findRecord(resource.collection, id) as Record<string, unknown> | undefined
    if (!state || !live || live.account !== state.record.account) return
    const answered = revealed.find((found) => found.id === id)?.fields ?? {}
    let record: Record<string, unknown> | undefined
    for (const field of written) {
      if (!(field in state.record) || field in answered || `${field}_id` in answered) continue
      record ??= { ...state.record }
      record[field] = structuredClone(live[field])
    }
    if (record) state.record = record
  }

  return {
    process,
    /** The pact recorder watching the mock. */
    pact,
    stats,
    /**
     * The fixtures the traffic revealed: records as the target first answered them (completed by
     * later answers), keys as placeholders with the permissions the traffic proved.
     */
    fixtures(): Record<string, unknown[]> {
      return fixtureSet('initial') as unknown as Record<string, unknown[]>
    },
    /** How many records were left out of the fixtures because the traffic created them. */
    get createdRecords(): number {
      return createdCount
    },
    /** How answered fields were brought to the form the store keeps. */
    adjustments,
    /** The masked key each placeholder stands for, in the order the keys were first seen. */
    placeholders(): Record<string, string> {
      return Object.fromEntries([...keys.values()].map((key) => [key.placeholder, maskApiKey(key.secret)]))
    },
    /** The keys that passed through, to hide them in anything written or printed. */
    secrets(): string[] {
      return [...keys.keys()]
    },
  }
}

/** An answer the target gave after checking the key, its rate limit and the permission. */
function passedPermission(status: number, code: string | undefined): boolean {
  return status !== 0 && status !== 401 && status !== 403 && status !== 429 && status < 500 && code !== 'INSUFFICIENT_PERMISSIONS'
}

export type Mirror = ReturnType<typeof createMirror>
