import { z } from 'zod'
import { opportunityStatuses } from './opportunityStatuses.js'
import { grantablePermissions } from './permissions.js'
import { timestampPattern } from './formatTimestamp.js'

/** A timestamp in the API's format: `2024-01-25T10:00:00Z`. */
export const timestampSchema = z
  .string()
  .regex(timestampPattern, 'must be a UTC timestamp with second precision, e.g. 2024-01-25T10:00:00Z')

const optionalText = z.string().nullable().default(null)
const reference = z.strictObject({ id: z.string().min(1), name: z.string() })

export const opportunityStatusSchema = z.enum(opportunityStatuses, {
  error: () => `must be one of ${opportunityStatuses.join(', ')}`,
})

/** A permission as a key may carry it, wildcards included. */
export const grantedPermissionSchema = z.enum(grantablePermissions as [string, ...string[]], {
  error: () => `must be one of ${grantablePermissions.join(', ')}`,
})

/** An account: the tenant that owns API keys and opportunities. */
export const accountSchema = z.strictObject({
  id: z.string().min(1),
  name: z.string().default(''),
})

/**
 * An API key as the mock stores it. `used` is how many requests the key has already made in
 * the current hourly window when the store is seeded (so a fixture can start rate limited).
 */
export const apiKeySchema = z.strictObject({
  key: z.string().min(1),
  account: z.string().min(1),
  name: z.string().optional(),
  permissions: z.array(grantedPermissionSchema),
  rateLimit: z.number().int().positive().default(1000),
  used: z.number().int().nonnegative().default(0),
  revoked: z.boolean().default(false),
  expiresAt: timestampSchema.nullable().default(null),
})

/**
 * The opportunity resource (fields from the "get opportunity" page) plus `account`, the tenant
 * it belongs to, which the API never returns.
 */
export const opportunitySchema = z.strictObject({
  id: z.string().min(1),
  account: z.string().min(1),
  name: z.string(),
  email: optionalText,
  phone: optionalText,
  company: optionalText,
  position: optionalText,
  status: opportunityStatusSchema,
  source: optionalText,
  deal_value: z.number().nullable().default(null),
  deal_currency: optionalText,
  linkedin_url: optionalText,
  notes: optionalText,
  campaign: reference.nullable().default(null),
  responsible_user: reference.nullable().default(null),
  won_at: timestampSchema.nullable().default(null),
  lost_at: timestampSchema.nullable().default(null),
  created_at: timestampSchema,
  updated_at: timestampSchema,
})

/**
 * The contact resource (fields from the "get contact" page) plus `account`, the tenant it belongs
 * to, which the API never returns.
 */
export const contactSchema = z.strictObject({
  id: z.string().min(1),
  account: z.string().min(1),
  name: z.string(),
  email: optionalText,
  phone: optionalText,
  company: optionalText,
  position: optionalText,
  source: optionalText,
  linkedin_url: optionalText,
  tags: z.array(z.string()).default([]),
  custom_fields: z.record(z.string(), z.unknown()).default({}),
  created_at: timestampSchema,
  updated_at: timestampSchema,
})

/** A campaign of an account, which opportunities name by `campaign_id` (`camp_...`). */
export const campaignSchema = z.strictObject({
  id: z.string().min(1),
  account: z.string().min(1),
  name: z.string(),
})

/** A user of an account, whom opportunities name by `responsible_user_id` (`usr_...`). */
export const userSchema = z.strictObject({
  id: z.string().min(1),
  account: z.string().min(1),
  name: z.string(),
})

/** One fixture file: every section is optional, so files can be layered with `--fixtures a b`. */
export const fixtureFileSchema = z.strictObject({
  $schema: z.string().optional(),
  description: z.string().optional(),
  accounts: z.array(accountSchema).default([]),
  apiKeys: z.array(apiKeySchema).default([]),
  campaigns: z.array(campaignSchema).default([]),
  users: z.array(userSchema).default([]),
  opportunities: z.array(opportunitySchema).default([]),
  contacts: z.array(contactSchema).default([]),
})

/** The request body of `PATCH /opportunities/:id/stage`. Extra fields are ignored. */
export const stageUpdateBodySchema = z.looseObject({ status: opportunityStatusSchema })

/** `data` of a successful stage update: the docs' example shape. */
export const stageUpdateDataSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  status: opportunityStatusSchema,
  won_at: timestampSchema.optional(),
  lost_at: timestampSchema.optional(),
  updated_at: timestampSchema,
})

export const stageUpdateResponseSchema = z.strictObject({
  success: z.literal(true),
  data: stageUpdateDataSchema,
})

export const errorEnvelopeSchema = z.strictObject({
  success: z.literal(false),
  error: z.looseObject({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
    retry_after: z.number().int().nonnegative().optional(),
  }),
})

export type Account = z.output<typeof accountSchema>
export type ApiKeyRecord = z.output<typeof apiKeySchema>
export type Opportunity = z.output<typeof opportunitySchema>
export type Contact = z.output<typeof contactSchema>
export type ContactInput = z.input<typeof contactSchema>
export type Campaign = z.output<typeof campaignSchema>
export type CampaignInput = z.input<typeof campaignSchema>
export type User = z.output<typeof userSchema>
export type UserInput = z.input<typeof userSchema>
export type OpportunityInput = z.input<typeof opportunitySchema>
export type ApiKeyInput = z.input<typeof apiKeySchema>
export type AccountInput = z.input<typeof accountSchema>
export type FixtureFile = z.input<typeof fixtureFileSchema>
export type FixtureSet = z.output<typeof fixtureFileSchema>
export type StageUpdateBody = z.output<typeof stageUpdateBodySchema>
export type StageUpdateData = z.output<typeof stageUpdateDataSchema>
export type StageUpdateResponse = z.output<typeof stageUpdateResponseSchema>
