import { expect, it } from 'vitest'
import { GetRazeMockError } from '../errors/GetRazeMockError.js'
import { adminExposureWarning, toServerOptions } from './toServerOptions.js'
import type { ServeArgs } from './toServerOptions.js'

/** The flags as yargs hands them over when none are given. */
function buildArgs(overrides: Partial<ServeArgs> = {}): ServeArgs {
  return { port: 4010, host: '127.0.0.1', quiet: false, cors: true, maxBodyBytes: 1048576, ...overrides }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child)
    Object.freeze(value)
  }
  return value
}

it('maps the default flags to the server defaults, with signal handling on', () => {
  expect(toServerOptions(buildArgs())).toEqual({
    port: 4010,
    host: '127.0.0.1',
    cors: { origins: '*' },
    maxBodyBytes: 1048576,
    handleSignals: true,
  })
})

it('leaves fixtures and now out when the flags are absent, so the library defaults apply', () => {
  const options = toServerOptions(buildArgs({ fixtures: [] }))

  expect(Object.keys(options)).not.toContain('fixtures')
  expect(Object.keys(options)).not.toContain('now')
})

it('passes fixture paths in order and the frozen clock through', () => {
  const options = toServerOptions(buildArgs({ fixtures: ['a.json', 'b.json'], now: '2024-01-25T10:00:00Z' }))

  expect(options).toMatchObject({ fixtures: ['a.json', 'b.json'], now: '2024-01-25T10:00:00Z' })
})

it('passes --max-fixture-bytes through as a number, and leaves it out when absent', () => {
  expect(toServerOptions(buildArgs({ maxFixtureBytes: '2147483648' })).maxFixtureBytes).toBe(2147483648)
  expect(Object.keys(toServerOptions(buildArgs()))).not.toContain('maxFixtureBytes')
})

it('maps --cors-origin to an origin list, and a * among them to any origin', () => {
  expect(toServerOptions(buildArgs({ corsOrigin: ['http://localhost:5173', 'https://app.example.com'] })).cors).toEqual({
    origins: ['http://localhost:5173', 'https://app.example.com'],
  })
  expect(toServerOptions(buildArgs({ corsOrigin: ['http://localhost:5173', '*'] })).cors).toEqual({ origins: '*' })
})

it('maps --no-cors to cors: false', () => {
  expect(toServerOptions(buildArgs({ cors: false, corsOrigin: ['http://localhost:5173'] })).cors).toBe(false)
})

it('accepts port 0 and port 65535', () => {
  expect(toServerOptions(buildArgs({ port: 0 })).port).toBe(0)
  expect(toServerOptions(buildArgs({ port: 65535 })).port).toBe(65535)
})

it.each<[string, Partial<ServeArgs>, string]>([
  [
    'a negative port',
    { port: -1 },
    'Failed to parse --port: -1 is not a port number (0-65535). Pass e.g. --port 4010, or --port 0 for a free port.',
  ],
  [
    'a port above 65535',
    { port: 65536 },
    'Failed to parse --port: 65536 is not a port number (0-65535). Pass e.g. --port 4010, or --port 0 for a free port.',
  ],
  [
    'a fractional port',
    { port: 40.5 },
    'Failed to parse --port: 40.5 is not a port number (0-65535). Pass e.g. --port 4010, or --port 0 for a free port.',
  ],
  [
    'an empty host',
    { host: ' ' },
    'Failed to parse --host: " " is empty. Pass an interface address such as 127.0.0.1.',
  ],
  [
    'a zero body limit',
    { maxBodyBytes: 0 },
    'Failed to parse --max-body-bytes: 0 is not a positive whole number. Pass e.g. --max-body-bytes 1048576.',
  ],
  [
    'a fractional body limit',
    { maxBodyBytes: 1.5 },
    'Failed to parse --max-body-bytes: 1.5 is not a positive whole number. Pass e.g. --max-body-bytes 1048576.',
  ],
  [
    'a zero fixture file limit',
    { maxFixtureBytes: 0 },
    'Failed to parse --max-fixture-bytes: 0 is not a positive whole number. Pass e.g. --max-fixture-bytes 2147483648.',
  ],
  [
    'a fixture file limit that is not a number',
    { maxFixtureBytes: '1GB' },
    'Failed to parse --max-fixture-bytes: "1GB" is not a positive whole number. Pass e.g. --max-fixture-bytes 2147483648.',
  ],
  [
    'a fixture file limit given twice',
    { maxFixtureBytes: [1, 2] as never },
    'Failed to parse --max-fixture-bytes: [1,2] is not a positive whole number. Pass e.g. --max-fixture-bytes 2147483648.',
  ],
  [
    'a clock that is not a timestamp',
    { now: 'yesterday' },
    'Failed to parse --now: "yesterday" is not an ISO 8601 timestamp. Pass e.g. --now 2024-01-25T10:00:00Z.',
  ],
  [
    'a clock in a format other than ISO 8601',
    { now: 'January 25, 2024 10:00' },
    'Failed to parse --now: "January 25, 2024 10:00" is not an ISO 8601 timestamp. Pass e.g. --now 2024-01-25T10:00:00Z.',
  ],
  [
    'an origin without a scheme',
    { corsOrigin: ['localhost:5173'] },
    'Failed to parse --cors-origin: "localhost:5173" is not an origin. Pass e.g. --cors-origin http://localhost:5173 (scheme, host and port, no path).',
  ],
  [
    'an origin with a path',
    { corsOrigin: ['http://localhost:5173/app'] },
    'Failed to parse --cors-origin: "http://localhost:5173/app" is not an origin. Pass e.g. --cors-origin http://localhost:5173 (scheme, host and port, no path).',
  ],
])('throws INVALID_OPTION with an exact message for %s', (_, overrides, message) => {
  expect(() => toServerOptions(buildArgs(overrides))).toThrow(new GetRazeMockError('INVALID_OPTION', message))
  expect(() => toServerOptions(buildArgs(overrides))).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }))
})

