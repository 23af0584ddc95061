import { expect, it } from 'vitest'
import { buildAccount, buildApiKey, buildFixtureFile, buildOpportunity } from '../../test/support/builders.js'
import { snapshotStore } from '../../test/support/snapshotStore.js'
import type { FixtureFile, Opportunity } from '../contract/schemas.js'
import { GetRazeMockError } from '../errors/GetRazeMockError.js'
import { createStore } from './createStore.js'
import type { MockStore } from './createStore.js'
import { parseFixtures } from './parseFixtures.js'

/** A store seeded with `file` (by default one account, one key and one opportunity). */
async function seededStore(file: FixtureFile = buildFixtureFile()): Promise<MockStore> {
  const store = createStore()
  await store.seed(parseFixtures([{ source: 'test', data: file }]))
  return store
}

/** What a full scan of the collection finds, to check the index against. */
function scanOpportunity(store: MockStore, id: string) {
  return store.opportunities.findFirst((q) => q.where({ id }))
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected the promise to reject')
}

it('finds seeded opportunities and keys by id and key', async () => {
  const store = await seededStore()

  expect(store.findOpportunity('opp_built')).toBe(scanOpportunity(store, 'opp_built'))
  expect(store.findApiKey('gr_test_built')?.account).toBe('acc_demo')
  expect(store.findOpportunity('opp_missing')).toBeUndefined()
  expect(store.findApiKey('gr_missing')).toBeUndefined()
})

it('finds an opportunity created directly through store.opportunities.create', async () => {
  const store = await seededStore()

  const created = await store.opportunities.create(buildOpportunity({ id: 'opp_direct' }))

  expect(store.findOpportunity('opp_direct')).toBe(created)
})

it('returns the updated record after store.opportunities.update', async () => {
  const store = await seededStore()

  await store.opportunities.update((q) => q.where({ id: 'opp_built' }), {
    data(opportunity) {
      opportunity.status = 'qualified'
    },
  })

  expect(store.findOpportunity('opp_built')?.status).toBe('qualified')
  expect(store.findOpportunity('opp_built')).toBe(scanOpportunity(store, 'opp_built'))
})

it('follows an id changed by store.opportunities.update', async () => {
  const store = await seededStore()

  await store.opportunities.update((q) => q.where({ id: 'opp_built' }), {
    data(opportunity) {
      opportunity.id = 'opp_renamed'
    },
  })

  expect(store.findOpportunity('opp_built')).toBeUndefined()
  expect(store.findOpportunity('opp_renamed')).toBe(scanOpportunity(store, 'opp_renamed'))
})

it('keeps pointing at the stored record after an update that changes nothing', async () => {
  const store = await seededStore()

  await store.opportunities.update((q) => q.where({ id: 'opp_built' }), {
    data(opportunity) {
      opportunity.status = 'new'
    },
  })
  // What the stage operation does: change the record the index returns, in place.
  store.findOpportunity('opp_built')!.status = 'won'

  expect(scanOpportunity(store, 'opp_built')?.status).toBe('won')
})

it('returns the records updated by store.opportunities.updateMany', async () => {
  const store = await seededStore(buildFixtureFile({ opportunities: [buildOpportunity({ id: 'opp_a' }), buildOpportunity({ id: 'opp_b' })] }))

  await store.opportunities.updateMany((q) => q.where({ status: 'new' }), {
    data(opportunity) {
      opportunity.status = 'contacted'
    },
  })

  for (const id of ['opp_a', 'opp_b']) {
    expect(store.findOpportunity(id)).toBe(scanOpportunity(store, id))
    expect(store.findOpportunity(id)?.status).toBe('contacted')
  }
})

it('forgets an opportunity deleted through store.opportunities.delete, by query or by record', async () => {
  const store = await seededStore(buildFixtureFile({ opportunities: [buildOpportunity({ id: 'opp_a' }), buildOpportunity({ id: 'opp_b' })] }))

  store.opportunities.delete((q) => q.where({ id: 'opp_a' }))
  store.opportunities.delete(scanOpportunity(store, 'opp_b')!)

  expect(store.findOpportunity('opp_a')).toBeUndefined()
  expect(store.findOpportunity('opp_b')).toBeUndefined()
})

