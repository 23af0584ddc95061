import type { MockRuntime } from '../runtime/createMockRuntime.js'
import { formatTimestamp } from '../contract/formatTimestamp.js'
import { GetRazeMockError } from '../errors/GetRazeMockError.js'
import { deriveOpportunityFields, providerStates } from '../contract/providerStates.js'
import type { ProviderStateName, ProviderStateParams } from '../contract/providerStates.js'

/** Everything the built-in states create lives in this one account, so states combine. */
export const providerStateAccount = { id: 'acc_pact', name: 'Pact provider states' } as const

/** Fixtures the mock starts from when it is verified: the states' account and nothing else. */
export const providerStateFixtures = { accounts: [providerStateAccount] }

/** Values handed back to Pact for provider-state injection (`fromProviderState`). */
export type InjectedValues = Record<string, string | number | boolean>

function randomId(): string {
  return `opp_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`
}

/**
 * Creates the states' account when the mock was started from other fixtures (`serve`, answering
 * states on its admin API): the records the states create belong to it, and a reset removes it.
 */
async function ensureStateAccount(runtime: MockRuntime): Promise<void> {
  await runtime.store.filled()
  const exists = runtime.store.accounts.findFirst((query) => query.where({ id: providerStateAccount.id })) !== undefined
  if (!exists) await runtime.store.createAccount(providerStateAccount)
}

/**
 * Resets the mock to the fixtures it started from (`providerStateFixtures` when `verify` runs it in
 * process; `serve`'s own, as `POST /__admin/reset` does): called on every teardown, so each
 * interaction starts from the same data.
 *
 * @example
 * await clearProviderStates(runtime)
 */
export async function clearProviderStates(runtime: MockRuntime): Promise<void> {
  await runtime.reset()
}

/**
 * `an opportunity exists {id?, name?, status?, ...documented fields}`: creates it (with the given
 * id, else a new one) with the fields given, and those its status implies (`won_at` for a won
 * one, `lost_at` for a lost one).
 */
export async function seedOpportunity(
  runtime: MockRuntime,
  params: ProviderStateParams<'an opportunity exists'>,
): Promise<InjectedValues> {
  await ensureStateAccount(runtime)
  const instant = runtime.clock()
  const now = formatTimestamp(instant)
  const status = params.status ?? 'new'
  const { id, name, status: _status, ...rest } = params
  // The state's documented params only: a pact may carry others (markers, typos), which the review reports.
  const known = providerStates['an opportunity exists'].shape
  const fields = Object.fromEntries(Object.entries(rest).filter(([field, value]) => field in known && value !== undefined))
  const opportunity = await runtime.store.createOpportunity({
    ...fields,
    id: id ?? randomId(),
    account: providerStateAccount.id,
    name: name ?? 'John Doe',
    status,
    ...deriveOpportunityFields(status, instant),
    created_at: now,
    updated_at: now,
  })
  return { id: opportunity.id }
}

/** `no opportunity exists {id}`: makes sure it does not, and hands the id back for the path. */
export async function seedNoOpportunity(
  runtime: MockRuntime,
  params: ProviderStateParams<'no opportunity exists'>,
): Promise<InjectedValues> {
  runtime.store.deleteRecord('opportunities', params.id)
  return { id: params.id }
}

/**
 * `a contact exists {id?, name?, email?, ...documented fields}`: creates it (with the given id,
 * else a new one) with the fields given.
 */
export async function seedContact(runtime: MockRuntime, params: ProviderStateParams<'a contact exists'>): Promise<InjectedValues> {
  await ensureStateAccount(runtime)
  const now = formatTimestamp(runtime.clock())
  const { id, name, ...rest } = params
  const known = providerStates['a contact exists'].shape
  const fields = Object.fromEntries(Object.entries(rest).filter(([field, value]) => field in known && value !== undefined))
  const contact = await runtime.store.createContact({
    ...fields,
    id: id ?? `cnt_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`,
    account: providerStateAccount.id,
    name: name ?? 'John Doe',
    created_at: now,
    updated_at: now,
  })
  return { id: contact.id }
}

