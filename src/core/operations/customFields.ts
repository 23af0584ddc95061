/** Custom field values as a request may send them: flat, `null` meaning "no value". */
type CustomFields = Readonly<Record<string, string | number | boolean | null>>

/**
 * Custom fields without the keys sent as `null`: a created contact stores no empty entries.
 *
 * @example
 * withoutNullValues({ industry: 'Technology', size: null }) // { industry: 'Technology' }
 */
export function withoutNullValues(fields: CustomFields): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null))
}

/**
 * The stored custom fields after an update: the keys sent replace the stored ones, a key sent as
 * `null` is removed, the others stay. A new object, so what a journal or an observer holds of
 * the old one does not change.
 *
 * @example
 * mergeCustomFields({ industry: 'Technology', size: '50-200' }, { size: null, region: 'SP' })
 * // { industry: 'Technology', region: 'SP' }
 */
export function mergeCustomFields(stored: Readonly<Record<string, unknown>>, sent: CustomFields): Record<string, unknown> {
  return withoutNullValues({ ...(stored as CustomFields), ...sent })
}
