import { stageUpdateBodySchema, stageUpdateResponseSchema } from './schemas.js'
import type { EndpointContract } from './EndpointContract.js'

/**
 * `PATCH /external/v1/opportunities/:id/stage`, as documented: the single definition the store,
 * the handlers, the server, the client and the pacts derive from.
 *
 * @see ../../docs/getraze-api.md (the documented behaviour)
 */
export const updateOpportunityStageContract = {
  operationId: 'updateOpportunityStage',
  method: 'PATCH',
  path: '/external/v1/opportunities/:id/stage',
  summary: 'Updates only the status/stage of an opportunity in the pipeline.',
  permission: 'opportunities:write',
  body: stageUpdateBodySchema,
  response: stageUpdateResponseSchema,
  // A missing, non-string or unknown `status` is INVALID_STATUS, as the docs' error table says.
  fieldErrors: { status: 'INVALID_STATUS' },
  errors: ['INVALID_STATUS', 'NOT_FOUND'],
  example: {
    params: { id: 'opp_abc123def456' },
    body: { status: 'won' },
    now: '2024-01-25T10:00:00Z',
    response: {
      success: true,
      data: {
        id: 'opp_abc123def456',
        name: 'John Doe',
        status: 'won',
        won_at: '2024-01-25T10:00:00Z',
        updated_at: '2024-01-25T10:00:00Z',
      },
    },
  },
} as const satisfies EndpointContract