it('forgets the opportunities removed by store.opportunities.deleteMany', async () => {
  const store = await seededStore(
    buildFixtureFile({ opportunities: [buildOpportunity({ id: 'opp_a' }), buildOpportunity({ id: 'opp_b', status: 'won' }), buildOpportunity({ id: 'opp_c' })] }),
  )

  store.opportunities.deleteMany((q) => q.where({ status: 'new' }))

  expect(['opp_a', 'opp_b', 'opp_c'].map((id) => store.findOpportunity(id)?.id)).toEqual([undefined, 'opp_b', undefined])
})

it('forgets every opportunity after store.opportunities.clear()', async () => {
  const ids = ['opp_a', 'opp_b', 'opp_c', 'opp_d', 'opp_e']
  const store = await seededStore(buildFixtureFile({ opportunities: ids.map((id) => buildOpportunity({ id })) }))

  store.opportunities.clear()
  await store.opportunities.create(buildOpportunity({ id: 'opp_after' }))

  expect(ids.filter((id) => store.findOpportunity(id) !== undefined)).toEqual([])
  expect(store.findOpportunity('opp_after')).toBe(scanOpportunity(store, 'opp_after'))
})

it('sees a key revoked through store.apiKeys.update', async () => {
  const store = await seededStore()

  await store.apiKeys.update((q) => q.where({ key: 'gr_test_built' }), {
    data(apiKey) {
      apiKey.revoked = true
    },
  })

  expect(store.findApiKey('gr_test_built')?.revoked).toBe(true)
})

it('adds an opportunity with createOpportunity, filling the optional fields with defaults', async () => {
  const store = await seededStore()

  const created = await store.createOpportunity({
    id: 'opp_minimal',
    account: 'acc_demo',
    name: 'Minimal',
    status: 'new',
    created_at: '2024-01-10T09:00:00Z',
    updated_at: '2024-01-10T09:00:00Z',
  })

  expect(store.findOpportunity('opp_minimal')).toBe(created)
  expect(created).toMatchObject({ email: null, deal_value: null, campaign: null, won_at: null, lost_at: null })
})

it('replaces the opportunity with the same id on createOpportunity', async () => {
  const store = await seededStore()

  await store.createOpportunity(buildOpportunity({ name: 'Renamed' }))

  expect(store.opportunities.findMany((q) => q.where({ id: 'opp_built' })).map((opportunity) => opportunity.name)).toEqual(['Renamed'])
  expect(store.findOpportunity('opp_built')?.name).toBe('Renamed')
})

it('rejects an opportunity of an unknown account with an exact FIXTURE_INVALID message and changes nothing', async () => {
  const store = await seededStore()
  const before = snapshotStore(store)

  const error = await rejectionOf(store.createOpportunity(buildOpportunity({ name: 'Replacement', account: 'acc_ghost' })))

  expect(error).toBeInstanceOf(GetRazeMockError)
  expect(error).toMatchObject({
    code: 'FIXTURE_INVALID',
    message:
      'Failed to create an opportunity: createOpportunity(), opportunities[0] (id "opp_built"), field "account": account "acc_ghost" does not exist. Add it to "accounts" in one of the fixture files or fix the reference.',
  })
  expect(snapshotStore(store)).toEqual(before)
  expect(store.findOpportunity('opp_built')?.name).toBe('Carla Mendes')
})

