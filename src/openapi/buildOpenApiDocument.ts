import { z } from 'zod'
import { allowedValues, answerableErrors } from '../contract/answerableErrors.js'
import { apiErrors } from '../contract/apiErrors.js'
import type { ApiErrorCode } from '../contract/apiErrors.js'
import { endpoints as defaultEndpoints } from '../contract/endpoints.js'
import type { EndpointDefinition } from '../contract/EndpointDefinition.js'
import { documentedTimestampPattern, timestampPattern } from '../contract/formatTimestamp.js'
import { maxPageSize } from '../contract/listQuery.js'
import { errorEnvelopeSchema } from '../contract/schemas.js'

/** Options of `buildOpenApiDocument`. */
export interface OpenApiDocumentOptions {
  /**
   * Server URLs listed in the document, first the one tools use by default.
   * @default ['https://app.getraze.com', 'http://127.0.0.1:4010']
   */
  serverUrls?: readonly string[]
  /**
   * The endpoints to describe.
   * @default every documented endpoint
   */
  endpoints?: readonly EndpointDefinition[]
}

/** An OpenAPI 3.1 document as plain JSON data. */
export type OpenApiDocument = Record<string, unknown>

const defaultServerUrls = ['https://app.getraze.com', 'http://127.0.0.1:4010']

type ErrorExample = { summary: string; error: Record<string, unknown> }

/** One example per code shared by every endpoint: the docs' message where the docs give one, else the mock's own. */
const sharedErrorExamples: Partial<Record<ApiErrorCode, ErrorExample>> = {
  VALIDATION_ERROR: { summary: 'The body is missing or not a JSON object', error: { message: 'Request body is required.' } },
  MISSING_API_KEY: {
    summary: 'No key in the X-API-Key header, Authorization: Bearer or ?api_key=',
    error: { message: 'API key is required. Send it in the X-API-Key header, as Authorization: Bearer <key>, or as ?api_key=.' },
  },
  INVALID_API_KEY: { summary: 'Unknown or revoked key', error: { message: 'The API key is invalid or has been revoked.' } },
  EXPIRED_API_KEY: { summary: 'The key is past its expiry', error: { message: 'The API key has expired.', details: { expired_at: '2023-12-31T23:59:59Z' } } },
  RATE_LIMIT_EXCEEDED: {
    summary: 'The key used up its hourly allowance',
    error: { message: 'Rate limit exceeded: 1000 requests per hour. Retry after 3600 seconds.', retry_after: 3600 },
  },
  INTERNAL_ERROR: { summary: 'An internal error', error: { message: 'An unexpected error occurred.' } },
  INVALID_PARAMETER: {
    summary: 'A query parameter does not fit',
    error: { message: `Query parameter "limit" must be a whole number from 1 to ${maxPageSize}.`, details: { parameter: 'limit', received: '500' } },
  },
}

const statusDescriptions: Record<number, string> = {
  400: 'The request is not valid',
  401: 'The API key is missing, unknown, revoked or expired (no rate-limit headers: no quota applies)',
  403: 'The API key lacks the permission',
  404: 'Not found',
  409: 'A record already has this unique value',
  429: 'The API key used up its hourly allowance',
  500: 'An internal error',
}

/**
 * A zod schema as an OpenAPI 3.1 schema object (JSON Schema 2020-12 without its `$schema`). A
 * string with the contract's timestamp pattern (`timestampSchema`, however it is wrapped) is a
 * `date-time` in the documented form: tools that make up values (Prism's `Prefer: dynamic=true`)
 * read the format, and would otherwise draw digits for the pattern (`7090-11-61T86:84:83Z`). The
 * pattern is the docs' (fractions allowed), since such tools send milliseconds.
 */
function toSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
    override: ({ jsonSchema }) => {
      if (jsonSchema.type === 'string' && jsonSchema.pattern === timestampPattern.source) {
        jsonSchema.format = 'date-time'
        jsonSchema.pattern = documentedTimestampPattern.source
      }
    },
  }) as Record<string, unknown>
  return rest
}

const rateLimitHeaderRefs = {
  'X-RateLimit-Limit': { $ref: '#/components/headers/X-RateLimit-Limit' },
  'X-RateLimit-Remaining': { $ref: '#/components/headers/X-RateLimit-Remaining' },
  'X-RateLimit-Reset': { $ref: '#/components/headers/X-RateLimit-Reset' },
}

/**
 * A header in digits with the value a mock should send. Without an example Prism sends its
 * placeholder `string`, which breaks the pattern, and reports that in `sl-violations`.
 */
const digitsHeader = (description: string, example: string) => ({ description, required: true, schema: { type: 'string', pattern: '^\\d+$' }, example })

