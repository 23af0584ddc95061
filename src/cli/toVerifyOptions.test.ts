import { expect, it } from 'vitest'
import { toVerifyOptions } from './toVerifyOptions.js'
import type { VerifyArgs } from './toVerifyOptions.js'

const args = (overrides: Partial<VerifyArgs> = {}): VerifyArgs => ({
  provider: 'getraze-external-api',
  publish: false,
  enablePending: false,
  logLevel: 'error',
  ...overrides,
})

it('maps no flags to verifying the committed pacts against the mock', () => {
  expect(toVerifyOptions(args())).toEqual({ options: { provider: 'getraze-external-api', logLevel: 'error' }, reports: [] })
})

it('maps provider, headers, broker and report flags', () => {
  const { options, reports } = toVerifyOptions(
    args({
      providerBaseUrl: 'http://localhost:3000',
      providerStatesSetupUrl: 'http://localhost:3000/_pact/states',
      header: ['X-API-Key: k1', 'X-Trace: a:b:c'],
      brokerUrl: 'https://broker.example',
      providerVersion: 'abc123',
      providerBranch: 'main',
      publish: true,
      consumerVersionSelector: ['{"mainBranch":true}'],
      enablePending: true,
      includeWipPactsSince: '2024-01-01',
      report: ['json=out/drift.json', 'junit=out/drift.xml'],
    }),
    { PACT_BROKER_TOKEN: 't0k3n' },
  )
  expect(options).toEqual({
    provider: 'getraze-external-api',
    logLevel: 'error',
    providerBaseUrl: 'http://localhost:3000',
    providerStatesSetupUrl: 'http://localhost:3000/_pact/states',
    headers: { 'X-API-Key': 'k1', 'X-Trace': 'a:b:c' },
    brokerUrl: 'https://broker.example',
    brokerToken: 't0k3n',
    providerVersion: 'abc123',
    providerBranch: 'main',
    publish: true,
    consumerVersionSelectors: [{ mainBranch: true }],
    enablePending: true,
    includeWipPactsSince: '2024-01-01',
  })
  expect(reports).toEqual([
    { format: 'json', file: 'out/drift.json' },
    { format: 'junit', file: 'out/drift.xml' },
  ])
})

it('rejects a malformed header without printing its value', () => {
  expect(() => toVerifyOptions(args({ header: ['secret-value-without-name'] }))).toThrow(
    'Failed to parse --header: a value is not "Name: value". Pass e.g. --header "X-API-Key: $PROVIDER_KEY".',
  )
})

it('rejects --publish without --provider-version', () => {
  expect(() => toVerifyOptions(args({ publish: true, brokerUrl: 'https://broker.example' }))).toThrow(
    'Failed to parse --publish: given without --provider-version. Pass the version being verified, e.g. --provider-version $(git rev-parse HEAD).',
  )
})

it('rejects a selector that is not a JSON object', () => {
  expect(() => toVerifyOptions(args({ consumerVersionSelector: ['mainBranch'] }))).toThrow(
    `Failed to parse --consumer-version-selector: "mainBranch" is not a JSON object. Pass e.g. --consumer-version-selector '{"mainBranch":true}'.`,
  )
})

it('rejects a report spec without a known format, naming the formats', () => {
  expect(() => toVerifyOptions(args({ report: ['html=x.html'] }))).toThrow(
    'Failed to parse --report: "html" is not a report format; the formats are json and junit. Pass --report json=FILE or --report junit=FILE (FILE - is standard output).',
  )
  expect(() => toVerifyOptions(args({ report: ['drift.json'] }))).toThrow(
    'Failed to parse --report: "drift.json" is not FORMAT=FILE. Pass --report json=FILE or --report junit=FILE (FILE - is standard output).',
  )
})

it('rejects a provider URL that is not http(s)', () => {
  expect(() => toVerifyOptions(args({ providerBaseUrl: 'localhost:3000' }))).toThrow(
    'Failed to parse --provider-base-url: "localhost:3000" is not an http(s) URL. Pass e.g. --provider-base-url http://localhost:3000.',
  )
})

it('does not mutate the parsed arguments', () => {
  const input = args({ pact: ['a.json'], header: ['X-A: 1'] })
  const copy = structuredClone(input)
  const { options } = toVerifyOptions(input)
  options.pactUrls!.push('b.json')
  expect(input).toEqual(copy)
})

it('maps --only and --state, and refuses to publish a filtered run', () => {
  expect(toVerifyOptions(args({ only: 'won', state: 'an API key exists' })).options).toMatchObject({ only: 'won', state: 'an API key exists' })
  expect(() => toVerifyOptions(args({ only: 'won', publish: true, providerVersion: '1', brokerUrl: 'http://b' }))).toThrow(
    'Failed to parse --publish: given with --only. Publish results only from a run of whole pacts; drop the filter or --publish.',
  )
})

it("takes a getraze-mock provider's admin token from --admin-token-file, else GETRAZE_MOCK_ADMIN_TOKEN, only with --provider-base-url", () => {
  const provider = { providerBaseUrl: 'http://127.0.0.1:4010' }
  const env = { GETRAZE_MOCK_ADMIN_TOKEN: 'from-env-token' }
  const read = (path: string) => `${path}-token`

  expect(toVerifyOptions(args(provider), env).options.adminToken).toBe('from-env-token')
  expect(toVerifyOptions(args({ ...provider, adminTokenFile: '/run/admin' }), env, read).options.adminToken).toBe('/run/admin-token')
  expect(toVerifyOptions(args(), env).options.adminToken).toBeUndefined()
  expect(toVerifyOptions(args(provider), { GETRAZE_MOCK_ADMIN_TOKEN: '' }).options.adminToken).toBeUndefined()
})

it('refuses --admin-token-file without a provider or given twice, and a token no server could hold, without repeating it', () => {
  const read = () => 'two words'
  expect(() => toVerifyOptions(args({ adminTokenFile: '/run/admin' }), {}, read)).toThrow(
    "Failed to parse --admin-token-file: given without --provider-base-url. It is the token of a getraze-mock verified as the provider; pass that mock's URL as --provider-base-url.",
  )
  expect(() => toVerifyOptions(args({ providerBaseUrl: 'http://127.0.0.1:4010', adminTokenFile: ['/a', '/b'] }), {}, read)).toThrow(
    'Failed to parse --admin-token-file: given 2 times. Pass it once.',
  )
  expect(() => toVerifyOptions(args({ providerBaseUrl: 'http://127.0.0.1:4010', adminTokenFile: '/run/admin' }), {}, read)).toThrow(
    /^Failed to read --admin-token-file \/run\/admin: the token holds a space or a character an Authorization header cannot carry/,
  )
  expect(() => toVerifyOptions(args({ providerBaseUrl: 'http://127.0.0.1:4010' }), { GETRAZE_MOCK_ADMIN_TOKEN: 'secret words' })).toThrow(
    /^Failed to read GETRAZE_MOCK_ADMIN_TOKEN: the token holds a space(?!.*secret)/,
  )
})