it('rejects an opportunity with an unknown status with an exact FIXTURE_INVALID message and changes nothing', async () => {
  const store = await seededStore()
  const before = snapshotStore(store)

  const error = await rejectionOf(store.createOpportunity(buildOpportunity({ id: 'opp_new', status: 'closed' as never })))

  expect(error).toMatchObject({
    code: 'FIXTURE_INVALID',
    message:
      'Failed to create an opportunity: createOpportunity(), opportunities[0] (id "opp_new"), field "status": must be one of new, contacted, qualified, proposal, negotiation, won, lost. Fix the record and start again.',
  })
  expect(snapshotStore(store)).toEqual(before)
  expect(store.findOpportunity('opp_new')).toBeUndefined()
})

it('rejects an API key of an unknown account with an exact FIXTURE_INVALID message', async () => {
  const store = await seededStore()

  const error = await rejectionOf(store.createApiKey(buildApiKey({ key: 'gr_test_orphan', account: 'acc_ghost' })))

  expect(error).toMatchObject({
    code: 'FIXTURE_INVALID',
    message:
      'Failed to create an API key: createApiKey(), apiKeys[0] (key "gr_test_orphan"), field "account": account "acc_ghost" does not exist. Add it to "accounts" in one of the fixture files or fix the reference.',
  })
  expect(store.findApiKey('gr_test_orphan')).toBeUndefined()
})

it('accepts keys and opportunities for an account added with createAccount', async () => {
  const store = await seededStore()

  await store.createAccount(buildAccount({ id: 'acc_new' }))
  await store.createApiKey(buildApiKey({ key: 'gr_test_new', account: 'acc_new' }))
  await store.createOpportunity(buildOpportunity({ id: 'opp_new', account: 'acc_new' }))

  expect(store.findApiKey('gr_test_new')?.account).toBe('acc_new')
  expect(store.findOpportunity('opp_new')?.account).toBe('acc_new')
})

it('replaces everything on seed, and seeds fresh records each time', async () => {
  const file = buildFixtureFile()
  const fixtures = parseFixtures([{ source: 'test', data: file }])
  const store = createStore()
  await store.seed(fixtures)
  await store.createOpportunity(buildOpportunity({ id: 'opp_extra' }))
  store.findOpportunity('opp_built')!.status = 'won'

  await store.seed(fixtures)

  expect(store.findOpportunity('opp_extra')).toBeUndefined()
  expect(store.findOpportunity('opp_built')?.status).toBe('new')
  expect(fixtures.opportunities[0]?.status).toBe('new')
  expect(store.opportunities.count()).toBe(1)
})

/** Fixtures with `count` opportunities: enough to make the background fill yield several times. */
function manyOpportunities(count: number) {
  return parseFixtures([
    {
      source: 'test',
      data: buildFixtureFile({
        opportunities: Array.from({ length: count }, (_, index) => buildOpportunity({ id: `opp_${index}` })),
      }),
    },
  ])
}

it('answers lookups from every fixture as soon as seed is called, before the collections are filled', async () => {
  const store = createStore()
  const filled = store.seed(manyOpportunities(3000))

  expect(store.findOpportunity('opp_2999')?.id).toBe('opp_2999')
  expect(store.opportunities.count()).toBeLessThan(3000)
  await filled
  expect(store.opportunities.count()).toBe(3000)
  expect(store.findOpportunity('opp_2999')).toBe(scanOpportunity(store, 'opp_2999'))
})

it('keeps a change made to a record while the collections are still being filled', async () => {
  const store = createStore()
  const filled = store.seed(manyOpportunities(3000))
  store.findOpportunity('opp_2500')!.status = 'won'
  await filled

  expect(scanOpportunity(store, 'opp_2500')?.status).toBe('won')
  expect(store.findOpportunity('opp_2500')).toBe(scanOpportunity(store, 'opp_2500'))
})

it('stops filling an older seed once a newer one replaced it', async () => {
  const store = createStore()
  const first = store.seed(manyOpportunities(3000))
  await store.seed(parseFixtures([{ source: 'test', data: buildFixtureFile() }]))
  await first

  expect(store.opportunities.count()).toBe(1)
  expect(store.findOpportunity('opp_2999')).toBeUndefined()
})