/** `no contact exists {id}`: makes sure it does not, and hands the id back for the path. */
export async function seedNoContact(runtime: MockRuntime, params: ProviderStateParams<'no contact exists'>): Promise<InjectedValues> {
  runtime.store.deleteRecord('contacts', params.id)
  return { id: params.id }
}

/** `a user exists {id, name?}`: a user of the states' account, whom opportunities can be assigned to. */
export async function seedUser(runtime: MockRuntime, params: ProviderStateParams<'a user exists'>): Promise<InjectedValues> {
  await ensureStateAccount(runtime)
  await runtime.store.createUser({ id: params.id, account: providerStateAccount.id, name: params.name ?? 'Sales Rep' })
  return { id: params.id }
}

/** The four key states: a key in the states' account with the given condition. */
export async function seedApiKey(
  runtime: MockRuntime,
  condition: 'active' | 'revoked' | 'expired' | 'rate-limited',
  params: { key: string; permissions?: string[] },
): Promise<InjectedValues> {
  await ensureStateAccount(runtime)
  const yesterday = new Date(runtime.clock().getTime() - 24 * 3600 * 1000)
  await runtime.store.createApiKey({
    key: params.key,
    account: providerStateAccount.id,
    permissions: params.permissions ?? ['opportunities:read', 'opportunities:write'],
    revoked: condition === 'revoked',
    expiresAt: condition === 'expired' ? formatTimestamp(yesterday) : null,
    rateLimit: condition === 'rate-limited' ? 100 : 1000,
    used: condition === 'rate-limited' ? 100 : 0,
  })
  return { key: params.key }
}

/**
 * Sets up one provider state on the mock and returns the values to inject. Throws a
 * `GetRazeMockError` naming the state when it is unknown or its params are wrong.
 *
 * @example
 * await seedProviderState(runtime, 'an opportunity exists', { name: 'John Doe' }) // { id: 'opp_…' }
 */
export async function seedProviderState(
  runtime: MockRuntime,
  state: string,
  params: Record<string, unknown> = {},
): Promise<InjectedValues> {
  const schema = providerStates[state as ProviderStateName]
  if (!schema) {
    throw new GetRazeMockError(
      'UNKNOWN_PROVIDER_STATE',
      `Failed to set up provider state "${state}": getraze-mock has no handler for it. Use one of: ${Object.keys(providerStates)
        .map((name) => `"${name}"`)
        .join(', ')}.`,
    )
  }
  const parsed = schema.safeParse(params)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new GetRazeMockError(
      'PROVIDER_STATE_FAILED',
      `Failed to set up provider state "${state}": param "${issue.path.join('.')}" ${issue.message}. Fix the params in the pact.`,
    )
  }
  // The schema for `state` validated these params; the table below is keyed by name only.
  return mockStateHandlers[state as ProviderStateName](runtime, parsed.data as never)
}

/**
 * How the mock sets up each documented state: one function per state of the vocabulary
 * (`src/contract/providerStates.ts`), so a new state without one is a compile error.
 */
const mockStateHandlers: { [Name in ProviderStateName]: (runtime: MockRuntime, params: ProviderStateParams<Name>) => Promise<InjectedValues> } = {
  'an opportunity exists': seedOpportunity,
  'no opportunity exists': seedNoOpportunity,
  'a contact exists': seedContact,
  'no contact exists': seedNoContact,
  'a user exists': seedUser,
  'an API key exists': (runtime, params) => seedApiKey(runtime, 'active', params),
  'an API key has been revoked': (runtime, params) => seedApiKey(runtime, 'revoked', params),
  'an API key has expired': (runtime, params) => seedApiKey(runtime, 'expired', params),
  'an API key has used its hourly rate limit': (runtime, params) => seedApiKey(runtime, 'rate-limited', params),
}
