/** A URL with its credentials taken out, the header that carries them, and the secrets to hide. */
export interface CredentialFreeUrl {
  /** The URL without `user:password@`. */
  url: string
  /** `Basic base64(user:password)` when the URL carried credentials. */
  authorization: string | undefined
  /** What must never be printed: the password, the encoded pair, credential-named query values. */
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
  if (!url.username && !url.password) return { url: text, authorization: undefined, secrets: queryCredentials(url) }
  const user = decodeURIComponent(url.username)
  const password = decodeURIComponent(url.password)
  const encoded = Buffer.from(`${user}:${password}`).toString('base64')
  url.username = ''
  url.password = ''
  const secrets = [password, encoded, `${user}:${password}`].filter((secret) => secret.length > 0)
  return { url: url.toString(), authorization: `Basic ${encoded}`, secrets: [...secrets, ...rawCredentials(text), ...queryCredentials(url)] }
}

// Values of query parameters named like credentials (?api_key=..., ?token=...), as sent and decoded.
function queryCredentials(url: URL): string[] {
  const values: string[] = []
  for (const [name, value] of url.searchParams) {
    if (secretQueryKey.test(name) && value.length > 0) values.push(value)
  }
  const raw = url.search.slice(1).split('&').map((pair) => pair.slice(pair.indexOf('=') + 1))
  return [...values, ...raw.filter((value) => values.some((decoded) => decoded !== value && safeDecode(value) === decoded))]
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '))
  } catch {
    return text
  }
}

