import { expect, it } from 'vitest'
import { createMockClock } from './createMockClock.js'

it('starts frozen at a fixed now option and stays there', () => {
  const clock = createMockClock('2024-01-25T10:00:00Z')

  expect(clock().toISOString()).toBe('2024-01-25T10:00:00.000Z')
  expect(clock.now().toISOString()).toBe('2024-01-25T10:00:00.000Z')
  expect(clock.frozen).toBe(true)
})

it('advances a running clock by an offset while it keeps running', () => {
  let source = Date.parse('2024-01-25T10:00:00Z')
  const clock = createMockClock(() => new Date(source))

  clock.advance(60)
  source += 1000

  expect(clock().toISOString()).toBe('2024-01-25T10:01:01.000Z')
  expect(clock.frozen).toBe(false)
})

it('freezes on set, goes back to real time on real, and to the start option on restore', () => {
  const clock = createMockClock('2024-01-25T10:00:00Z')

  clock.set(new Date('2030-06-01T00:00:00Z'))
  expect(clock().toISOString()).toBe('2030-06-01T00:00:00.000Z')
  clock.real()
  expect(Math.abs(clock().getTime() - Date.now())).toBeLessThan(5_000)
  clock.restore()
  expect(clock().toISOString()).toBe('2024-01-25T10:00:00.000Z')
})

it('refuses an instant that is not a timestamp, naming it', () => {
  const clock = createMockClock()

  expect(() => clock.set('next tuesday')).toThrow(
    'Failed to set the clock: "next tuesday" is not a valid ISO 8601 timestamp. Pass one like 2024-01-25T10:00:00Z.',
  )
})

it('refuses to advance by a negative or non-finite number of seconds', () => {
  const clock = createMockClock('2024-01-25T10:00:00Z')

  expect(() => clock.advance(Number.NaN)).toThrow('Failed to advance the clock: null is not a number of seconds >= 0.')
  expect(() => clock.advance(-1)).toThrow('Failed to advance the clock: -1 is not a number of seconds >= 0. Pass e.g. 60, or use clock.set(instant) to go back.')
  expect(clock().toISOString()).toBe('2024-01-25T10:00:00.000Z')
})
