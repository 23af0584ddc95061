import { expect, it } from 'vitest'
import { opportunityResource } from '../contract/resources.js'
import { createListIndex } from './createListIndex.js'
import type { ListQuery } from './createListIndex.js'

interface Row {
  id: string
  account: string
  status: string
  source: string | null
  campaign: { id: string; name: string } | null
  responsible_user: null
  name: string
  created_at: string
}

const row = (id: string, second: number, status = 'new'): Row => ({
  id,
  account: 'acc_1',
  status,
  source: 'other',
  campaign: null,
  responsible_user: null,
  name: id,
  created_at: new Date(Date.UTC(2024, 0, 1) + second * 1000).toISOString().replace('.000Z', 'Z'),
})

/** A list index over a plain map, as the store's id index would feed it. */
function indexOver(rows: Row[]) {
  const base = new Map(rows.map((record) => [record.id, record]))
  const live = new Map(base)
  const index = createListIndex<Row>(opportunityResource.listing, { base, peek: (id) => live.get(id), ids: () => live.keys() })
  return {
    index,
    add(record: Row) {
      live.set(record.id, record)
      index.added(record)
    },
    change(id: string, changes: Partial<Row>) {
      const record = live.get(id)!
      index.change(record, changes)
    },
    remove(id: string) {
      const record = live.get(id)!
      live.delete(id)
      index.removed(record)
    },
  }
}

const newestFirst = (filters: ListQuery['filters'] = [], limit = 100): ListQuery => ({ filters, sortBy: 'created_at', descending: true, offset: 0, limit })

it('lists an id that came back after its record went once, in its new place', () => {
  const { index, add, remove } = indexOver([row('opp_a', 1), row('opp_b', 2), row('opp_c', 3)])
  remove('opp_a')
  add(row('opp_a', 10, 'won'))

  const page = index.list('acc_1', newestFirst())
  expect(page.records.map((record) => record.id)).toEqual(['opp_a', 'opp_c', 'opp_b'])
  expect(page.total).toBe(3)
  expect(index.list('acc_1', newestFirst([{ name: 'status', values: ['won'] }])).total).toBe(1)
})

it('keeps order and totals through many deletes and the compaction they cause, creates in between', () => {
  const rows = Array.from({ length: 3000 }, (_, at) => row(`opp_${String(at).padStart(5, '0')}`, at, at % 3 === 0 ? 'qualified' : 'new'))
  const { index, add, remove } = indexOver(rows)
  const kept = new Set(rows.map((record) => record.id))
  for (let at = 0; at < 2400; at++) {
    remove(rows[at]!.id)
    kept.delete(rows[at]!.id)
    if (at % 100 === 0) {
      const fresh = row(`opp_new_${at}`, 4000 + at, 'qualified')
      add(fresh)
      kept.add(fresh.id)
    }
  }

  const all = index.list('acc_1', newestFirst([], 5000))
  expect(all.total).toBe(kept.size)
  expect(new Set(all.records.map((record) => record.id))).toEqual(kept)
  expect(all.records[0]!.id).toBe('opp_new_2300')
  const qualified = [...kept].filter((id) => id.startsWith('opp_new_') || Number(id.slice(4)) % 3 === 0)
  expect(index.list('acc_1', newestFirst([{ name: 'status', values: ['qualified'] }], 20)).total).toBe(qualified.length)
})

it('moves the counts of the filters a change touches, so a filtered total stays the scanned one', () => {
  const rows = Array.from({ length: 50 }, (_, at) => row(`opp_${String(at).padStart(3, '0')}`, at, at % 2 === 0 ? 'qualified' : 'new'))
  const { index, change } = indexOver(rows)
  const total = (status: string) => index.list('acc_1', newestFirst([{ name: 'status', values: [status] }], 1)).total
  const scanned = (status: string) => index.list('acc_1', { ...newestFirst([{ name: 'status', values: [status] }], 100), search: '' }).total
  expect(total('qualified')).toBe(25)

  change('opp_000', { status: 'won' })
  change('opp_001', { name: 'renamed only' })
  change('opp_002', { status: 'won', created_at: '2025-01-01T00:00:00Z' })
  for (const status of ['qualified', 'new', 'won']) expect(total(status)).toBe(scanned(status))
  expect(total('won')).toBe(2)
  expect(total('qualified')).toBe(23)
  // The record whose created_at changed is now the newest.
  expect(index.list('acc_1', newestFirst([], 1)).records[0]!.id).toBe('opp_002')
})

it('moves the counts of a filter when a change names its field, and of a filter naming no field on any change', () => {
  const rows = Array.from({ length: 10 }, (_, at) => row(`opp_${at}`, at))
  const base = new Map(rows.map((record) => [record.id, record]))
  // `initial` names no field: any change may move it.
  const listing = {
    ...opportunityResource.listing,
    filters: {
      ...opportunityResource.listing.filters,
      initial: { of: (record: Row) => record.name.slice(0, 1) },
    },
  }
  const index = createListIndex<Row>(listing as never, { base, peek: (id) => base.get(id), ids: () => base.keys() })
  const total = (name: string, value: string) => index.list('acc_1', newestFirst([{ name, values: [value] }], 1)).total
  const scanned = (name: string, value: string) => index.list('acc_1', { ...newestFirst([{ name, values: [value] }], 100), search: '' }).total
  expect(total('initial', 'o')).toBe(10)

  index.change(base.get('opp_1')!, { source: 'linkedin' })
  index.change(base.get('opp_2')!, { campaign: { id: 'camp_1', name: 'Spring' } })
  index.change(base.get('opp_3')!, { name: 'xavier' })

  expect(total('source', 'linkedin')).toBe(1)
  expect(total('source', 'other')).toBe(9)
  expect(total('campaign_id', 'camp_1')).toBe(1)
  expect(total('initial', 'x')).toBe(1)
  expect(total('initial', 'o')).toBe(9)
  for (const [name, value] of [['source', 'linkedin'], ['source', 'other'], ['campaign_id', 'camp_1'], ['initial', 'x'], ['initial', 'o']] as const) {
    expect(total(name, value), `${name}=${value}`).toBe(scanned(name, value))
  }
})
