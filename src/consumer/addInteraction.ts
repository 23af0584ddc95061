import type { PactV4, V3MockServer as V4MockServer } from '@pact-foundation/pact'
import { findEndpoint } from '../contract/endpoints.js'
import type { OperationId } from '../contract/endpoints.js'
import type { EndpointDefinition } from '../contract/EndpointDefinition.js'
import { GetRazeMockError } from '../errors/GetRazeMockError.js'
import { fromProviderState } from './pactMatchers.js'
import { planInteraction } from './planInteraction.js'
import { waitForPactRecord } from './waitForPactRecord.js'
import type { InteractionOptions, PlannedRequestValues } from './planInteraction.js'

/** Params of a provider state, as Pact types them (JSON). */
type StateParams = Parameters<ReturnType<PactV4['addInteraction']>['given']>[1]

/** An interaction added to a consumer's pact, ready to run around the consumer's own client call. */
export interface AddedInteraction<Sent = PlannedRequestValues> {
  /** What the client must send. */
  request: Sent
  /**
   * Runs `test` against Pact's mock server (as Pact's `executeTest`), passing the values to send.
   * The interaction is written to the pact when the test passes. Before Pact checks what its mock
   * server received, it waits for the server to record the request (Pact 16's records it just
   * after answering, and could otherwise report it missing on a busy machine).
   */
  executeTest<T>(test: (server: V4MockServer, request: Sent) => Promise<T>): Promise<T | undefined>
}

/**
 * Adds the interaction of one documented behaviour of an endpoint to a consumer's own `PactV4`:
 * the provider states it needs, the ids by provider-state injection, the docs' values as
 * examples, and matchers for what a provider generates (ids and names by type, timestamps by the
 * documented pattern; codes, statuses and `success` exact). The endpoint is its definition or its
 * `operationId`; its behaviours are the names of its behaviour table (`definition.behaviours`).
 *
 * @example
 * const pact = new PactV4({ consumer: 'my-crm-sync', provider: 'getraze-external-api' })
 * await addInteraction(pact, 'updateOpportunityStage', 'moveToWon', { apiKeyIn: 'bearer' }).executeTest(async (server, request) => {
 *   await myClient(server.url, request.apiKey).closeWon(String(request.id))
 * })
 * @see planInteraction, which works the interaction out without Pact
 */
export function addInteraction(pact: PactV4, endpoint: EndpointDefinition | OperationId, behaviour: string, options: InteractionOptions = {}): AddedInteraction {
  const definition = typeof endpoint === 'string' ? findEndpoint(endpoint) : endpoint
  if (!definition) {
    throw new GetRazeMockError('INVALID_OPTION', `Failed to add the ${behaviour} interaction: ${JSON.stringify(endpoint)} is not a documented endpoint. Pass an operationId such as 'updateOpportunityStage', or its definition.`)
  }
  const plan = planInteraction(definition, behaviour, options)
  let builder = pact.addInteraction()
  for (const state of plan.providerStates) builder = builder.given(state.name, state.params as StateParams)
  const { request, response } = plan
  // `${id}` is Pact's provider-state expression, not a template literal: the provider's state
  // answers with the id it created and the verifier puts it there.
  const path = request.pathExpression ? fromProviderState(request.pathExpression, request.path) : request.path
  const interaction = builder
    .uponReceiving(plan.description)
    .withRequest(request.method, path as string, (requestBuilder) => {
      requestBuilder.headers(request.headers)
      if (request.query) requestBuilder.query(request.query)
      if (request.body !== undefined) requestBuilder.jsonBody(request.body)
    })
    .willRespondWith(response.status, (responseBuilder) => {
      responseBuilder.headers(response.headers as Record<string, string>).jsonBody(response.body)
    })
  return {
    request: plan.sent,
    executeTest: (test) =>
      interaction.executeTest(async (server) => {
        const result = await test(server, plan.sent)
        // Pact checks the mock server's record as soon as this returns; let the record land first.
        await waitForPactRecord(server.port)
        return result
      }),
  }
}
