import { z } from 'zod'
import { formatTimestamp } from './formatTimestamp.js'
import type { OpportunityStatus } from './opportunityStatuses.js'
import { grantedPermissionSchema, opportunityStatusSchema } from './schemas.js'

const key = z.string().min(1)
const reference = z.strictObject({ id: z.string().min(1), name: z.string() })

/**
 * The provider states the consumer contracts use, with their params. Provider teams implement
 * exactly these names; the kit's own handlers implement them for the mock. Endpoints name the
 * states they need in their behaviour tables (`src/contract/*Contract.ts`).
 */
export const providerStates = {
  // Every documented field may be given, so a state can recreate the whole record a read
  // endpoint answers; the ones left out take the resource's defaults.
  'an opportunity exists': z.looseObject({
    id: z.string().min(1).optional(),
    name: z.string().optional(),
    status: opportunityStatusSchema.optional(),
    email: z.string().nullable().optional(),
    phone: z.string().nullable().optional(),
    company: z.string().nullable().optional(),
    position: z.string().nullable().optional(),
    source: z.string().nullable().optional(),
    deal_value: z.number().nullable().optional(),
    deal_currency: z.string().nullable().optional(),
    linkedin_url: z.string().nullable().optional(),
    notes: z.string().nullable().optional(),
    campaign: reference.nullable().optional(),
    responsible_user: reference.nullable().optional(),
  }),
  'no opportunity exists': z.looseObject({ id: z.string().min(1) }),
  // As for opportunities: every documented field may be given; `email` also makes a create with
  // that address answer 409 ALREADY_EXISTS.
  'a contact exists': z.looseObject({
    id: z.string().min(1).optional(),
    name: z.string().optional(),
    email: z.string().nullable().optional(),
    phone: z.string().nullable().optional(),
    company: z.string().nullable().optional(),
    position: z.string().nullable().optional(),
    source: z.string().nullable().optional(),
    linkedin_url: z.string().nullable().optional(),
    tags: z.array(z.string()).optional(),
    custom_fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
  }),
  'no contact exists': z.looseObject({ id: z.string().min(1) }),
  // A user opportunities can be assigned to (`responsible_user_id`).
  'a user exists': z.looseObject({ id: z.string().min(1), name: z.string().optional() }),
  'an API key exists': z.looseObject({
    key,
    permissions: z.array(grantedPermissionSchema),
  }),
  'an API key has been revoked': z.looseObject({ key }),
  'an API key has expired': z.looseObject({ key }),
  'an API key has used its hourly rate limit': z.looseObject({ key }),
} as const

export type ProviderStateName = keyof typeof providerStates
export type ProviderStateParams<Name extends ProviderStateName> = z.output<(typeof providerStates)[Name]>

/**
 * The fields of an opportunity that "an opportunity exists" implies but does not pass, as the
 * docs define them: a `won` opportunity was won at some instant, a `lost` one lost at one, and
 * neither before that. A state that creates a `won` record without `won_at` would make every
 * read endpoint answer `"won_at": null` for it, which the API never does.
 *
 * @example
 * deriveOpportunityFields('won', new Date('2024-01-25T10:00:00Z'))
 * // { won_at: '2024-01-25T10:00:00Z', lost_at: null }
 */
export function deriveOpportunityFields(status: OpportunityStatus, now: Date): { won_at: string | null; lost_at: string | null } {
  const timestamp = formatTimestamp(now)
  return { won_at: status === 'won' ? timestamp : null, lost_at: status === 'lost' ? timestamp : null }
}

/**
 * The states that create one record, and the store's collection such records live in: what
 * `recordPact` reads a state's fields from when a request names the record (a list's records,
 * the user a record is assigned to).
 */
export const recordStates = {
  'an opportunity exists': 'opportunities',
  'a contact exists': 'contacts',
  'a user exists': 'users',
} as const satisfies Partial<Record<ProviderStateName, string>>

/** The state each condition of a key needs (missing and unknown keys need none). */
export const apiKeyStates = {
  valid: 'an API key exists',
  lacking: 'an API key exists',
  revoked: 'an API key has been revoked',
  expired: 'an API key has expired',
  limited: 'an API key has used its hourly rate limit',
} as const satisfies Record<string, ProviderStateName>
