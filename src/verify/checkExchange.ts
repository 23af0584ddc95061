import { apiErrors } from '../contract/apiErrors.js'
import type { ApiErrorCode } from '../contract/apiErrors.js'
import { endpoints } from '../contract/endpoints.js'
import type { EndpointDefinition } from '../contract/EndpointDefinition.js'
import { timestampPattern } from '../contract/formatTimestamp.js'
import { documentedFields } from '../contract/resources.js'
import { compileRoutes } from '../core/matchRoute.js'
import type { Difference } from '../consumer/Difference.js'
import type { Exchange } from './createExchangeRecorder.js'
import { jsonSchemaOf, unwrapNullable } from '../consumer/pactMatchers.js'
import type { JsonSchema } from '../consumer/pactMatchers.js'
import { summariseText } from './summariseText.js'


export type { Difference, DifferenceCategory } from '../consumer/Difference.js'

const matchRoute = compileRoutes(endpoints)
const rateLimitHeaders = ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']
// The pact's own timestamp matcher: UTC, fractions of a second allowed.
const utcTimestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/
const timestampInWords = 'a UTC timestamp such as 2024-01-25T10:00:00Z'
const documentedErrorFields = new Set(['code', 'message', 'details', 'retry_after'])

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** One warning for all extra fields of an object, told apart by whether the docs know them. */
function extraFields(path: string, object: Record<string, unknown>, allowed: readonly string[], resource: Set<string>, resourceName = 'opportunity'): Difference[] {
  const extra = Object.keys(object).filter((field) => !allowed.includes(field))
  if (extra.length === 0) return []
  const known = extra.filter((field) => resource.has(field))
  const unknown = extra.filter((field) => !resource.has(field))
  const parts = [
    known.length > 0 ? `of the documented ${resourceName} resource: ${known.join(', ')}` : '',
    unknown.length > 0 ? `never mentioned in the docs: ${unknown.join(', ')}` : '',
  ].filter(Boolean)
  return [
    {
      path,
      expected: allowed,
      actual: extra,
      message: `${extra.length} extra field${extra.length === 1 ? '' : 's'} the docs' answer does not show; ${parts.join('; ')}`,
    },
  ]
}

function checkTimestamp(path: string, value: unknown, nullable: boolean): Difference[] {
  if (value === undefined || (nullable && value === null)) return []
  if (typeof value === 'string' && utcTimestamp.test(value)) return []
  return [{ path, expected: nullable ? `${timestampInWords}, or null` : timestampInWords, actual: value ?? null, message: 'not a UTC timestamp in the documented form' }]
}

/** Checks one documented field of `data` against its schema: present when required, its type, its enum, its form. */
function checkField(field: string, value: unknown, fieldSchema: JsonSchema, required: boolean, resourceNullable: boolean): Difference[] {
  const path = `$.data.${field}`
  const { schema, nullable } = unwrapNullable(fieldSchema)
  if (value === undefined) {
    return required ? [{ path, expected: schema.pattern === timestampPattern.source ? timestampInWords : `a ${schema.type ?? 'value'}`, actual: null, message: `missing ${field}` }] : []
  }
  // The resource documents some fields as null until set (won_at, lost_at), so null is not a drift.
  if (value === null && (nullable || resourceNullable)) return []
  if (schema.pattern === timestampPattern.source) return checkTimestamp(path, value, nullable || resourceNullable)
  if (schema.enum) {
    return schema.enum.includes(value) ? [] : [{ path, expected: `one of ${schema.enum.join(', ')}`, actual: value, message: `not a documented ${field}` }]
  }
  // JSON Schema's names: an array is not an object (tags, a list's records).
  const type = Array.isArray(value) ? 'array' : typeof value === 'number' && schema.type === 'integer' && Number.isInteger(value) ? 'integer' : typeof value
  if (schema.type !== undefined && schema.type !== type && !(schema.type === 'number' && type === 'number')) {
    return [{ path, expected: `${/^[aeiou]/.test(String(schema.type)) ? 'an' : 'a'} ${schema.type}`, actual: value, message: `${field} is ${describe(value)}` }]
  }
  return []
}

/**
 * Compares a success with the endpoint's documented answer (`endpoint.response`): the envelope,
 * each documented field of `data`, and extra fields grouped into one warning that tells fields of
 * the documented resource (which a provider may send in a shorter answer) from unknown ones.
 */
