import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs'
import { parseInstant } from '../core/createClock.js'
import { GetRazeMockError } from '../errors/GetRazeMockError.js'
import { checkAdminToken, checkAllowedHosts, isLoopback } from '../admin/authorizeAdmin.js'
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
  headersTimeout?: number | string
  requestTimeout?: number | string
  keepAliveTimeout?: number | string
  gracePeriod?: number | string
  /** Absent when the flag is not given: the library's default applies. */
  maxFixtureBytes?: number | string
  /** Absent means the library default (10,000). */
  journalSize?: number | string
  /** An array when the flag is repeated (refused). */
  seed?: string | number | Array<string | number>
  /** `false` with --no-admin. */
  admin?: boolean
  /** An array when the flag is repeated (refused). */
  adminToken?: string | string[]
  adminTokenFile?: string | string[]
  adminAllowedHost?: string[]
}

/** Where `toServerOptions` may look for the admin token besides the flags; none by default (pure). */
export interface AdminTokenSources {
  /** The environment, for `GETRAZE_MOCK_ADMIN_TOKEN`. @default {} */
  env?: Readonly<Record<string, string | undefined>>
  /** Reads `--admin-token-file`. @default none: the flag is refused */
  readTokenFile?: (path: string) => string
}

/** The environment variable that holds the admin token, so it stays out of `ps` and /proc/<pid>/cmdline. */
export const adminTokenVariable = 'GETRAZE_MOCK_ADMIN_TOKEN'

/** The millisecond flags and the options they set. */
const millisecondFlags = [
  ['headersTimeout', '--headers-timeout', 'headersTimeoutMs'],
  ['requestTimeout', '--request-timeout', 'requestTimeoutMs'],
  ['keepAliveTimeout', '--keep-alive-timeout', 'keepAliveTimeoutMs'],
  ['gracePeriod', '--grace-period', 'gracePeriodMs'],
] as const

function toNumber(value: unknown): number {
  // A flag given twice arrives as an array: not a number, so it gets the flag's own message.
  if (typeof value === 'number') return value
  return typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN
}

/** ISO 8601 as the flag documents it: a date, or a date-time with an optional zone (none means UTC). */
const isoInstant = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/i

/** `--now` as one UTC instant, whole seconds without a fraction: what the mock uses and the banner prints. */
function toUtcInstant(text: string): string {
  const date = isoInstant.test(text) ? parseInstant(text) : undefined
  if (date === undefined) invalid('--now', text, 'is not an ISO 8601 timestamp', 'Pass e.g. --now 2024-01-25T10:00:00Z')
  return date.toISOString().replace('.000Z', 'Z')
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
export function toServerOptions(parsed: ServeArgs, sources: AdminTokenSources = {}): Omit<MockServerOptions, 'onRequest'> {
  // --now becomes one UTC instant first (a zone-less one is UTC), so all below sees that.
  const args: ServeArgs = { ...parsed, now: parsed.now === undefined ? undefined : toUtcInstant(parsed.now) }
  const port = toNumber(args.port)
  const maxBodyBytes = toNumber(args.maxBodyBytes)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    invalid('--port', args.port, 'is not a port number (0-65535)', 'Pass e.g. --port 4010, or --port 0 for a free port')
  }
  if (args.host.trim() === '') invalid('--host', args.host, 'is empty', 'Pass an interface address such as 127.0.0.1')
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1) {
    invalid('--max-body-bytes', args.maxBodyBytes, 'is not a positive whole number', 'Pass e.g. --max-body-bytes 1048576')
  }
  const maxFixtureBytes = args.maxFixtureBytes === undefined ? undefined : toNumber(args.maxFixtureBytes)
  if (maxFixtureBytes !== undefined && (!Number.isSafeInteger(maxFixtureBytes) || maxFixtureBytes < 1)) {
    invalid('--max-fixture-bytes', args.maxFixtureBytes, 'is not a positive whole number', 'Pass e.g. --max-fixture-bytes 2147483648')
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
  if (Array.isArray(args.seed)) {
    throw new GetRazeMockError('INVALID_OPTION', 'Failed to parse --seed: it is given more than once. Give it once.')
  }
  if (args.seed !== undefined && String(args.seed).trim() === '') {
    invalid('--seed', String(args.seed), 'is empty', 'Pass e.g. --seed my-test')
  }
  const adminToken = resolveAdminToken(args, sources)
  const allowedHosts = args.adminAllowedHost === undefined ? undefined : checkAllowedHosts(args.adminAllowedHost, adminToken !== undefined, 'parse --admin-allowed-host')
  if (allowedHosts !== undefined && args.admin === false) {
    throw new GetRazeMockError('INVALID_OPTION', 'Failed to parse --admin-allowed-host: it cannot go with --no-admin. Drop one of them.')
  }
  const origins = args.corsOrigin && !args.corsOrigin.includes('*') ? [...args.corsOrigin] : '*'
  const options: Omit<MockServerOptions, 'onRequest'> = {
    port,
    host: args.host,
    cors: args.cors ? { origins } : false,
    maxBodyBytes,
    handleSignals: true,
  }
  for (const [arg, flag, option] of millisecondFlags) {
    const raw = args[arg]
    if (raw === undefined) continue
    const value = toNumber(raw)
    if (!Number.isInteger(value) || value < 1) invalid(flag, raw, 'is not a positive whole number of milliseconds', `Pass e.g. ${flag} 5000`)
    options[option] = value
  }
  if (args.fixtures && args.fixtures.length > 0) options.fixtures = [...args.fixtures]
  if (args.now !== undefined) options.now = args.now
  if (maxFixtureBytes !== undefined) options.maxFixtureBytes = maxFixtureBytes
  if (journalSize !== undefined) options.journalSize = journalSize
  if (args.seed !== undefined) options.seed = String(args.seed)
  if (args.admin === false) options.admin = false
  else if (adminToken !== undefined || allowedHosts !== undefined) {
    options.admin = {}
    if (adminToken !== undefined) options.admin.token = adminToken
    if (allowedHosts !== undefined) options.admin.allowedHosts = allowedHosts
  }
  return options
}

