import { PactV4 } from '@pact-foundation/pact'
import { expect, it } from 'vitest'
import { GetRazeMockError } from '../errors/GetRazeMockError.js'
import { addInvalidStatusInteraction, addMissingApiKeyInteraction, addMoveToOpenStatusInteraction, addMoveToWonInteraction, addStageInteraction, stageBehaviours } from './stageInteractions.js'

// Never executed, so nothing is written; the builders only need an instance to add to.
const pact = () => new PactV4({ consumer: 'unit', provider: 'getraze-external-api', logLevel: 'error' })

it('tells the test what the client must send, from the docs by default and from the options when given', () => {
  expect(addMoveToWonInteraction(pact()).request).toEqual({ id: 'opp_abc123def456', apiKey: 'gr_test_pact_writer', apiKeyIn: 'header', status: 'won' })
  expect(addMoveToOpenStatusInteraction(pact(), { apiKeyIn: 'query', apiKey: 'mine', status: 'contacted', id: 'deal-1' }).request).toEqual({
    id: 'deal-1',
    apiKey: 'mine',
    apiKeyIn: 'query',
    status: 'contacted',
  })
  expect(addMissingApiKeyInteraction(pact(), { apiKey: 'ignored' }).request.apiKey).toBeUndefined()
})

it('has a builder for each documented behaviour', () => {
  expect(stageBehaviours).toEqual([
    'moveToWon', 'moveToLost', 'moveToOpenStatus', 'invalidStatus', 'notFound',
    'missingApiKey', 'revokedApiKey', 'expiredApiKey', 'insufficientPermissions', 'rateLimited',
  ])
})

it('rejects a status that does not fit the behaviour', () => {
  expect(() => addMoveToOpenStatusInteraction(pact(), { status: 'won' })).toThrow(
    new GetRazeMockError('INVALID_OPTION', 'Failed to add the moveToOpenStatus interaction: status "won" does not fit this behaviour. Leave status out or pick one that does.'),
  )
  expect(() => addInvalidStatusInteraction(pact(), { status: 'lost' })).toThrow('status "lost" does not fit this behaviour')
  expect(() => addMoveToWonInteraction(pact(), { status: 'lost' })).toThrow('Failed to add the moveToWon interaction')
})

it('rejects an unknown key mechanism and an unknown behaviour', () => {
  expect(() => addMoveToWonInteraction(pact(), { apiKeyIn: 'cookie' as never })).toThrow(
    `Failed to add the moveToWon interaction: apiKeyIn "cookie" is not a way to send a key. Use 'header', 'bearer' or 'query'.`,
  )
  expect(() => addStageInteraction(pact(), 'archive' as never)).toThrow('Failed to add the archive interaction: there is no such behaviour. Use one of moveToWon, ')
})
