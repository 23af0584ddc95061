import { GetRazeMockError } from '../errors/GetRazeMockError.js'
import { isLoopback } from '../admin/authorizeAdmin.js'
import type { MockServerOptions } from '../server/createMockServer.js'

/** The `serve` flags as yargs parses them. */
export interface ServeArgs {
  /** A number, or the raw text when yargs is told to keep it (so errors can quote it). */
  port: number | string
  host: string
  fixtures?: string[]
  now?: string
  quiet: boolean
  cors: boolean
  corsOrigin?: string[]
  maxBodyBytes: number | string
  /** Absent means the library default (10,000). */
  journalSize?: number | string
  /** `false` with --no-admin. */
  admin?: boolean
  adminToken?: string
}

function toNumber(value: number | string): number {
  return typeof value === 'number' ? value : value.trim() === '' ? Number.NaN : Number(value)
}

function invalid(flag: string, value: unknown, reason: string, fix: string): never {
  throw new GetRazeMockError('INVALID_OPTION', `Failed to parse ${flag}: ${JSON.stringify(value)} ${reason}. ${fix}.`)
}

/**
 * Maps parsed `serve` flags to `startMockServer` options. Pure: it checks values and builds a
 * new object; printing and starting are the caller's.
 *
 * @example
 * toServerOptions({ port: 4010, host: '127.0.0.1', quiet: true, cors: true, maxBodyBytes: 1048576 })
 */
export function toServerOptions(args: ServeArgs): Omit<MockServerOptions, 'onRequest'> {
  const port = toNumber(args.port)
  const maxBodyBytes = toNumber(args.maxBodyBytes)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    invalid('--port', args.port, 'is not a port number (0-65535)', 'Pass e.g. --port 4010, or --port 0 for a free port')
  }
  if (args.host.trim() === '') invalid('--host', args.host, 'is empty', 'Pass an interface address such as 127.0.0.1')
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1) {
    invalid('--max-body-bytes', args.maxBodyBytes, 'is not a positive whole number', 'Pass e.g. --max-body-bytes 1048576')
  }
  if (args.now !== undefined && Number.isNaN(Date.parse(args.now))) {
    invalid('--now', args.now, 'is not an ISO 8601 timestamp', 'Pass e.g. --now 2024-01-25T10:00:00Z')
  }
  for (const origin of args.corsOrigin ?? []) {
    if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin)) {
      invalid('--cors-origin', origin, 'is not an origin', 'Pass e.g. --cors-origin http://localhost:5173 (scheme, host and port, no path)')
    }
  }
  const journalSize = args.journalSize === undefined ? undefined : toNumber(args.journalSize)
  if (journalSize !== undefined && (!Number.isInteger(journalSize) || journalSize < 0)) {
    invalid('--journal-size', args.journalSize, 'is not a whole number >= 0', 'Pass e.g. --journal-size 10000, or 0 to turn the journal off')
  }
  if (args.adminToken !== undefined && args.adminToken.trim() === '') {
    throw new GetRazeMockError('INVALID_OPTION', 'Failed to parse --admin-token: the token is empty. Pass a secret of your choice, e.g. --admin-token "$(openssl rand -hex 16)".')
  }
  if (args.adminToken !== undefined && args.admin === false) {
    throw new GetRazeMockError('INVALID_OPTION', 'Failed to parse --admin-token: it cannot go with --no-admin. Drop one of them.')
  }
  const origins = args.corsOrigin && !args.corsOrigin.includes('*') ? [...args.corsOrigin] : '*'
  const options: Omit<MockServerOptions, 'onRequest'> = {
    port,
    host: args.host,
    cors: args.cors ? { origins } : false,
    maxBodyBytes,
    handleSignals: true,
  }
  if (args.fixtures && args.fixtures.length > 0) options.fixtures = [...args.fixtures]
  if (args.now !== undefined) options.now = args.now
  if (journalSize !== undefined) options.journalSize = journalSize
  if (args.admin === false) options.admin = false
  else if (args.adminToken !== undefined) options.admin = { token: args.adminToken }
  return options
}

/**
 * The start-up warning for an admin API reachable from the network without a token, or
 * `undefined`. (The API still answers only loopback clients then; the warning says why others
 * get 403.)
 *
 * @example
 * adminExposureWarning({ host: '0.0.0.0' }) // 'warning: ...'
 */
export function adminExposureWarning(options: Pick<MockServerOptions, 'host' | 'admin'>): string | undefined {
  const host = (options.host ?? '127.0.0.1').replace(/^\[|\]$/g, '')
  if (options.admin === false || options.admin?.token !== undefined || isLoopback(host)) return undefined
  return (
    `warning: listening on ${host} with the admin API (/__admin) on and no --admin-token: it answers only clients on this machine. ` +
    'Pass --admin-token <secret> to use it from elsewhere, or --no-admin to turn it off.'
  )
}