it('never mutates its input and shares no arrays with it', () => {
  const args = deepFreeze(buildArgs({ fixtures: ['a.json'], corsOrigin: ['http://localhost:5173'], now: '2024-01-25T10:00:00Z' }))
  const copy = structuredClone(args)

  const options = toServerOptions(args)

  expect(args).toEqual(copy)
  expect(options.fixtures).not.toBe(args.fixtures)
})

it('maps the timeout and grace-period flags to milliseconds options', () => {
  expect(toServerOptions(buildArgs({ headersTimeout: '2000', requestTimeout: 4000, keepAliveTimeout: '1000', gracePeriod: '250' }))).toMatchObject({
    headersTimeoutMs: 2000,
    requestTimeoutMs: 4000,
    keepAliveTimeoutMs: 1000,
    gracePeriodMs: 250,
  })
})

it.each([
  ['headersTimeout', '--headers-timeout'],
  ['gracePeriod', '--grace-period'],
] as const)('refuses a %s that is not a positive whole number, naming the flag', (arg, flag) => {
  expect(() => toServerOptions(buildArgs({ [arg]: '1.5s' }))).toThrow(
    new GetRazeMockError('INVALID_OPTION', `Failed to parse ${flag}: "1.5s" is not a positive whole number of milliseconds. Pass e.g. ${flag} 5000.`),
  )
})

it('reads a --now without a zone as UTC and passes the normalised UTC instant on', () => {
  expect(toServerOptions(buildArgs({ now: '2024-01-25T10:00:00' })).now).toBe('2024-01-25T10:00:00Z')
  expect(toServerOptions(buildArgs({ now: '2024-01-25T05:00:00-05:00' })).now).toBe('2024-01-25T10:00:00Z')
  expect(toServerOptions(buildArgs({ now: '2024-01-25T10:00:00.250Z' })).now).toBe('2024-01-25T10:00:00.250Z')
})

it('passes --journal-size, --no-admin and --admin-token through', () => {
  expect(toServerOptions(buildArgs({ journalSize: '0' }))).toMatchObject({ journalSize: 0 })
  expect(toServerOptions(buildArgs({ admin: false })).admin).toBe(false)
  expect(toServerOptions(buildArgs({ admin: true, adminToken: 't0ken' })).admin).toEqual({ token: 't0ken' })
  expect(Object.keys(toServerOptions(buildArgs({ admin: true })))).not.toContain('admin')
})

it('refuses a negative --journal-size, an empty --admin-token, and a token with --no-admin', () => {
  expect(() => toServerOptions(buildArgs({ journalSize: '-1' }))).toThrow(
    'Failed to parse --journal-size: "-1" is not a whole number >= 0. Pass e.g. --journal-size 10000, or 0 to turn the journal off.',
  )
  expect(() => toServerOptions(buildArgs({ adminToken: ' ' }))).toThrow('Failed to parse --admin-token: the token is empty.')
  expect(() => toServerOptions(buildArgs({ admin: false, adminToken: 'x' }))).toThrow(
    'Failed to parse --admin-token: it cannot go with --no-admin. Drop one of them.',
  )
})

