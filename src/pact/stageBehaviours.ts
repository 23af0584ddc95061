import { timestampPattern } from '../contract/formatTimestamp.js'
import { updateOpportunityStageContract as contract } from '../contract/updateOpportunityStageContract.js'

/** The documented behaviours of the stage endpoint that the builders and the recorder name. */
export type StageBehaviour =
  | 'moveToWon'
  | 'moveToLost'
  | 'moveToOpenStatus'
  | 'invalidStatus'
  | 'notFound'
  | 'missingApiKey'
  | 'revokedApiKey'
  | 'expiredApiKey'
  | 'insufficientPermissions'
  | 'rateLimited'

/** Each behaviour's interaction description, the same in built and recorded pacts. */
export const stageBehaviourDescriptions: Readonly<Record<StageBehaviour, string>> = {
  moveToWon: 'a request to move an opportunity to won',
  moveToLost: 'a request to move an opportunity to lost',
  moveToOpenStatus: 'a request to move an opportunity to an open status',
  invalidStatus: 'a request with a status that is not valid',
  notFound: 'a request for an opportunity that does not exist',
  missingApiKey: 'a request without an API key',
  revokedApiKey: 'a request with a revoked API key',
  expiredApiKey: 'a request with an expired API key',
  insufficientPermissions: `a request with an API key that lacks ${contract.permission}`,
  rateLimited: 'a request after the API key has used its hourly rate limit',
}

/**
 * The documented timestamp pattern as pacts match it: UTC, with fractions of a second allowed,
 * since a provider that sends milliseconds honours the docs as well.
 */
export const pactTimestampPattern = timestampPattern.source.replace('}Z$', '}(\\.\\d+)?Z$')
