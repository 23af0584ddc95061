import type { z } from 'zod'
import { apiErrors } from '../contract/apiErrors.js'
import type { ApiErrorCode } from '../contract/apiErrors.js'
import { endpoints } from '../contract/endpoints.js'
import { errorEnvelopeSchema } from '../contract/schemas.js'
import { compileRoutes } from '../core/matchRoute.js'
import type { Exchange } from './createExchangeRecorder.js'

/** A difference between what a provider sent and what the docs describe. */
export interface Difference {
  /** JSON path (`$.data.won_at`), `status`, or `header <name>`. */
  path: string
  expected: string
  actual: string
  message: string
}

const matchRoute = compileRoutes(endpoints)
const rateLimitHeaders = ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']

function jsonPath(path: readonly PropertyKey[]): string {
  return `$${path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('')}`
}

function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((value, key) => (value as Record<PropertyKey, unknown> | undefined)?.[key], body)
}

function schemaDifferences(schema: z.ZodType, body: unknown): Difference[] {
  const result = schema.safeParse(body)
  if (result.success) return []
  return result.error.issues.flatMap((issue): Difference[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: jsonPath([...issue.path, key]),
        expected: 'absent (not in the documented response)',
        actual: JSON.stringify(valueAt(body, [...issue.path, key])),
        message: `extra field "${key}"`,
      }))
    }
    return [
      {
        path: jsonPath(issue.path),
        expected: issue.message,
        actual: JSON.stringify(valueAt(body, issue.path)) ?? 'missing',
        message: issue.message,
      },
    ]
  })
}

/**
 * Compares one recorded answer with the documented contract: the success schema (extra or
 * missing fields), the error envelope, documented codes and their statuses, and the rate-limit
 * headers. These are reported as warnings next to Pact's own verdict, which ignores extra fields.
 *
 * @example
 * checkExchange({ method: 'PATCH', path, status: 200, headers, body })
 */
export function checkExchange(exchange: Exchange): Difference[] {
  const route = matchRoute(exchange.method, exchange.path.split('?')[0]!)
  if (route.kind !== 'endpoint') return []
  let body: unknown
  try {
    body = JSON.parse(exchange.body)
  } catch {
    return [{ path: '$', expected: 'a JSON body', actual: exchange.body.slice(0, 80), message: 'the body is not JSON' }]
  }
  const differences: Difference[] = []
  if (exchange.status >= 200 && exchange.status < 300) {
    differences.push(...schemaDifferences(route.endpoint.response, body))
  } else {
    differences.push(...schemaDifferences(errorEnvelopeSchema, body))
    const code = (body as { error?: { code?: unknown } }).error?.code
    if (typeof code === 'string') {
      const known = apiErrors[code as ApiErrorCode]
      if (!known) {
        differences.push({ path: '$.error.code', expected: 'a documented error code', actual: JSON.stringify(code), message: `undocumented error code "${code}"` })
      } else if (known.status !== exchange.status) {
        differences.push({ path: 'status', expected: String(known.status), actual: String(exchange.status), message: `${code} is documented with HTTP ${known.status}` })
      }
    }
  }
  if (exchange.status !== 401) {
    for (const header of rateLimitHeaders) {
      if (exchange.headers[header] === undefined) {
        differences.push({ path: `header ${header}`, expected: 'present on every response', actual: 'missing', message: `missing ${header} header` })
      }
    }
  }
  return differences
}
