import { apiError } from '../core/apiError.js'
import type { AdminResponse } from './createAdminRouter.js'

/** Whether an address is the local machine's (IPv4 127/8, IPv6 ::1, or IPv4-mapped 127/8). */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address
  return v4.startsWith('127.') || address === '::1' || address === 'localhost'
}

/** Compares without stopping at the first differing character. */
function sameSecret(given: string, expected: string): boolean {
  let differ = given.length ^ expected.length
  for (let i = 0; i < expected.length; i++) differ |= (given.charCodeAt(i) || 0) ^ expected.charCodeAt(i)
  return differ === 0
}

/**
 * Decides whether an admin request may proceed: with a token, only `Authorization: Bearer
 * <token>` (from anywhere); without one, only loopback clients. Returns the refusal, or
 * `undefined` to go on. Messages never repeat the token.
 *
 * @example
 * authorizeAdmin({ remoteAddress: '127.0.0.1', authorization: undefined }, undefined) // undefined
 */
export function authorizeAdmin(
  client: { remoteAddress: string | undefined; authorization: string | undefined },
  token: string | undefined,
): AdminResponse | undefined {
  if (token !== undefined) {
    const given = /^Bearer\s+(\S+)$/i.exec(client.authorization?.trim() ?? '')?.[1]
    if (given === undefined) {
      return apiError('MISSING_API_KEY', 'The admin API needs the admin token: send Authorization: Bearer <token> (the value of --admin-token).')
    }
    if (!sameSecret(given, token)) return apiError('INVALID_API_KEY', 'The admin token is wrong. Send the value of --admin-token as Authorization: Bearer <token>.')
    return undefined
  }
  if (isLoopback(client.remoteAddress)) return undefined
  return apiError(
    'INSUFFICIENT_PERMISSIONS',
    'The admin API answers only clients on this machine. Start the server with --admin-token <token> to allow others, and send it as Authorization: Bearer <token>.',
  )
}
