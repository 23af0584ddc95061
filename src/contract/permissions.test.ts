import { expect, it } from 'vitest'
import { grantablePermissions, grantsPermission, permissions } from './permissions.js'

it.each(permissions)('grants %s to a key holding exactly that permission', (permission) => {
  expect(grantsPermission([permission], permission)).toBe(true)
})

it.each(permissions)('grants %s to a key holding the * wildcard', (permission) => {
  expect(grantsPermission(['*'], permission)).toBe(true)
})

it('grants every opportunities permission, and only those, to opportunities:*', () => {
  const granted = permissions.filter((permission) => grantsPermission(['opportunities:*'], permission))

  expect(granted).toEqual(permissions.filter((permission) => permission.startsWith('opportunities:')))
})

it('grants every contacts permission, and only those, to contacts:*', () => {
  const granted = permissions.filter((permission) => grantsPermission(['contacts:*'], permission))

  expect(granted).toEqual(permissions.filter((permission) => permission.startsWith('contacts:')))
})

it('does not grant opportunities:write to a key with read and delete only', () => {
  expect(grantsPermission(['opportunities:read', 'opportunities:delete', 'contacts:write'], 'opportunities:write')).toBe(false)
})

it('grants nothing to a key without permissions', () => {
  expect(permissions.some((permission) => grantsPermission([], permission))).toBe(false)
})

it('does not treat look-alike strings as wildcards', () => {
  expect(grantsPermission(['opportunities', 'opportunities:', '**', 'opportunities:write '], 'opportunities:write')).toBe(false)
})

it('lists the granular permissions and the wildcards a fixture key may carry', () => {
  expect(grantablePermissions).toEqual([...permissions, 'contacts:*', 'opportunities:*', '*'])
})