it('validates updates through the collection although seeded records skip a second validation', async () => {
  const store = await seededStore()
  const stored = scanOpportunity(store, 'opp_built')!

  expect(stored.status).toBe('new')
  await expect(
    store.opportunities.update((q) => q.where({ id: 'opp_built' }), {
      data(record) {
        ;(record as { status: string }).status = 'archived'
      },
    }),
  ).rejects.toThrow('resulting record does not match the schema')
})

it('restores every record a request or a test changed, nested fields included, when the same fixtures are seeded again', async () => {
  const fixtures = parseFixtures([{ source: 'test', data: buildFixtureFile() }])
  const pristine = structuredClone(fixtures)
  const store = createStore()

  for (let round = 0; round < 2; round++) {
    // Not awaited in the first round: lookups change copies whether or not the collections are filled.
    const seeded = store.seed(fixtures)
    if (round === 1) await seeded
    const record = store.findOpportunity('opp_built')!
    record.status = 'won'
    record.campaign!.name = `Changed in round ${round}`
    store.findApiKey('gr_test_built')!.revoked = true
  }
  await store.seed(fixtures)

  expect(fixtures).toEqual(pristine)
  expect(store.findOpportunity('opp_built')).toEqual(pristine.opportunities[0])
  expect(scanOpportunity(store, 'opp_built')).toEqual(pristine.opportunities[0])
  expect(store.findApiKey('gr_test_built')?.revoked).toBe(pristine.apiKeys[0]!.revoked)
})

it('keeps a record deleted through the collection deleted, although its fixture is kept for the next seed', async () => {
  const store = await seededStore()

  await store.opportunities.delete((q) => q.where({ id: 'opp_built' }))
  const afterDelete = store.findOpportunity('opp_built')
  store.opportunities.clear()

  expect(afterDelete).toBeUndefined()
  expect(store.findOpportunity('opp_built')).toBeUndefined()
  expect(store.findApiKey('gr_test_built')).toBeDefined()
})

// The collection copies a record the store inserts at once but announces it microtasks later;
// msw resolves requests in microtasks, so a second request can come in between (issue 17's helper).
it('keeps an update made in the same tick as the insert, in lookups and in the collection', async () => {
  const store = await seededStore()
  const record = buildOpportunity({ id: 'opp_same_tick', status: 'new', source: 'referral' }) as Opportunity
  store.insertRecord('opportunities', record)
  store.updateRecord('opportunities', 'opp_same_tick', { notes: 'changed in the same tick' })
  await new Promise((resolve) => setTimeout(resolve, 10))

  expect(store.findOpportunity('opp_same_tick')?.notes).toBe('changed in the same tick')
  expect(scanOpportunity(store, 'opp_same_tick')?.notes).toBe('changed in the same tick')
  expect(store.findOpportunity('opp_same_tick')).toBe(scanOpportunity(store, 'opp_same_tick'))
  expect(store.listRecords('opportunities', 'acc_demo', { filters: [{ name: 'source', values: ['referral'] }], sortBy: 'created_at', descending: true, offset: 0, limit: 20 }).records.map((found) => found.notes)).toEqual(['changed in the same tick'])
})

it('does not bring back a record deleted in the same tick as its insert', async () => {
  const store = await seededStore()
  const record = buildOpportunity({ id: 'opp_gone_at_once', source: 'referral' }) as Opportunity
  store.insertRecord('opportunities', record)
  expect(store.deleteRecord('opportunities', 'opp_gone_at_once')?.id).toBe('opp_gone_at_once')
  await new Promise((resolve) => setTimeout(resolve, 10))

  expect(store.findOpportunity('opp_gone_at_once')).toBeUndefined()
  expect(scanOpportunity(store, 'opp_gone_at_once')).toBeUndefined()
  expect(store.listRecords('opportunities', 'acc_demo', { filters: [{ name: 'source', values: ['referral'] }], sortBy: 'created_at', descending: true, offset: 0, limit: 20 }).total).toBe(0)
})