/** The rate-limit headers as the docs' rate-limits page shows them on an answer. */
const rateLimitHeaders = {
  'X-RateLimit-Limit': digitsHeader("The key's requests per hour.", '1000'),
  'X-RateLimit-Remaining': digitsHeader('Requests left in the current hour.', '999'),
  'X-RateLimit-Reset': digitsHeader('Unix time (seconds) when the hourly window resets.', '1701388800'),
}

/** `Retry-After` as the 429 example's `retry_after` says. */
const retryAfterHeader = digitsHeader('Seconds until the key may send again.', String(sharedErrorExamples.RATE_LIMIT_EXCEEDED!.error.retry_after))

/**
 * The examples of the codes whose wording depends on the endpoint: the permission it needs, the
 * record it names, and its own field errors (with a value its behaviour table sends).
 */
function endpointErrorExamples(endpoint: EndpointDefinition): Partial<Record<ApiErrorCode, ErrorExample>> {
  const examples: Partial<Record<ApiErrorCode, ErrorExample>> = {
    INSUFFICIENT_PERMISSIONS: {
      summary: 'The key lacks the permission the endpoint needs',
      error: { message: `This API key lacks the ${endpoint.permission} permission.` },
    },
  }
  if (endpoint.resource) {
    const message = `${endpoint.resource.label} not found`
    examples.NOT_FOUND = { summary: message, error: { message } }
  }
  for (const [field, rule] of Object.entries(endpoint.fieldErrors ?? {})) {
    const behaviour = Object.values(endpoint.behaviours).find((candidate) => 'error' in candidate.response && candidate.response.error === rule.code)
    const sent = (behaviour?.request.body as Record<string, unknown> | undefined)?.[field]
    const variable = typeof sent === 'string' ? /^\{(\w+)\}$/.exec(sent)?.[1] : undefined
    const received = variable === undefined ? sent : behaviour?.variables[variable]
    if (rule.message !== undefined) {
      // A rule with a fixed message (INVALID_EMAIL) is about a value's form, not a list of values.
      examples[rule.code] = { summary: rule.message, error: { message: rule.message, details: { field, received: received ?? null } } }
      continue
    }
    const message = `${rule.label} value is not valid`
    examples[rule.code] = { summary: message, error: { message, details: { field, allowed: [...allowedValues(endpoint, field)], received: received ?? null } } }
  }
  // The endpoint's other codes (ALREADY_EXISTS, say): its behaviour table's wording, else the errors page's.
  for (const code of endpoint.errors) examples[code] ??= documentedExample(endpoint, code)
  return examples
}

/**
 * The codes of one status in the order tools take them: the endpoint's own documented codes first
 * (its error table's order), then the shared ones. Prism answers a request its schema refuses with
 * the first 400 example, and `Prefer: code=N` with the first of N: for `{"status":"WON"}` that must
 * be the endpoint's `INVALID_STATUS`, not the `VALIDATION_ERROR` of a missing body.
 */
function inToolOrder(endpoint: EndpointDefinition, codes: readonly ApiErrorCode[]): ApiErrorCode[] {
  const own = codes.filter((code) => endpoint.errors.includes(code)).sort((a, b) => endpoint.errors.indexOf(a) - endpoint.errors.indexOf(b))
  return [...own, ...codes.filter((code) => !endpoint.errors.includes(code))]
}

/**
 * The example of a code neither the endpoint's wording nor the shared examples cover (a create's
 * `ALREADY_EXISTS`): the message its behaviour table gives (the docs' wording), else the code's
 * description.
 */
function documentedExample(endpoint: EndpointDefinition, code: ApiErrorCode): ErrorExample {
  const behaviour = Object.values(endpoint.behaviours).find((candidate) => 'error' in candidate.response && candidate.response.error === code)
  const message = behaviour && 'message' in behaviour.response && behaviour.response.message !== undefined ? behaviour.response.message : `${apiErrors[code].description}.`
  return { summary: message, error: { message } }
}

function errorResponse(endpoint: EndpointDefinition, status: number, listed: readonly ApiErrorCode[]) {
  const own = endpointErrorExamples(endpoint)
  const codes = inToolOrder(endpoint, listed)
  const examples = Object.fromEntries(
    codes.map((code) => {
      const example = own[code] ?? sharedErrorExamples[code] ?? documentedExample(endpoint, code)
      return [code, { summary: example.summary, value: { success: false, error: { code, ...example.error } } }]
    }),
  )
  const headers: Record<string, unknown> = status === 401 ? {} : { ...rateLimitHeaderRefs }
  if (status === 429) {
    // A 429 has no request left in the window.
    headers['X-RateLimit-Remaining'] = { ...rateLimitHeaders['X-RateLimit-Remaining'], example: '0' }
    headers['Retry-After'] = { $ref: '#/components/headers/Retry-After' }
  }
  return {
    description: statusDescriptions[status] ?? codes.join(', '),
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    content: {
      'application/json': {
        schema: {
          allOf: [
            { $ref: '#/components/schemas/ErrorEnvelope' },
            { type: 'object', properties: { error: { type: 'object', properties: { code: { enum: [...codes] } } } } },
          ],
        },
        examples,
      },
    },
  }
}

