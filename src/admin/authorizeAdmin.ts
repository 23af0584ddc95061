import { quoteValue } from '../control/quoteValue.js'
import { GetRazeMockError } from '../errors/GetRazeMockError.js'
import { adminError } from './adminError.js'
import type { AdminResponse } from './createAdminRouter.js'

/** Whether an address is the local machine's (IPv4 127/8, IPv6 ::1, or IPv4-mapped 127/8). */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address
  return v4.startsWith('127.') || address === '::1' || address === 'localhost'
}

/** Who may call the admin API, resolved once where the server is created. */
export interface AdminAccess {
  /**
   * The admin token: requests must send `Authorization: Bearer <token>` (from any machine).
   * @default none (loopback clients only)
   */
  token?: string
  /**
   * Host names the admin API answers besides the loopback ones (`localhost`, `127.x.x.x`,
   * `[::1]`): the server's own `host`, and any forwarded name allowed on purpose. `'*'` allows
   * any `Host` (only with a token).
   * @default []
   */
  allowedHosts?: readonly string[]
}

/** What `authorizeAdmin` reads of a request. */
export interface AdminCaller {
  /** The peer's address (`socket.remoteAddress`). */
  remoteAddress: string | undefined
  /** The `Authorization` header. */
  authorization: string | undefined
  /** The `Host` header, as sent (with its port). */
  host: string | undefined
  /** The `Origin` header, which browsers add to cross-origin and to every non-GET request. */
  origin: string | undefined
}

/** Compares without stopping at the first differing character. */
function sameSecret(given: string, expected: string): boolean {
  let differ = given.length ^ expected.length
  for (let i = 0; i < expected.length; i++) differ |= (given.charCodeAt(i) || 0) ^ expected.charCodeAt(i)
  return differ === 0
}

/**
 * The host name of a `Host` header, a listen address or an allowed name, as a URL has it (lower
 * case, IPs canonical, IPv6 in brackets, no port); `undefined` if it is none.
 *
 * @example
 * hostName('[::1]:4010') // '[::1]'
 */
