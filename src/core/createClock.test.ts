import { expect, it, onTestFinished } from 'vitest'
import { createClock, parseInstant } from './createClock.js'

it('reads a date-time without a zone as UTC, not local time', () => {
  // Under UTC local time and UTC agree, so run in a zone where reading it as local would show.
  const zone = process.env.TZ
  process.env.TZ = 'America/New_York'
  onTestFinished(() => {
    if (zone === undefined) delete process.env.TZ
    else process.env.TZ = zone
  })
  expect(new Date('2024-01-25T10:00:00').toISOString()).toBe('2024-01-25T15:00:00.000Z')
  expect(parseInstant('2024-01-25T10:00:00')?.toISOString()).toBe('2024-01-25T10:00:00.000Z')
  expect(parseInstant('2024-01-25T10:00')?.toISOString()).toBe('2024-01-25T10:00:00.000Z')
  expect(createClock('2024-01-25T10:00:00')().toISOString()).toBe('2024-01-25T10:00:00.000Z')
})

it('keeps an explicit zone or offset as given', () => {
  expect(parseInstant('2024-01-25T05:00:00-05:00')?.toISOString()).toBe('2024-01-25T10:00:00.000Z')
  expect(parseInstant('2024-01-25T10:00:00Z')?.toISOString()).toBe('2024-01-25T10:00:00.000Z')
})

it('answers undefined for text that is not a timestamp', () => {
  expect(parseInstant('yesterday')).toBeUndefined()
})

it('refuses a clock string that is not a timestamp with the fix in the message', () => {
  expect(() => createClock('yesterday')).toThrow(
    'Failed to set the clock: "yesterday" is not a valid ISO 8601 timestamp. Pass one like 2024-01-25T10:00:00Z.',
  )
})
