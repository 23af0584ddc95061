import { Validator } from '@seriousme/openapi-schema-validator'
import { parse } from 'yaml'
import { expect, it } from 'vitest'
import { errorEnvelopeSchema, stageUpdateResponseSchema } from '../contract/schemas.js'
import { updateOpportunityStageContract } from '../contract/updateOpportunityStageContract.js'
import { endpoints } from '../contract/endpoints.js'
import type { EndpointDefinition } from '../contract/EndpointDefinition.js'
import { listQuerySchema } from '../contract/listQuery.js'
import { opportunityResource } from '../contract/resources.js'
import { buildOpenApiDocument } from './buildOpenApiDocument.js'
import { toYaml } from './toYaml.js'

type Json = Record<string, any>
const document = buildOpenApiDocument() as Json
const operation = document.paths['/external/v1/opportunities/{id}/stage'].patch as Json

it('is a valid OpenAPI 3.1 document for a maintained validator', async () => {
  const result = await new Validator().validate(document)
  expect(result.errors).toBeUndefined()
  expect(result.valid).toBe(true)
})

it('reads back from YAML as the same document, and validates as YAML too', async () => {
  const yaml = toYaml(document)
  expect(parse(yaml)).toEqual(document)
  expect((await new Validator().validate(yaml)).valid).toBe(true)
})

it('offers the three documented ways to send a key, any one of them enough', () => {
  expect(document.security).toEqual([{ apiKeyHeader: [] }, { bearerAuth: [] }, { apiKeyQuery: [] }])
  expect(document.components.securitySchemes).toMatchObject({
    apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
    bearerAuth: { type: 'http', scheme: 'bearer' },
    apiKeyQuery: { type: 'apiKey', in: 'query', name: 'api_key' },
  })
})

it("gives the docs' 200 example exactly, and it fits the 200 schema", () => {
  const content = operation.responses['200'].content['application/json']
  expect(content.example).toEqual({
    success: true,
    data: { id: 'opp_abc123def456', name: 'John Doe', status: 'won', won_at: '2024-01-25T10:00:00Z', updated_at: '2024-01-25T10:00:00Z' },
  })
  expect(stageUpdateResponseSchema.safeParse(content.example).success).toBe(true)
  expect(operation.requestBody.content['application/json'].example).toEqual(updateOpportunityStageContract.example.body)
  expect(operation.requestBody.content['application/json'].schema.properties.status.enum).toEqual([
    'new', 'contacted', 'qualified', 'proposal', 'negotiation', 'won', 'lost',
  ])
})

it('lists every documented error response in the envelope, each example valid and under its status', () => {
  expect(Object.keys(operation.responses)).toEqual(['200', '400', '401', '403', '404', '429', '500'])
  const codes: Record<string, string[]> = {}
  for (const [status, response] of Object.entries(operation.responses as Record<string, Json>)) {
    if (status === '200') continue
    const content = response.content['application/json']
    codes[status] = content.schema.allOf[1].properties.error.properties.code.enum
    for (const [code, example] of Object.entries(content.examples as Record<string, Json>)) {
      expect(example.value.error.code).toBe(code)
      expect(errorEnvelopeSchema.safeParse(example.value).success).toBe(true)
    }
    expect(Object.keys(content.examples)).toEqual(codes[status])
  }
  expect(codes).toEqual({
    // The endpoint's own code first: Prism answers a body its schema refuses with the first one.
    '400': ['INVALID_STATUS', 'VALIDATION_ERROR'],
    '401': ['MISSING_API_KEY', 'INVALID_API_KEY', 'EXPIRED_API_KEY'],
    '403': ['INSUFFICIENT_PERMISSIONS'],
    '404': ['NOT_FOUND'],
    '429': ['RATE_LIMIT_EXCEEDED'],
    '500': ['INTERNAL_ERROR'],
  })
  expect(operation.responses['404'].content['application/json'].examples.NOT_FOUND.value.error.message).toBe('Opportunity not found')
})

it('declares the rate-limit headers on every response but the 401s, and Retry-After on 429', () => {
  for (const [status, response] of Object.entries(operation.responses as Record<string, Json>)) {
    if (status === '401') expect(response.headers).toBeUndefined()
    else expect(Object.keys(response.headers).slice(0, 3)).toEqual(['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'])
  }
  expect(operation.responses['429'].headers['Retry-After']).toEqual({ $ref: '#/components/headers/Retry-After' })
})

