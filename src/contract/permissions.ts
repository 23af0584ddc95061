/** Granular API key permissions, as the authentication page lists them. */
export const permissions = [
  'contacts:read',
  'contacts:write',
  'contacts:delete',
  'opportunities:read',
  'opportunities:write',
  'opportunities:delete',
] as const

export type Permission = (typeof permissions)[number]

/** Permissions as a key may carry them: the granular ones plus the wildcards production accepts. */
export type GrantedPermission = Permission | 'contacts:*' | 'opportunities:*' | '*'

export const grantablePermissions: readonly GrantedPermission[] = [
  ...permissions,
  'contacts:*',
  'opportunities:*',
  '*',
]

/**
 * Whether a key's permissions grant `required`. `opportunities:*` grants every
 * `opportunities:` permission and `*` grants all, as the production service does.
 *
 * @example
 * grantsPermission(['opportunities:*'], 'opportunities:write') // true
 */
export function grantsPermission(granted: readonly string[], required: Permission): boolean {
  const resource = required.slice(0, required.indexOf(':'))
  return granted.some(
    (permission) => permission === required || permission === '*' || permission === `${resource}:*`,
  )
}
