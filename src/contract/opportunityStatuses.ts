/**
 * The pipeline statuses, in pipeline order, as the docs list them.
 * @see ../../docs/getraze-api.md "Update an opportunity's stage" (the statuses)
 */
export const opportunityStatuses = [
  'new',
  'contacted',
  'qualified',
  'proposal',
  'negotiation',
  'won',
  'lost',
] as const

export type OpportunityStatus = (typeof opportunityStatuses)[number]
