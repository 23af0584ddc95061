/**
 * Where a lead came from, as the create-opportunity page lists them ("Available Sources").
 * @see ../../docs/getraze-api.md "Sources"
 */
export const leadSources = ['linkedin', 'google_maps', 'list', 'paid_traffic', 'other'] as const

export type LeadSource = (typeof leadSources)[number]
