import { maskApiKey, maskQueryApiKeys } from '../core/queryApiKey.js'

export { maskApiKey }

/**
 * The query string with every `api_key` value masked, found with the same parsing that reads the
 * key (so `?api%5Fkey=` is masked too), as in the request log.
 */
export function maskQuery(query: string): string {
  return maskQueryApiKeys(query, maskApiKey)
}

/** What an `X-` header's name holds when it carries a credential (`X-Auth-Token`, `X-Session-Id`, `X-Amz-Security-Token`...). */
const credentialInXName = /token|auth|key|secret|session|passw|credential|signature|cookie/

/**
 * The lower-case name of a header whose value the journal keeps masked, or `undefined`:
 * `Authorization`, `Proxy-Authorization`, `Cookie`, `Set-Cookie`, `X-API-Key`, and any `X-` header
 * whose name holds token, auth, key, secret, session, passw(ord), credential, signature or cookie.
 * Checked per header on every journaled request, so most names are ruled out by their first
 * character and length before anything is lower-cased.
 *
 * @example
 * credentialHeader('Cookie') // 'cookie'
 * credentialHeader('Accept') // undefined
 */
export function credentialHeader(name: string): string | undefined {
  const first = name.charCodeAt(0) | 0x20
  const length = name.length
  if (first === 0x78 /* x */) {
    if (name.charCodeAt(1) !== 0x2d /* - */) return undefined
    const lower = name.toLowerCase()
    return lower === 'x-api-key' || credentialInXName.test(lower) ? lower : undefined
  }
  let wanted: string
  if (first === 0x61 /* a */ && length === 13) wanted = 'authorization'
  else if (first === 0x63 /* c */ && length === 6) wanted = 'cookie'
  else if (first === 0x73 /* s */ && length === 10) wanted = 'set-cookie'
  else if (first === 0x70 /* p */ && length === 19) wanted = 'proxy-authorization'
  else return undefined
  return name.toLowerCase() === wanted ? wanted : undefined
}

/** `a=1; b=2` as `a=***; b=***`: which cookies were sent, not what they hold. */
function maskCookies(value: string, separator: string): string {
  return value
    .split(separator)
    .map((pair) => {
      const equals = pair.indexOf('=')
      return equals === -1 ? '***' : `${pair.slice(0, equals).trim()}=***`
    })
    .join(separator === ';' ? '; ' : separator)
}

/**
 * Masks the value of a credential header (see `credentialHeader`): `X-API-Key: gr_liv***`,
 * `Authorization: Bearer gr_liv***`, `Cookie: session=***; theme=***`. Other headers pass as they are.
 */
export function maskHeader(name: string, value: string): string {
  if (name === 'authorization' || name === 'proxy-authorization') {
    const match = /^(\S+)(\s+)(\S+)$/.exec(value.trim())
    return match ? `${match[1]}${match[2]}${maskApiKey(match[3]!)}` : maskApiKey(value.trim())
  }
  if (name === 'cookie') return maskCookies(value, ';')
  // Only the cookie's name: its attributes follow the first `;`.
  if (name === 'set-cookie') return maskCookies(value.split(';')[0]!, '\n')
  if (name === 'x-api-key' || credentialHeader(name) !== undefined) return maskApiKey(value.trim())
  return value
}

/**
 * A 53-bit fingerprint of a key (cyrb53), so `apiKey` filters can match the whole key while the
 * journal keeps only a masked copy. Not a security measure: a way not to keep the key.
 */
export function fingerprintKey(key: string): number {
  let h1 = 0xdeadbeef
  let h2 = 0x41c6ce57
  for (let i = 0; i < key.length; i++) {
    const ch = key.charCodeAt(i)
    h1 = Math.imul(h1 ^ ch, 2654435761)
    h2 = Math.imul(h2 ^ ch, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return 4294967296 * (2097151 & h2) + (h1 >>> 0)
}
