import { expect, it } from 'vitest'
import { contactResource, opportunityResource } from '../contract/resources.js'
import { createIdGenerator } from './createIdGenerator.js'

const none = () => false

it('gives random ids of the prefix and 12 characters of a-z0-9, all different, every character about equally often', () => {
  const ids = createIdGenerator()
  const made = Array.from({ length: 20_000 }, () => ids.next(opportunityResource, none))
  expect(made.every((id) => /^opp_[a-z0-9]{12}$/.test(id))).toBe(true)
  expect(new Set(made).size).toBe(made.length)
  const counts = new Map<string, number>()
  for (const id of made) for (const character of id.slice(4)) counts.set(character, (counts.get(character) ?? 0) + 1)
  // 240,000 characters over 36: about 6,667 each; a biased byte mapping (byte % 36 over 256) would give some 7,500.
  expect(counts.size).toBe(36)
  for (const count of counts.values()) expect(Math.abs(count - 240_000 / 36)).toBeLessThan(400)
})

it('gives the same ids for the same seed, again after reset, and others for another seed', () => {
  const first = createIdGenerator('pin-me')
  const again = createIdGenerator('pin-me')
  const sequence = [first.next(contactResource, none), first.next(opportunityResource, none)]
  expect(sequence[0]).toMatch(/^cnt_[a-z0-9]{12}$/)
  expect([again.next(contactResource, none), again.next(opportunityResource, none)]).toEqual(sequence)
  first.reset()
  expect(first.next(contactResource, none)).toBe(sequence[0])
  expect(createIdGenerator('other').next(contactResource, none)).not.toBe(sequence[0])
})

it('never hands out an id the store already has', () => {
  const seeded = createIdGenerator(7)
  const taken = seeded.next(contactResource, none)
  seeded.reset()
  expect(seeded.next(contactResource, (id) => id === taken)).not.toBe(taken)
})
