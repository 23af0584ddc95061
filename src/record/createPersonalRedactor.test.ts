import { expect, it } from 'vitest'
import { createPersonalRedactor } from './createPersonalRedactor.js'

it('gives the same value the same fake, in the form of its field, at any depth', () => {
  const { redact } = createPersonalRedactor(['email', 'phone', 'linkedin_url', 'notes'])
  const redacted = redact({
    records: [
      { name: 'Ana', email: 'ana@acme.example', phone: '+5511988887777', linkedin_url: 'https://linkedin.com/in/ana', notes: 'Met at the fair', deal_value: 10 },
      { name: 'Bo', email: 'ana@acme.example', notes: null },
    ],
  })
  const [first, second] = redacted.records
  expect(first!.email).toMatch(/^person-[0-9a-f]{8}@example\.com$/)
  expect(first!.phone).toMatch(/^\+1555\d{7}$/)
  expect(first!.linkedin_url).toMatch(/^https:\/\/example\.com\/linkedin_url\/[0-9a-f]{8}$/)
  expect(first!.notes).toMatch(/^redacted notes [0-9a-f]{8}$/)
  expect(first).toMatchObject({ name: 'Ana', deal_value: 10 })
  expect(second!.email).toBe(first!.email)
  expect(second!.notes).toBeNull()
})

it('tells nothing about the value: another recording fakes it differently', () => {
  const value = { email: 'ana@acme.example' }
  expect(createPersonalRedactor(['email']).redact(value).email).not.toBe(createPersonalRedactor(['email']).redact(value).email)
})

it('changes nothing with no field to redact', () => {
  const value = { email: 'ana@acme.example' }
  expect(createPersonalRedactor([]).redact(value)).toBe(value)
})
