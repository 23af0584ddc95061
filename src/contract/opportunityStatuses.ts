/**
 * The pipeline statuses, in pipeline order, as the docs list them.
 * @see ../../../shared/seed/update-opportunity-stage.md "Available Status Values"
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