export function hostName(host: string): string | undefined {
  // What a URL would read as user info, a path or a query is no part of a host name.
  if (/[\s/?#@\\]/.test(host)) return undefined
  const name = host.includes(':') && !host.startsWith('[') && host.indexOf(':') !== host.lastIndexOf(':') ? `[${host}]` : host
  try {
    return new URL(`http://${name}`).hostname.replace(/\.$/, '')
  } catch {
    return undefined
  }
}

function isLoopbackName(name: string): boolean {
  return name === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(name) || name === '[::1]' || /^\[::ffff:127\./.test(name) || /^\[::ffff:7f/.test(name)
}

/** The origins a page served by this server itself would send: the `Host` it called, over http or https. */
function isOwnOrigin(origin: string, host: string): boolean {
  let given: string
  try {
    given = new URL(origin).origin
  } catch {
    return false
  }
  try {
    return given === new URL(`http://${host}`).origin || given === new URL(`https://${host}`).origin
  } catch {
    return false
  }
}

/** Printable ASCII without spaces: what `Authorization: Bearer <token>` can carry and match. */
const tokenPattern = /^[\x21-\x7e]+$/

/**
 * Checks an admin token before the server starts, so that a value that could never match (empty,
 * blank, with a space or a character a header cannot carry) is refused with a message rather than
 * locking everyone out. The message never repeats the token.
 *
 * @example
 * checkAdminToken('my token', 'parse --admin-token') // throws INVALID_OPTION
 */
export function checkAdminToken(token: unknown, action: string): string {
  const fix = 'Use printable ASCII without spaces, e.g. the output of `openssl rand -hex 16`.'
  if (typeof token !== 'string') {
    throw new GetRazeMockError('INVALID_OPTION', `Failed to ${action}: the token must be a string. ${fix}`)
  }
  if (token.trim() === '') throw new GetRazeMockError('INVALID_OPTION', `Failed to ${action}: the token is empty. ${fix}`)
  if (!tokenPattern.test(token)) {
    throw new GetRazeMockError(
      'INVALID_OPTION',
      `Failed to ${action}: the token holds a space or a character an Authorization header cannot carry, so no request could ever match it. ${fix}`,
    )
  }
  return token
}

/**
 * Checks the allowed host names before the server starts.
 *
 * @example
 * checkAllowedHosts(['mock.example.test'], true, 'parse --admin-allowed-host') // ['mock.example.test']
 */
export function checkAllowedHosts(hosts: unknown, hasToken: boolean, action: string): string[] {
  if (!Array.isArray(hosts)) throw new GetRazeMockError('INVALID_OPTION', `Failed to ${action}: it must be a list of host names. Pass e.g. ['mock.example.test'].`)
  return hosts.map((host: unknown) => {
    if (host === '*') {
      if (!hasToken) {
        throw new GetRazeMockError(
          'INVALID_OPTION',
          `Failed to ${action}: "*" (any Host) needs an admin token, or any page could reach the admin API through DNS rebinding. Add --admin-token, or list the host names.`,
        )
      }
      return '*'
    }
    const name = typeof host === 'string' ? hostName(host) : undefined
    if (name === undefined || name === '') {
      throw new GetRazeMockError('INVALID_OPTION', `Failed to ${action}: ${quoteValue(host)} is not a host name. Pass a name such as mock.example.test (a port is ignored).`)
    }
    return name
  })
}

const refusal = 'Failed to authorize the admin request'

/**
 * Decides whether an admin request may proceed. In order: the `Host` must be a loopback name, the
 * server's own host or an allowed one (DNS rebinding); an `Origin`, if sent, must be the server's
 * own (a page on another origin); then, with a token, `Authorization: Bearer <token>` from anywhere,
 * without one, only loopback clients. Returns the refusal in the envelope with the admin API's own
 * codes, or `undefined` to go on. Messages never repeat the token.
 *
 * @example
 * authorizeAdmin({ remoteAddress: '127.0.0.1', authorization: undefined, host: '127.0.0.1:4010', origin: undefined }, {}) // undefined
 */
export function authorizeAdmin(caller: AdminCaller, access: AdminAccess): AdminResponse | undefined {
  const allowed = access.allowedHosts ?? []
  if (!allowed.includes('*')) {
    if (caller.host === undefined) {
      return adminError('ADMIN_FORBIDDEN', `${refusal}: the request has no Host header. Send one, as every HTTP/1.1 client does.`)
    }
    const name = hostName(caller.host)
    if (name === undefined || (!isLoopbackName(name) && !allowed.includes(name))) {
      return adminError(
        'ADMIN_FORBIDDEN',
        `${refusal}: Host ${quoteValue(caller.host)} is not a name of this server. The admin API answers requests addressed to localhost, 127.0.0.1, [::1] or its --host, so that no web page can reach it through DNS rebinding. ` +
          'To call it through another name (a tunnel, a proxy), start the server with --admin-allowed-host <name> and an --admin-token.',
      )
    }
  }
  if (caller.origin !== undefined && (caller.host === undefined || !isOwnOrigin(caller.origin, caller.host))) {
    return adminError(
      'ADMIN_FORBIDDEN',
      `${refusal}: it comes from a web page on another origin (Origin ${quoteValue(caller.origin)}). The admin API takes requests from test code, not from pages: call it from Node (connectAdmin), curl or a test runner.`,
    )
  }
  const { token } = access
  if (token !== undefined) {
    const given = /^Bearer\s+(\S+)$/i.exec(caller.authorization?.trim() ?? '')?.[1]
    if (given === undefined) {
      return adminError('ADMIN_TOKEN_REQUIRED', 'The admin API needs the admin token: send Authorization: Bearer <token> (the value of --admin-token).')
    }
    if (!sameSecret(given, token)) return adminError('ADMIN_TOKEN_INVALID', 'The admin token is wrong. Send the value of --admin-token as Authorization: Bearer <token>.')
    return undefined
  }
  if (isLoopback(caller.remoteAddress)) return undefined
  return adminError(
    'ADMIN_FORBIDDEN',
    'The admin API answers only clients on this machine. Start the server with --admin-token <token> to allow others, and send it as Authorization: Bearer <token>.',
  )
}
