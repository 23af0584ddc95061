import { z } from 'zod'
import type { ListingDefinition } from './resources.js'

/** Page size when `limit` is not given, and the largest one allowed (the list pages). */
export const defaultPageSize = 20
export const maxPageSize = 100
/** Largest `page` accepted: beyond it the offset would stop being exact, and no account has that many pages. */
const maxPage = 1_000_000_000

/** A list request's query parameters once validated: the page, the filters, the search and the order. */
export interface ListParams {
  page: number
  limit: number
  /** Filters that must all hold, each with the values the record must have (several for `tags=a,b`). */
  filters: Array<{ name: string; values: string[] }>
  search?: string
  sortBy: string
  sortOrder: 'asc' | 'desc'
}

/**
 * A list request's query parameters as they travel (strings), by name: the page, the search,
 * the order and the listing's own filters. What a list endpoint's query schema reads.
 */
export type ListQueryParameters<Filter extends string = string, Sort extends string = string> = {
  page?: string
  limit?: string
  search?: string
  sort_by?: Sort
  sort_order?: 'asc' | 'desc'
} & { [Name in Filter]?: string }

const wholeNumber = /^[0-9]+$/

function quoted(values: readonly string[]): string {
  return values.join(', ')
}

/**
 * The query schema of a resource's list endpoint, from its listing: `page`, `limit` (1-100),
 * `search`, each filter (enum filters checked against their values, `tags` comma-separated),
 * `sort_by` (the sortable fields, default `created_at`) and `sort_order` (`asc`/`desc`, default
 * `desc`). Each problem is one issue on the parameter, worded to name it and what it allows; the
 * pipeline answers it as `INVALID_PARAMETER`. Unknown parameters are ignored, as is a parameter
 * given empty (`?search=`), the way HTML forms send an unset field.
 *
 * @example
 * listQuerySchema(opportunityResource.listing).parse({ status: 'qualified', limit: '50' })
 * // { page: 1, limit: 50, filters: [{ name: 'status', values: ['qualified'] }], sortBy: 'created_at', sortOrder: 'desc' }
 */
export function listQuerySchema<Filter extends string, Sort extends string>(
  listing: ListingDefinition<never, Filter, Sort>,
): z.ZodType<ListParams, ListQueryParameters<Filter, Sort>> {
  const filterNames = Object.keys(listing.filters) as Filter[]
  const shape: Record<string, z.ZodType> = {
    page: z
      .string()
      .refine((value) => wholeNumber.test(value) && Number(value) >= 1 && Number(value) <= maxPage, {
        error: `Query parameter "page" must be a whole number from 1 to ${maxPage}.`,
      })
      .optional()
      .meta({ type: 'integer', minimum: 1, maximum: maxPage, default: 1, description: 'The page to answer, counting from 1.' }),
    limit: z
      .string()
      .refine((value) => wholeNumber.test(value) && Number(value) >= 1 && Number(value) <= maxPageSize, {
        error: `Query parameter "limit" must be a whole number from 1 to ${maxPageSize}.`,
      })
      .optional()
      .meta({ type: 'integer', minimum: 1, maximum: maxPageSize, default: defaultPageSize, description: 'Records per page.' }),
    search: z
      .string()
      .optional()
      .meta({ description: `Finds records whose ${quoted(listing.searchFields).replace(/, ([^,]*)$/, ' or $1')} contains this text, ignoring case.` }),
    sort_by: z
      .string()
      .refine((value) => (listing.sortFields as readonly string[]).includes(value), {
        error: `Query parameter "sort_by" must be one of ${quoted(listing.sortFields)}.`,
      })
      .optional()
      .meta({ enum: [...listing.sortFields], default: 'created_at', description: 'The field to sort by; ties go by created_at, then id.' }),
    sort_order: z
      .string()
      .refine((value) => value === 'asc' || value === 'desc', { error: 'Query parameter "sort_order" must be asc or desc.' })
      .optional()
      .meta({ enum: ['asc', 'desc'], default: 'desc', description: 'The sort direction.' }),
  }
  for (const name of filterNames) {
    const { allowed, commaSeparated, caseInsensitive } = listing.filters[name]!
    const parameter = allowed
      ? z
          .string()
          .refine((value) => split(value, commaSeparated).every((item) => allowed.includes(item)), {
            error: `Query parameter "${name}" must be one of ${quoted(allowed)}.`,
          })
          .optional()
      : z.string().optional()
    // What the OpenAPI document says of the parameter (the refinement itself has no JSON Schema).
    const description = commaSeparated
      ? `Only records that have every one of these comma-separated values in ${name}.`
      : `Only records whose ${name} is this value${caseInsensitive ? ', ignoring case' : ''}.`
    shape[name] = parameter.meta(allowed && !commaSeparated ? { enum: [...allowed], description } : { description })
  }
  const schema = z
    .preprocess(dropEmpty, z.looseObject(shape))
    .transform((query): ListParams => {
      const raw = query as Record<string, string | undefined>
      const filters = filterNames.flatMap((name) => {
        const value = raw[name]
        if (value === undefined) return []
        const values = split(value, listing.filters[name]!.commaSeparated)
        return values.length === 0 ? [] : [{ name, values }]
      })
      const params: ListParams = {
        page: raw.page === undefined ? 1 : Number(raw.page),
        limit: raw.limit === undefined ? defaultPageSize : Number(raw.limit),
        filters,
        sortBy: raw.sort_by ?? 'created_at',
        sortOrder: raw.sort_order === 'asc' ? 'asc' : 'desc',
      }
      if (raw.search !== undefined) params.search = raw.search
      return params
    })
  // The preprocessing step reads any value; what the schema means to read is the parameters by name.
  return schema as unknown as z.ZodType<ListParams, ListQueryParameters<Filter, Sort>>
}

function split(value: string, commaSeparated: boolean | undefined): string[] {
  if (!commaSeparated) return [value]
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
}

function dropEmpty(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== ''))
}