function once(flag: string, value: string | string[] | undefined): string | undefined {
  if (!Array.isArray(value)) return value
  // yargs gives a repeated flag as an array; it once reached `.trim()` and printed "This is a bug".
  throw new GetRazeMockError('INVALID_OPTION', `Failed to parse ${flag}: it is given ${value.length} times. Pass it once.`)
}

/**
 * The admin token from `--admin-token`, `--admin-token-file` or `GETRAZE_MOCK_ADMIN_TOKEN`, in that
 * order (a flag wins over the environment; the two flags cannot go together), checked so that a
 * token no request could match is refused. Messages never repeat it.
 */
function resolveAdminToken(args: ServeArgs, sources: AdminTokenSources): string | undefined {
  const flag = once('--admin-token', args.adminToken)
  const file = once('--admin-token-file', args.adminTokenFile)
  if (flag !== undefined && file !== undefined) {
    throw new GetRazeMockError('INVALID_OPTION', 'Failed to parse --admin-token-file: it cannot go with --admin-token. Pass the token one way.')
  }
  const given = flag ?? file
  if (given !== undefined && args.admin === false) {
    throw new GetRazeMockError('INVALID_OPTION', `Failed to parse ${flag !== undefined ? '--admin-token' : '--admin-token-file'}: it cannot go with --no-admin. Drop one of them.`)
  }
  if (flag !== undefined) return checkAdminToken(flag, 'parse --admin-token')
  if (file !== undefined) {
    if (!sources.readTokenFile) throw new GetRazeMockError('INVALID_OPTION', 'Failed to parse --admin-token-file: files cannot be read here. Pass the token with --admin-token.')
    return checkAdminToken(sources.readTokenFile(file), `read --admin-token-file ${file}`)
  }
  const fromEnv = sources.env?.[adminTokenVariable]
  // An empty variable counts as unset, as shells leave it; --no-admin turns the API off whatever it holds.
  if (fromEnv === undefined || fromEnv === '' || args.admin === false) return undefined
  return checkAdminToken(fromEnv, `read ${adminTokenVariable}`)
}

/** Largest admin token file read: a token is a line, not a document. */
const maxTokenFileBytes = 4096

/**
 * Reads `--admin-token-file`: a regular file of at most 4 KiB, whose surrounding whitespace (the
 * newline `echo` adds) is dropped. Errors name the file, never its content.
 *
 * @example
 * readAdminTokenFile('/run/secrets/getraze-admin-token')
 */
export function readAdminTokenFile(path: string): string {
  const fail = (reason: string, fix: string, cause?: unknown): never => {
    throw new GetRazeMockError('INVALID_OPTION', `Failed to read --admin-token-file ${path}: ${reason}. ${fix}.`, { cause })
  }
  let fd: number | undefined
  try {
    // Non-blocking, checked on the descriptor, read at most one byte past the limit: a FIFO or a
    // device cannot hang or flood start-up.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0))
    if (!fstatSync(fd).isFile()) fail('it is not a regular file', 'Pass the path of a file that holds the token')
    const buffer = Buffer.alloc(maxTokenFileBytes + 1)
    const length = readSync(fd, buffer, 0, buffer.length, 0)
    if (length > maxTokenFileBytes) fail(`it is longer than a token (at most ${maxTokenFileBytes} bytes)`, 'Pass a file that holds only the token')
    return buffer.toString('utf8', 0, length).trim()
  } catch (error) {
    if (error instanceof GetRazeMockError) throw error
    const code = (error as NodeJS.ErrnoException).code
    return fail(code === 'ENOENT' ? 'the file does not exist' : `it cannot be read (${code ?? 'unknown error'})`, 'Check the path and its permissions', error)
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
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