it("gives every header the docs' example value, and a 429 none remaining", () => {
  const examples = Object.fromEntries(Object.entries(document.components.headers as Record<string, Json>).map(([name, header]) => [name, header.example]))
  expect(examples).toEqual({ 'X-RateLimit-Limit': '1000', 'X-RateLimit-Remaining': '999', 'X-RateLimit-Reset': '1701388800', 'Retry-After': '3600' })
  for (const header of Object.values(document.components.headers as Record<string, Json>)) expect(header.example).toMatch(new RegExp(header.schema.pattern))
  expect(operation.responses['429'].headers['X-RateLimit-Remaining'].example).toBe('0')
  expect(operation.responses['429'].content['application/json'].examples.RATE_LIMIT_EXCEEDED.value.error.retry_after).toBe(3600)
})

it('describes every timestamp of the contract as a date-time in the documented form, and nothing else', () => {
  const data = operation.responses['200'].content['application/json'].schema.properties.data.properties
  const read = (buildOpenApiDocument() as Json).paths['/external/v1/opportunities/{id}'].get.responses['200'].content['application/json'].schema.properties.data.properties
  const timestamp = { type: 'string', format: 'date-time', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$' }
  expect([data.won_at, data.lost_at, data.updated_at]).toEqual([timestamp, timestamp, timestamp])
  expect([read.created_at, read.updated_at, read.won_at.anyOf[0]]).toEqual([timestamp, timestamp, timestamp])
  const formats = JSON.stringify(document).match(/"format":"[^"]+"/g) ?? []
  expect(new Set(formats)).toEqual(new Set(['"format":"date-time"']))
  expect(read.name.format).toBeUndefined()
})

it('lists the given server URLs', () => {
  expect((buildOpenApiDocument({ serverUrls: ['http://127.0.0.1:9999'] }) as Json).servers).toEqual([{ url: 'http://127.0.0.1:9999' }])
})

it('describes every endpoint of the registry: its success status and example, query parameters, body, and an envelope example per error code', () => {
  for (const endpoint of endpoints as readonly EndpointDefinition[]) {
    const where = `${endpoint.method} ${endpoint.path}`
    const described = document.paths[endpoint.path.replace(/:(\w+)/g, '{$1}')][endpoint.method.toLowerCase()] as Json
    const success = String(endpoint.successStatus ?? 200)
    expect(Object.keys(described.responses)[0], where).toBe(success)
    expect(described.responses[success].content['application/json'].example, where).toEqual(endpoint.example.response)
    expect(endpoint.response.safeParse(endpoint.example.response).success, where).toBe(true)
    const query = (described.parameters as Json[]).filter((parameter) => parameter.in === 'query')
    if (endpoint.query) {
      // The list parameters with what they allow, none required.
      expect(query.map((parameter) => parameter.name), where).toEqual(expect.arrayContaining(['page', 'limit', 'search', 'sort_by', 'sort_order']))
      expect(query.every((parameter) => parameter.required === false && typeof parameter.description === 'string'), where).toBe(true)
      expect(query.find((parameter) => parameter.name === 'limit')!.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 100, default: 20 })
      expect(query.find((parameter) => parameter.name === 'sort_order')!.schema).toMatchObject({ enum: ['asc', 'desc'], default: 'desc' })
    } else {
      expect(query, where).toEqual([])
    }
    expect(described.requestBody !== undefined, where).toBe(endpoint.body !== undefined)
    for (const [status, response] of Object.entries(described.responses as Record<string, Json>)) {
      if (status === success) continue
      for (const [code, example] of Object.entries(response.content['application/json'].examples as Record<string, Json>)) {
        expect(example.value.error.code, where).toBe(code)
        expect(errorEnvelopeSchema.safeParse(example.value).success, `${where} ${code}`).toBe(true)
      }
    }
  }
})

it('takes the query parameters of a list from its listing, with the allowed values of an enum filter', () => {
  const list = { ...updateOpportunityStageContract, method: 'GET', path: '/external/v1/things', query: listQuerySchema(opportunityResource.listing), body: undefined, example: { ...updateOpportunityStageContract.example, params: {}, query: { status: 'qualified', limit: '50' } } }
  const described = (buildOpenApiDocument({ endpoints: [list as unknown as EndpointDefinition] }) as Json).paths['/external/v1/things'].get
  const byName = Object.fromEntries((described.parameters as Json[]).map((parameter) => [parameter.name, parameter]))
  expect(byName.status).toMatchObject({ in: 'query', required: false, example: 'qualified', schema: { type: 'string', enum: ['new', 'contacted', 'qualified', 'proposal', 'negotiation', 'won', 'lost'] } })
  expect(byName.limit).toMatchObject({ example: 50, schema: { type: 'integer' } })
  expect(byName.sort_by.schema.enum).toEqual(opportunityResource.listing.sortFields)
  expect(Object.keys(described.responses)).toContain('400')
  expect(described.responses['400'].content['application/json'].examples.INVALID_PARAMETER.value.error.details).toEqual({ parameter: 'limit', received: '500' })
})
