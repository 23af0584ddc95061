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

/** The wildcard that grants each permission (`opportunities:write` → `opportunities:*`), made once: the check runs on every request. */
const resourceWildcards = Object.fromEntries(permissions.map((permission) => [permission, `${permission.slice(0, permission.indexOf(':'))}:*`])) as Record<Permission, string>

/**
 * Whether a key's permissions grant `required`. `opportunities:*` grants every
 * `opportunities:` permission and `*` grants all, as the production service does.
 *
 * @example
 * grantsPermission(['opportunities:*'], 'opportunities:write') // true
 */
export function grantsPermission(granted: readonly string[], required: Permission): boolean {
  const wildcard = resourceWildcards[required]
  for (const permission of granted) {
    if (permission === required || permission === '*' || permission === wildcard) return true
  }
  return false
}