// The credentials as written in the URL (still percent-encoded), so they are hidden too.
function rawCredentials(text: string): string[] {
  const match = text.match(/^[a-z][a-z0-9+.-]*:\/\/([^/?#@]*)@/i)
  if (!match) return []
  const [user = '', password = ''] = match[1]!.split(':')
  return [password, match[1]!].filter((secret) => secret.length > 0 && secret !== user)
}

// Query parameters whose values are credentials by their name (api_key, access_token, sig, ...).
const secretQueryKey = /^(?:.*(?:token|key|secret|passw(?:or)?d|pwd|auth|credential|session|signature)|sig|code)$/i

/**
 * A URL as it may be printed: credentials become `***:***`, and so do the values of query
 * parameters named like credentials (`api_key`, `token`, `sig`, ...). It works on text that
 * is not a valid URL too (a mistyped flag): there everything up to the last `@` is taken for
 * credentials, since a password may hold the characters that end a host.
 *
 * @example
 * redactUrl('http://ci:s3cret@staging.example/') // 'http://***:***@staging.example/'
 * redactUrl('http://ci:PASS@127.0.0.1:99999') // 'http://***:***@127.0.0.1:99999'
 */
export function redactUrl(text: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(text)
  const start = scheme ? scheme[0].length : 0
  let valid = false
  try {
    valid = scheme !== null && new URL(text).host !== ''
  } catch {
    valid = false
  }
  // A valid URL's authority ends at the first / ? # or \; in anything else, a password may
  // hold any of them, so everything up to the last @ is hidden.
  const stop = valid ? text.slice(start).search(/[/?#\\]/) : -1
  const authorityEnd = stop === -1 ? text.length : start + stop
  const at = text.lastIndexOf('@', authorityEnd - 1)
  let shown = at >= start && (scheme !== null || !/\s/.test(text)) ? `${text.slice(0, start)}***:***${text.slice(at)}` : text
  shown = shown.replace(/([?&;])([^=&#;]*)=([^&#;]*)/g, (whole, separator: string, name: string) => {
    let decoded = name
    try {
      decoded = decodeURIComponent(name)
    } catch {
      decoded = name
    }
    return secretQueryKey.test(decoded) ? `${separator}${name}=***` : whole
  })
  return shown
}

/**
 * Why a text is not a URL `new URL` accepts, in words that quote none of it (so none of its
 * credentials); `undefined` when it is one.
 *
 * @example
 * urlProblem('http://ci:PASS@127.0.0.1:99999') // 'is not a URL: port 99999 is out of range (1-65535)'
 */
export function urlProblem(value: string): string | undefined {
  try {
    new URL(value)
    return undefined
  } catch {
    // Diagnosed on the text after the credentials.
    const shown = redactUrl(value)
    if (/\s/.test(shown)) return 'is not a URL: it contains a space'
    const port = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*:(\d+)(?:[/?#]|$)/i.exec(shown)?.[1]
    if (port !== undefined && Number(port) > 65535) return `is not a URL: port ${port} is out of range (1-65535)`
    return 'is not a URL'
  }
}

/**
 * The forms a secret can take in what a provider echoes or Pact prints: as it is, percent- and
 * form-encoded, escaped inside a JSON string, base64 and base64url (alone, and the part that
 * stays the same wherever it sits inside a longer base64 text).
 */
function secretForms(secret: string): string[] {
  const forms = [secret]
  const percent = encodeURIComponent(secret)
  forms.push(percent, percent.replace(/%20/g, '+'), percent.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()))
  forms.push(JSON.stringify(secret).slice(1, -1))
  const bytes = Buffer.from(secret)
  for (let offset = 0; offset < 3; offset += 1) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64')
    // The characters that depend on the secret's bytes only (not on what precedes or follows).
    const core = encoded.slice(offset === 0 ? 0 : 4, Math.floor((offset + bytes.length) / 3) * 4)
    if (core.length >= 8) forms.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'))
  }
  const whole = bytes.toString('base64')
  forms.push(whole, whole.replace(/=+$/, ''), bytes.toString('base64url'))
  return forms
}

/**
 * A function that replaces every known secret in a text with `***`, in every form it may take
 * (percent-encoded, JSON-escaped, base64, base64url). Longer forms are replaced first, so one
 * that contains another is hidden whole. Secrets shorter than 3 characters are not looked for.
 *
 * @example
 * const redact = createRedactor(['s3cret'])
 * redact('Bearer s3cret') // 'Bearer ***'
 * redact('token=czNjcmV0') // 'token=***'
 */
export function createRedactor(secrets: readonly string[]): (text: string) => string {
  const known = [...new Set(secrets.filter((secret) => secret.length >= 3).flatMap(secretForms).filter((form) => form.length >= 3))].sort((a, b) => b.length - a.length)
  if (known.length === 0) return (text) => text
  const pattern = new RegExp(known.map((secret) => secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g')
  return (text) => text.replace(pattern, '***')
}

/** Longest line passed on whole; the rest of a longer one is dropped, so memory stays bounded. */
const lineLimit = 1024 * 1024
const cutMargin = 4096

/**
 * Splits a byte stream into lines and passes each on redacted. A secret can never be split
 * between two chunks, since nothing is redacted or passed on before its line is complete.
 *
 * @example
 * const filter = createLineFilter(redact, (line) => process.stderr.write(`${line}\n`))
 * child.stdout.on('data', (chunk) => filter.write(chunk))
 * child.stdout.on('end', () => filter.end())
 */
export function createLineFilter(redact: (text: string) => string, emit: (line: string) => void): { write(chunk: Buffer): void; end(): void } {
  let pending: Buffer[] = []
  let size = 0
  let cut = false
  const flush = () => {
    let line = Buffer.concat(pending).toString('utf8').replace(/\r$/, '')
    // A secret may straddle the cut: the end of a cut line is dropped with what follows it.
    if (cut) line = `${line.slice(0, Math.max(0, line.length - cutMargin))} … (line cut)`
    emit(redact(line))
    pending = []
    size = 0
    cut = false
  }
  return {
    write(chunk) {
      let rest = chunk
      for (let newline = rest.indexOf(10); newline !== -1; newline = rest.indexOf(10)) {
        const piece = rest.subarray(0, newline)
        if (!cut) pending.push(piece.subarray(0, Math.max(0, lineLimit - size)))
        if (size + piece.length > lineLimit) cut = true
        flush()
        rest = rest.subarray(newline + 1)
      }
      if (rest.length === 0 || cut) return
      const kept = rest.subarray(0, Math.max(0, lineLimit - size))
      pending.push(kept)
      size += kept.length
      if (kept.length < rest.length) cut = true
    },
    end() {
      if (size > 0 || cut) flush()
    },
  }
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
