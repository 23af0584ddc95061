import { expect, it } from 'vitest'
import { contactResource, documentedFields, opportunityResource } from './resources.js'

it.each([opportunityResource, contactResource])('lists the documented fields of $name in the schema order, without its private fields', (resource) => {
  const fields = documentedFields(resource)

  expect(fields).toEqual(Object.keys(resource.schema.shape).filter((field) => field !== 'account'))
  expect(fields).not.toContain('account')
  expect(fields[0]).toBe('id')
})

it('works the fields out once: every call answers the same frozen list', () => {
  const first = documentedFields(contactResource)

  expect(documentedFields(contactResource)).toBe(first)
  expect(Object.isFrozen(first)).toBe(true)
  expect(documentedFields(opportunityResource)).not.toBe(first)
})
