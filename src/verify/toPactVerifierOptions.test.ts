import { expect, it } from 'vitest'
import { toPactVerifierOptions } from './toPactVerifierOptions.js'

const targets = { pactUrls: ['/pacts/a.json'], providerUrl: 'http://127.0.0.1:5000', statesUrl: 'http://127.0.0.1:5001' }

it('points Pact at the recording proxy and the state endpoint with quiet defaults', () => {
  expect(toPactVerifierOptions({}, targets)).toEqual({
    provider: 'getraze-external-api',
    providerBaseUrl: 'http://127.0.0.1:5000',
    providerStatesSetupUrl: 'http://127.0.0.1:5001',
    pactUrls: ['/pacts/a.json'],
    logLevel: 'error',
    timeout: 30000,
    failIfNoPactsFound: true,
  })
})

it("maps broker options onto Pact's own names, pointing Pact at the broker proxy", () => {
  const options = toPactVerifierOptions(
    {
      brokerUrl: 'https://broker.example',
      brokerToken: 'secret',
      providerVersion: '1.0.0',
      providerBranch: 'main',
      publish: true,
      consumerVersionSelectors: [{ mainBranch: true }],
      enablePending: true,
      includeWipPactsSince: '2024-01-01',
      headers: { 'X-Gateway': 'https://a:b' },
    },
    { ...targets, pactUrls: [], brokerUrl: 'http://127.0.0.1:5002' },
  )
  expect(options).toMatchObject({
    pactBrokerUrl: 'http://127.0.0.1:5002',
    providerVersion: '1.0.0',
    providerVersionBranch: 'main',
    publishVerificationResult: true,
    consumerVersionSelectors: [{ mainBranch: true }],
    enablePending: true,
    includeWipPactsSince: '2024-01-01',
  })
  expect(options).not.toHaveProperty('pactUrls')
})

it('never hands Pact a credential: no header values, no broker token', () => {
  const options = toPactVerifierOptions(
    { brokerUrl: 'https://broker.example', brokerToken: 'secret', headers: { Authorization: 'Bearer secret' } },
    { ...targets, brokerUrl: 'http://127.0.0.1:5002' },
  )
  expect(JSON.stringify(options)).not.toContain('secret')
  expect(options).not.toHaveProperty('customProviderHeaders')
  expect(options).not.toHaveProperty('pactBrokerToken')
})

it('asks the broker for main-branch and deployed or released pacts when no selector is given', () => {
  expect(toPactVerifierOptions({ brokerUrl: 'https://broker.example' }, targets).consumerVersionSelectors).toEqual([
    { mainBranch: true },
    { deployedOrReleased: true },
  ])
  expect(toPactVerifierOptions({}, targets)).not.toHaveProperty('consumerVersionSelectors')
})
