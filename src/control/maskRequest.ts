import { maskApiKey, maskQueryApiKeys } from '../core/queryApiKey.js'

export { maskApiKey }

/**
 * The query string with every `api_key` value masked, found with the same parsing that reads the
 * key (so `?api%5Fkey=` is masked too), as in the request log.
 */
export function maskQuery(query: string): string {
  return maskQueryApiKeys(query, maskApiKey)
}

/** Masks the value of a key-bearing header: `X-API-Key: gr_liv***`, `Authorization: Bearer gr_liv***`. */
export function maskHeader(name: string, value: string): string {
  if (name === 'x-api-key') return maskApiKey(value.trim())
  if (name === 'authorization') {
    const match = /^(\S+)(\s+)(\S+)$/.exec(value.trim())
    return match ? `${match[1]}${match[2]}${maskApiKey(match[3]!)}` : maskApiKey(value.trim())
  }
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
