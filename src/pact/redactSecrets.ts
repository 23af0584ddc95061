/** A URL with its credentials taken out, the header that carries them, and the secrets to hide. */
export interface CredentialFreeUrl {
  /** The URL without `user:password@`. */
  url: string
  /** `Basic base64(user:password)` when the URL carried credentials. */
  authorization: string | undefined
  /** What must never be printed: the password, the user and the encoded pair. */
  secrets: string[]
}

/**
 * Takes `user:password@` out of a URL. The credentials travel as an `Authorization: Basic`
 * header instead, because `fetch` and Pact both refuse or print URLs with credentials.
 *
 * @example
 * splitUrlCredentials('http://ci:s3cret@staging.example/_pact') // { url: 'http://staging.example/_pact', authorization: 'Basic Y2k6czNjcmV0', ... }
 */
export function splitUrlCredentials(text: string): CredentialFreeUrl {
  const url = new URL(text)
  if (!url.username && !url.password) return { url: text, authorization: undefined, secrets: [] }
  const user = decodeURIComponent(url.username)
  const password = decodeURIComponent(url.password)
  const encoded = Buffer.from(`${user}:${password}`).toString('base64')
  url.username = ''
  url.password = ''
  const secrets = [password, encoded, `${user}:${password}`].filter((secret) => secret.length > 0)
  return { url: url.toString(), authorization: `Basic ${encoded}`, secrets: [...secrets, ...rawCredentials(text)] }
}

// The credentials as written in the URL (still percent-encoded), so they are hidden too.
function rawCredentials(text: string): string[] {
  const match = text.match(/^[a-z][a-z0-9+.-]*:\/\/([^/?#@]*)@/i)
  if (!match) return []
  const [user = '', password = ''] = match[1]!.split(':')
  return [password, match[1]!].filter((secret) => secret.length > 0 && secret !== user)
}

/**
 * A URL as it may be printed: credentials become `***`.
 *
 * @example
 * redactUrl('http://ci:s3cret@staging.example/') // 'http://***:***@staging.example/'
 */
export function redactUrl(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, '$1***:***@')
}

/**
 * A function that replaces every known secret in a text with `***`. Longer secrets are replaced
 * first, so one that contains another is hidden whole.
 *
 * @example
 * const redact = createRedactor(['s3cret'])
 * redact('Bearer s3cret') // 'Bearer ***'
 */
export function createRedactor(secrets: readonly string[]): (text: string) => string {
  const known = [...new Set(secrets.filter((secret) => secret.length >= 3))].sort((a, b) => b.length - a.length)
  if (known.length === 0) return (text) => text
  const pattern = new RegExp(known.map((secret) => secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g')
  return (text) => text.replace(pattern, '***')
}

/**
 * Applies a redactor to every string in a JSON-like value (keys included), returning a copy.
 *
 * @example
 * redactDeep({ target: 'http://x', body: 'Bearer s3cret' }, createRedactor(['s3cret']))
 */
export function redactDeep<T>(value: T, redact: (text: string) => string): T {
  if (typeof value === 'string') return redact(value) as T
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, redact)) as T
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [redact(key), redactDeep(item, redact)])) as T
  }
  return value
}