function checkSuccess(body: Record<string, unknown>, endpoint: EndpointDefinition): Difference[] {
  const differences: Difference[] = []
  const schema = jsonSchemaOf(endpoint.response) as JsonSchema & { required?: string[] }
  const resource = endpoint.resource
  const resourceFields = new Set(resource ? documentedFields(resource) : [])
  if (body.success !== true) differences.push({ path: '$.success', expected: true, actual: body.success ?? null, message: 'a 2xx answer should say success: true' })
  differences.push(...extraFields('$', body, Object.keys(schema.properties ?? {}), new Set()))
  const dataSchema = schema.properties?.data as (JsonSchema & { required?: string[] }) | undefined
  if (!dataSchema?.properties) return differences
  const data = body.data
  if (!isObject(data)) {
    differences.push({ path: '$.data', expected: `the ${resource?.name ?? 'answer'} (an object)`, actual: data ?? null, message: `data is ${describe(data)}` })
    return differences
  }
  const resourceSchema = resource ? (jsonSchemaOf(resource.schema).properties ?? {}) : {}
  const nullableInResource = (field: string) => resourceSchema[field] !== undefined && unwrapNullable(resourceSchema[field]!).nullable
  for (const [field, fieldSchema] of Object.entries(dataSchema.properties)) {
    differences.push(...checkField(field, data[field], fieldSchema, dataSchema.required?.includes(field) ?? false, nullableInResource(field)))
  }
  // A field of the documented resource, even where the docs' answer omits it, keeps its form.
  for (const [field, fieldSchema] of Object.entries(resourceSchema)) {
    if (field in dataSchema.properties || !resourceFields.has(field) || data[field] === undefined) continue
    if (unwrapNullable(fieldSchema).schema.pattern === timestampPattern.source) differences.push(...checkTimestamp(`$.data.${field}`, data[field], nullableInResource(field)))
  }
  differences.push(...extraFields('$.data', data, Object.keys(dataSchema.properties), resourceFields, resource?.name))
  return differences
}

function checkError(body: Record<string, unknown>, status: number): Difference[] {
  const differences: Difference[] = []
  if (body.success !== false) differences.push({ path: '$.success', expected: false, actual: body.success ?? null, message: 'an error answer should say success: false' })
  differences.push(...extraFields('$', body, ['success', 'error'], new Set()))
  const error = body.error
  if (!isObject(error)) {
    differences.push({ path: '$.error', expected: 'an object with code and message', actual: error ?? null, message: 'not the documented error envelope' })
    return differences
  }
  if (typeof error.message !== 'string') differences.push({ path: '$.error.message', expected: 'a string', actual: error.message ?? null, message: 'missing error.message' })
  const code = error.code
  if (typeof code !== 'string') {
    differences.push({ path: '$.error.code', expected: 'a documented error code', actual: code ?? null, message: 'missing error.code' })
  } else {
    const known = apiErrors[code as ApiErrorCode]
    if (!known || !known.documented) {
      differences.push({ path: '$.error.code', expected: 'a documented error code', actual: code, message: `undocumented error code "${code}"` })
    } else if (known.status !== status) {
      differences.push({ path: 'status', expected: known.status, actual: status, message: `${code} is documented with HTTP ${known.status}` })
    }
  }
  differences.push(...extraFields('$.error', error, [...documentedErrorFields], new Set()))
  return differences
}

function checkHeaders(exchange: Exchange): Difference[] {
  const differences: Difference[] = []
  if (exchange.status !== 401) {
    const missing = rateLimitHeaders.filter((header) => exchange.headers[header] === undefined)
    if (missing.length > 0) {
      differences.push({ path: `header ${missing.join(', ')}`, expected: 'present on every answer but 401', actual: null, message: `missing ${missing.join(', ')}` })
    }
  }
  if (exchange.status === 429) {
    const retryAfter = exchange.headers['retry-after']
    if (retryAfter === undefined || !/^\d+$/.test(retryAfter)) {
      differences.push({ path: 'header retry-after', expected: 'whole seconds to wait, on every 429', actual: retryAfter ?? null, message: retryAfter === undefined ? 'missing Retry-After on a 429' : 'Retry-After is not whole seconds' })
    }
  }
  return differences
}

/**
 * Compares one recorded answer with the documented contract of its endpoint: the success shape
 * (`endpoint.response`, with extra
 * fields grouped into one warning, documented resource fields told apart from unknown ones),
 * the error envelope, documented codes and their statuses, timestamps as the pact matches
 * them, the rate-limit headers and `Retry-After` on 429. These are warnings next to Pact's own
 * verdict, which ignores extra fields.
 *
 * @example
 * checkExchange({ method: 'PATCH', path, status: 200, headers, body })
 */
export function checkExchange(exchange: Exchange): Difference[] {
  let route: ReturnType<typeof matchRoute>
  try {
    route = matchRoute(exchange.method, exchange.path.split('?')[0]!)
  } catch {
    // A malformed escape in the path: not a documented route, so nothing to compare.
    return []
  }
  if (route.kind !== 'endpoint') return []
  let body: unknown
  try {
    body = JSON.parse(exchange.body)
  } catch {
    return [{ path: '$', expected: 'a JSON body', actual: summariseText(exchange.body, exchange.headers['content-type']), message: 'the body is not JSON' }, ...checkHeaders(exchange)]
  }
  if (!isObject(body)) return [{ path: '$', expected: 'a JSON object', actual: body, message: `the body is ${describe(body)}` }, ...checkHeaders(exchange)]
  const ok = exchange.status >= 200 && exchange.status < 300
  return [...(ok ? checkSuccess(body, route.endpoint) : checkError(body, exchange.status)), ...checkHeaders(exchange)]
}