it('warns about an admin API on a non-loopback host without a token, and only then', () => {
  expect(adminExposureWarning({ host: '0.0.0.0' })).toBe(
    'warning: listening on 0.0.0.0 with the admin API (/__admin) on and no --admin-token: it answers only clients on this machine. Pass --admin-token <secret> to use it from elsewhere, or --no-admin to turn it off.',
  )
  expect(adminExposureWarning({ host: '127.0.0.1' })).toBeUndefined()
  expect(adminExposureWarning({ host: '::1' })).toBeUndefined()
  expect(adminExposureWarning({ host: '0.0.0.0', admin: { token: 'x' } })).toBeUndefined()
  expect(adminExposureWarning({ host: '0.0.0.0', admin: false })).toBeUndefined()
})

it('takes the admin token from GETRAZE_MOCK_ADMIN_TOKEN only when no flag gives one, and ignores an empty one', () => {
  const env = { GETRAZE_MOCK_ADMIN_TOKEN: 'from-env' }

  expect(toServerOptions(buildArgs(), { env }).admin).toEqual({ token: 'from-env' })
  expect(toServerOptions(buildArgs({ adminToken: 'from-flag' }), { env }).admin).toEqual({ token: 'from-flag' })
  expect(toServerOptions(buildArgs(), { env: { GETRAZE_MOCK_ADMIN_TOKEN: '' } }).admin).toBeUndefined()
  expect(toServerOptions(buildArgs({ admin: false }), { env }).admin).toBe(false)
  expect(() => toServerOptions(buildArgs(), { env: { GETRAZE_MOCK_ADMIN_TOKEN: 'two words' } })).toThrow(
    /^Failed to read GETRAZE_MOCK_ADMIN_TOKEN: the token holds a space/,
  )
})

it('reads --admin-token-file through the given reader, and refuses it next to --admin-token or repeated', () => {
  const read: string[] = []
  const readTokenFile = (path: string) => {
    read.push(path)
    return 'from-file'
  }

  expect(toServerOptions(buildArgs({ adminTokenFile: '/run/token' }), { readTokenFile }).admin).toEqual({ token: 'from-file' })
  expect(read).toEqual(['/run/token'])
  expect(() => toServerOptions(buildArgs({ adminTokenFile: '/run/token', adminToken: 'x' }), { readTokenFile })).toThrow(
    'Failed to parse --admin-token-file: it cannot go with --admin-token. Pass the token one way.',
  )
  expect(() => toServerOptions(buildArgs({ adminTokenFile: ['/a', '/b'] }), { readTokenFile })).toThrow(
    'Failed to parse --admin-token-file: it is given 2 times. Pass it once.',
  )
})

it('maps --admin-allowed-host to admin.allowedHosts as host names, and refuses "*" without a token', () => {
  expect(toServerOptions(buildArgs({ adminAllowedHost: ['Mock.Example.Test:8443', '::1'], adminToken: 'tok' })).admin).toEqual({
    token: 'tok',
    allowedHosts: ['mock.example.test', '[::1]'],
  })
  expect(() => toServerOptions(buildArgs({ adminAllowedHost: ['*'] }))).toThrow(
    'Failed to parse --admin-allowed-host: "*" (any Host) needs an admin token, or any page could reach the admin API through DNS rebinding. Add --admin-token, or list the host names.',
  )
  expect(() => toServerOptions(buildArgs({ adminAllowedHost: ['http://mock.example.test/'] }))).toThrow(
    'Failed to parse --admin-allowed-host: "http://mock.example.test/" is not a host name. Pass a name such as mock.example.test (a port is ignored).',
  )
})

it('passes --seed through as text, and refuses an empty or repeated one', () => {
  expect(toServerOptions(buildArgs({ seed: 42 }))).toMatchObject({ seed: '42' })
  expect(toServerOptions(buildArgs())).not.toHaveProperty('seed')
  expect(() => toServerOptions(buildArgs({ seed: ' ' }))).toThrow('Failed to parse --seed: " " is empty. Pass e.g. --seed my-test.')
  expect(() => toServerOptions(buildArgs({ seed: ['a', 'b'] }))).toThrow('Failed to parse --seed: it is given more than once. Give it once.')
})
