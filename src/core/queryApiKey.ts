/**
 * The `?api_key=` query parameter, read one way everywhere: the core reads the key with it and
 * the request log masks with it. The log once masked only a literal `api_key=`, so a key sent as
 * `?api%5Fkey=` (the same name, percent-encoded) was printed whole.
 */

/**
 * Masks an API key for logs and the journal: enough of its start to tell keys apart, never the
 * secret part.
 *
 * @example
 * maskApiKey('gr_live_abcdef123456') // 'gr_liv***'
 */
export function maskApiKey(key: string): string {
  return `${key.slice(0, Math.min(6, Math.floor(key.length / 3)))}***`
}

/** Cheap pre-check, so the hot path parses a query only when a key could be in it. */
function mayHoldApiKey(query: string): boolean {
  return query.includes('key') || query.includes('%')
}

/** Decodes a query component as URLSearchParams does (`+` is a space), never throwing. */
function decodeComponent(text: string): string {
  return new URLSearchParams(`v=${text}`).get('v') ?? ''
}

/**
 * Reads the API key from a query string (without `?`), decoding names and values as
 * URLSearchParams does; an empty value counts as absent.
 *
 * @example
 * readQueryApiKey('api%5Fkey=YOUR_API_KEY') // 'YOUR_API_KEY'
 */
export function readQueryApiKey(query: string): string | undefined {
  if (query === '' || !mayHoldApiKey(query)) return undefined
  return new URLSearchParams(query).get('api_key')?.trim() || undefined
}

/**
 * Replaces the value of every parameter whose decoded name is `api_key` with `mask(value)`,
 * leaving the rest of the query as it was sent.
 *
 * @example
 * maskQueryApiKeys('api%5Fkey=gr_live_abcdef&x=1', (key) => `${key.slice(0, 3)}***`) // 'api%5Fkey=gr_***&x=1'
 */
export function maskQueryApiKeys(query: string, mask: (key: string) => string): string {
  if (query === '' || !mayHoldApiKey(query)) return query
  return query
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=')
      const name = equals === -1 ? pair : pair.slice(0, equals)
      if (decodeComponent(name) !== 'api_key') return pair
      return `${name}=${mask(decodeComponent(equals === -1 ? '' : pair.slice(equals + 1)))}`
    })
    .join('&')
}
