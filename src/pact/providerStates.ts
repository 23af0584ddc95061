import { z } from 'zod'
import { grantedPermissionSchema, opportunityStatusSchema } from '../contract/schemas.js'

const key = z.string().min(1)

/**
 * The provider states the consumer contracts use, with their params. Provider teams implement
 * exactly these names; the kit's own handlers implement them for the mock.
 */
export const providerStates = {
  'an opportunity exists': z.looseObject({
    id: z.string().min(1).optional(),
    name: z.string().optional(),
    status: opportunityStatusSchema.optional(),
  }),
  'no opportunity exists': z.looseObject({ id: z.string().min(1) }),
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
