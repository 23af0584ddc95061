import { expect, it } from 'vitest'
import { toPactVerifierOptions } from './toPactVerifierOptions.js'

const targets = { pactUrls: ['/pacts/a.json'], providerUrl: 'http://127.0.0.1:5000', statesUrl: 'http://127.0.0.1:5001' }

it('points Pact at the recording proxy and the state endpoint with quiet defaults', () => {
  expect(toPactVerifierOptions({}, targets, {})).toEqual({
    provider: 'getraze-external-api',
    providerBaseUrl: 'http://127.0.0.1:5000',
    providerStatesSetupUrl: 'http://127.0.0.1:5001',
    pactUrls: ['/pacts/a.json'],
    logLevel: 'error',
    timeout: 30000,
    failIfNoPactsFound: true,
  })
})

it("maps broker options onto Pact's own names, with the token from PACT_BROKER_TOKEN", () => {
  const options = toPactVerifierOptions(
    {
      brokerUrl: 'https://broker.example',
      providerVersion: '1.0.0',
      providerBranch: 'main',
      publish: true,
      consumerVersionSelectors: [{ mainBranch: true }],
      enablePending: true,
      includeWipPactsSince: '2024-01-01',
      headers: { 'X-Gateway': 'https://a:b' },
    },
    { ...targets, pactUrls: [] },
    { PACT_BROKER_TOKEN: 'secret' },
  )
  expect(options).toMatchObject({
    pactBrokerUrl: 'https://broker.example',
    pactBrokerToken: 'secret',
    providerVersion: '1.0.0',
    providerVersionBranch: 'main',
    publishVerificationResult: true,
    consumerVersionSelectors: [{ mainBranch: true }],
    enablePending: true,
    includeWipPactsSince: '2024-01-01',
    customProviderHeaders: { 'X-Gateway': 'https://a:b' },
  })
  expect(options).not.toHaveProperty('pactUrls')
})

it('sends no token when no broker is used', () => {
  expect(toPactVerifierOptions({}, targets, { PACT_BROKER_TOKEN: 'secret' })).not.toHaveProperty('pactBrokerToken')
})
