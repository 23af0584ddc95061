import fc from 'fast-check'
import { expect, it } from 'vitest'
import { createSortedKeys } from './createSortedKeys.js'

const ids = (order: ReturnType<typeof createSortedKeys>, descending = false) => {
  const seen: string[] = []
  order.each(descending, (id) => {
    seen.push(id)
  })
  return seen
}

it('keeps ids in key order through any mix of adds and deletes, as a sorted array would', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 3000 })), { maxLength: 4000 }),
      (steps) => {
        const order = createSortedKeys()
        const model: Array<[string, string]> = []
        for (const [add, second, serial] of steps) {
          const key = `t${String(second).padStart(2, '0')}\u0000id${serial}`
          const id = `id${serial}`
          const at = model.findIndex(([other]) => other === key)
          if (add && at === -1) {
            order.add(key, id)
            model.push([key, id])
            model.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          } else if (!add) {
            expect(order.delete(key, id)).toBe(at !== -1)
            if (at !== -1) model.splice(at, 1)
          }
        }
        expect(order.size).toBe(model.length)
        expect(ids(order)).toEqual(model.map(([, id]) => id))
        expect(ids(order, true)).toEqual(model.map(([, id]) => id).reverse())
      },
    ),
    { numRuns: 60 },
  )
})

it('stops visiting when the visitor says so, and copies independently', () => {
  const order = createSortedKeys(Array.from({ length: 2000 }, (_, at) => [`k${String(at).padStart(4, '0')}`, `id${at}`] as const))
  const firstThree: string[] = []
  order.each(true, (id) => firstThree.push(id) < 3)
  expect(firstThree).toEqual(['id1999', 'id1998', 'id1997'])

  const copy = order.copy()
  copy.add('k0000a', 'between')
  expect(copy.delete('k1000', 'id1000')).toBe(true)
  expect(order.size).toBe(2000)
  expect(copy.size).toBe(2000)
  expect(ids(order).slice(0, 2)).toEqual(['id0', 'id1'])
  expect(ids(copy).slice(0, 2)).toEqual(['id0', 'between'])
})
