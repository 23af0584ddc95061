/**
 * The response of the docs' example, copied by hand from the API reference (`docs/getraze-api.md`): an
 * oracle independent of `src/contract`, so the tests check the contract against the docs.
 */
export const documentedResponse = {
  success: true,
  data: {
    id: 'opp_abc123def456',
    name: 'John Doe',
    status: 'won',
    won_at: '2024-01-25T10:00:00Z',
    updated_at: '2024-01-25T10:00:00Z',
  },
} as const