/**
 * The query parameters of an endpoint, from its query schema (a list's page, limit, search,
 * order and filters), none required; the docs' example value where the example sends one.
 */
function queryParameters(endpoint: EndpointDefinition): Array<Record<string, unknown>> {
  if (!endpoint.query) return []
  const properties = (toSchema(endpoint.query, 'input').properties ?? {}) as Record<string, Record<string, unknown>>
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...schema } = property
    const given = endpoint.example.query?.[name]
    const example = given !== undefined && schema.type === 'integer' ? Number(given) : given
    return {
      name,
      in: 'query',
      required: false,
      ...(typeof description === 'string' ? { description } : {}),
      schema,
      ...(example !== undefined ? { example } : {}),
    }
  })
}

function describeEndpoint(endpoint: EndpointDefinition) {
  const byStatus = new Map<number, ApiErrorCode[]>()
  for (const code of answerableErrors(endpoint)) {
    const status = apiErrors[code].status
    byStatus.set(status, [...(byStatus.get(status) ?? []), code])
  }
  const responses: Record<string, unknown> = {
    [String(endpoint.successStatus ?? 200)]: {
      description: endpoint.summary,
      headers: rateLimitHeaderRefs,
      content: {
        'application/json': {
          schema: toSchema(endpoint.response, 'output'),
          // The docs' example response, exactly.
          example: endpoint.example.response,
        },
      },
    },
  }
  for (const status of [...byStatus.keys()].sort((a, b) => a - b)) {
    responses[String(status)] = errorResponse(endpoint, status, byStatus.get(status)!)
  }
  const parameters: Array<Record<string, unknown>> = [...endpoint.path.matchAll(/:([A-Za-z_]+)/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string' },
    example: endpoint.example.params[name!],
  }))
  parameters.push(...queryParameters(endpoint))
  return {
    operationId: endpoint.operationId,
    summary: endpoint.summary,
    description: `Requires the \`${endpoint.permission}\` permission.`,
    parameters,
    ...(endpoint.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: toSchema(endpoint.body, 'input'), example: endpoint.example.body } },
          },
        }
      : {}),
    responses,
  }
}

/**
 * An OpenAPI 3.1 description generated from the contract (`src/contract`): each endpoint's path,
 * the three documented ways to send a key as security schemes (any one suffices), the body
 * schema, every documented response in its envelope with an example (the docs' own for 200) and
 * the rate-limit headers. Generated on each call, so it cannot drift from the contract the mock
 * serves.
 *
 * @example
 * writeFileSync('openapi.json', JSON.stringify(buildOpenApiDocument(), null, 2))
 * @see getraze-mock openapi, the CLI command that writes it as JSON or YAML
 */
export function buildOpenApiDocument(options: OpenApiDocumentOptions = {}): OpenApiDocument {
  const serverUrls = options.serverUrls ?? defaultServerUrls
  const paths: Record<string, Record<string, unknown>> = {}
  for (const endpoint of options.endpoints ?? defaultEndpoints) {
    const path = endpoint.path.replace(/:([A-Za-z_]+)/g, '{$1}')
    paths[path] = { ...paths[path], [endpoint.method.toLowerCase()]: describeEndpoint(endpoint) }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'GetRaze external API',
      version: 'v1',
      description:
        'Generated by getraze-mock from its contract of the GetRaze external API. Every response carries the rate-limit headers except 401s.',
    },
    servers: serverUrls.map((url) => ({ url })),
    // Any one of the three ways to send a key is enough; X-API-Key is the recommended one.
    security: [{ apiKeyHeader: [] }, { bearerAuth: [] }, { apiKeyQuery: [] }],
    paths,
    components: {
      securitySchemes: {
        apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'The recommended way to send a key.' },
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'The key as a bearer token: `Authorization: Bearer <key>`.' },
        apiKeyQuery: { type: 'apiKey', in: 'query', name: 'api_key', description: 'Discouraged: URLs get logged.' },
      },
      headers: { ...rateLimitHeaders, 'Retry-After': retryAfterHeader },
      schemas: {
        ErrorEnvelope: toSchema(errorEnvelopeSchema, 'output'),
      },
    },
  }
}
