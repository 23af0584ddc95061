import { apiErrors } from '../contract/apiErrors.js'
import type { ApiErrorCode } from '../contract/apiErrors.js'
import type { EndpointDefinition } from '../contract/EndpointDefinition.js'
import type { RateLimiter } from '../core/createRateLimiter.js'
import { extractApiKey } from '../core/extractApiKey.js'
import { compileRoutes } from '../core/matchRoute.js'
import type { MockRequest, MockResponse } from '../core/MockRequest.js'
import { GetRazeMockError } from '../errors/GetRazeMockError.js'
import type { MockStore } from '../store/createStore.js'
import { answerWithError, describeEndpoint, errorsFor } from './answerWithError.js'
import { fingerprintKey, maskApiKey } from './maskRequest.js'
import { describeKind, quoteName, quoteValue } from './quoteValue.js'
import type { ActiveFault, Fault, FaultMatch } from './TestControl.js'

/** What an adapter does with a faulted request. */
export interface FaultPlan {
  /** The fault's id, or `"prefer"` for a `Prefer` header. */
  fault: string
  /** Wait this long before doing the rest. */
  delayMs: number
  /** Close the connection, or hold it without answering. */
  network?: 'reset' | 'timeout'
  /** The answer to send; absent for a network fault, and for a delay, after which the request is handled normally. */
  response?: MockResponse
  /** The route's `:id`, and the resource its endpoint names, for the journal. */
  resourceId: string | undefined
  resource: string | undefined
  /** The endpoint the path routes to, and its path parameters, for observers. */
  operationId: string | undefined
  params: Readonly<Record<string, string>>
  /** The presented key, for the journal. */
  apiKey: string | undefined
}

interface StoredFault {
  id: string
  fault: Fault
  /** The match with its key reduced to a fingerprint and a mask. */
  match: Omit<FaultMatch, 'apiKey'> & { keyFingerprint?: number }
  seen: number
  applied: number
}

/** Documented codes, the only ones a fault may answer with. */
const documentedCodes = (Object.keys(apiErrors) as ApiErrorCode[]).filter((code) => apiErrors[code].documented)

/** Longest delay a fault may ask for, so a typo cannot hang a test run. */
export const maxFaultDelayMs = 300_000

/**
 * Most faults active at once. Faults are checked in order on every request, and each is kept until
 * it expires or is removed: 60,000 took 195 MB (issue 15). A test needs a handful.
 */
export const maxFaults = 1000
/**
 * Longest `match` string, in characters. A request line and its headers are at most 16 KiB in
 * Node, so a longer path could never match; 300 faults with 1 MiB paths took 392 MB (issue 15).
 */
export const maxFaultMatchLength = 2048

const faultFields = ['match', 'error', 'delayMs', 'network', 'after', 'times'] as const
const matchFields = ['method', 'path', 'resourceId', 'opportunityId', 'apiKey'] as const

function invalid(field: string, value: unknown, reason: string, fix: string): never {
  // Shown small and flat; a key is shown by its kind only, even when it has the wrong type.
  const shown = field === 'match.apiKey' ? describeKind(value) : quoteValue(value)
  throw new GetRazeMockError('INVALID_OPTION', `Failed to add the fault: "${field}" ${shown} ${reason}. ${fix}.`)
}

/**
 * Checks a fault from code or from the admin API, naming the field that is wrong, and returns a
 * copy (the caller's object is never kept).
 *
 * @example
 * parseFault({ error: 'RATE_LIMIT_EXCEEDED', times: 1 })
 */
export function parseFault(input: unknown): Fault {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    // The kind only: a string here may well be a key passed in the wrong place.
    throw new GetRazeMockError('INVALID_OPTION', `Failed to add the fault: it must be an object, got ${describeKind(input)}. Pass e.g. { error: 'RATE_LIMIT_EXCEEDED', times: 1 }.`)
  }
  const record = input as Record<string, unknown>
  for (const field of Object.keys(record)) {
    if (!(faultFields as readonly string[]).includes(field)) {
      // The value is not quoted: a misplaced apiKey must not end up in a message.
      throw new GetRazeMockError('INVALID_OPTION', `Failed to add the fault: ${quoteName(field)} is not a fault field. Use ${faultFields.join(', ')}.`)
    }
  }
  const fault: Fault = {}
  const { match, error, delayMs, network, after, times } = record
  if (match !== undefined) {
    if (typeof match !== 'object' || match === null || Array.isArray(match)) invalid('match', match, 'is not an object', 'Pass e.g. { method: "PATCH" }')
    const copy: FaultMatch = {}
    for (const [field, value] of Object.entries(match)) {
      if (value === undefined) continue
      if (!(matchFields as readonly string[]).includes(field)) {
        throw new GetRazeMockError(
          'INVALID_OPTION',
          `Failed to add the fault: ${quoteName(`match.${field}`)} is not a fault match field. Use ${matchFields.join(', ')} (status and code are results, not request fields).`,
        )
      }
      if (typeof value !== 'string') invalid(`match.${field}`, value, 'is not a string', 'Pass the exact value to match')
      if (value.length > maxFaultMatchLength) {
        invalid(`match.${field}`, value, `is longer than ${maxFaultMatchLength} characters`, 'No request can carry it; pass the exact value to match')
      }
      copy[field as (typeof matchFields)[number]] = value
    }
    fault.match = copy
  }
  if (error !== undefined) {
    if (typeof error !== 'string' || !documentedCodes.includes(error as ApiErrorCode)) {
      invalid('error', error, 'is not a documented error code', `Use one of ${documentedCodes.join(', ')}`)
    }
    fault.error = error as ApiErrorCode
  }
  if (delayMs !== undefined) {
    if (typeof delayMs !== 'number' || !Number.isFinite(delayMs) || delayMs < 0 || delayMs > maxFaultDelayMs) {
      invalid('delayMs', delayMs, `is not a number of milliseconds from 0 to ${maxFaultDelayMs}`, 'Pass e.g. 500')
    }
    fault.delayMs = delayMs
  }
  if (network !== undefined) {
    if (network !== 'reset' && network !== 'timeout') invalid('network', network, 'is not a network fault', 'Use "reset" or "timeout"')
    fault.network = network
  }
  if (after !== undefined) {
    if (!Number.isInteger(after) || (after as number) < 0) invalid('after', after, 'is not a whole number >= 0', 'Pass e.g. 2 to let two requests through first')
    fault.after = after as number
  }
  if (times !== undefined) {
    if (!Number.isInteger(times) || (times as number) < 1) invalid('times', times, 'is not a whole number >= 1', 'Pass e.g. 1, or leave it out for no limit')
    fault.times = times as number
  }
  if (fault.error !== undefined && fault.network !== undefined) {
    invalid('network', fault.network, 'cannot go with "error"', 'A fault either answers an error or breaks the connection; add two faults for both')
  }
  if (fault.error === undefined && fault.network === undefined && !fault.delayMs) {
    throw new GetRazeMockError('INVALID_OPTION', 'Failed to add the fault: it does nothing. Give "error", "network" or "delayMs".')
  }
  return fault
}

/**
 * Reads `error=CODE` or `code=STATUS` from a `Prefer` header, as Prism does, for a request to
 * `endpoint`: only errors that endpoint answers, and for a status its first such code.
 */
function readPrefer(value: string, endpoint: EndpointDefinition | undefined): { code: ApiErrorCode } | { problem: string } | undefined {
  const match = /(?:^|[\s,;])(error|code)\s*=\s*"?([^\s,;"]+)"?/i.exec(value)
  if (!match) return undefined
  const [, kind, wanted] = match as unknown as [string, string, string]
  const answerable = errorsFor(endpoint)
  if (kind.toLowerCase() === 'error') {
    const code = wanted.toUpperCase() as ApiErrorCode
    if (!documentedCodes.includes(code)) {
      return { problem: `Prefer: error=${wanted} is not a documented error code. Use one of ${documentedCodes.join(', ')}.` }
    }
    if (answerable.includes(code)) return { code }
    return { problem: `Prefer: error=${wanted} is not an error ${describeEndpoint(endpoint)} answers. Use one of ${answerable.join(', ')}.` }
  }
  const code = answerable.find((candidate) => String(apiErrors[candidate].status) === wanted)
  if (code) return { code }
  const statuses = [...new Set(answerable.map((candidate) => apiErrors[candidate].status))]
  return { problem: `Prefer: code=${wanted} is not an error status ${describeEndpoint(endpoint)} answers. Use one of ${statuses.join(', ')}.` }
}

/** Options of `createFaults`. */
export interface FaultsOptions {
  store: MockStore
  rateLimiter: RateLimiter
  clock: () => Date
  endpoints: readonly EndpointDefinition[]
}

/**
 * The scripted faults of one mock: a list checked in order before the pipeline. With no fault
 * and no `Prefer` header, `plan` costs one header lookup.
 *
 * @example
 * const faults = createFaults({ store, rateLimiter, clock, endpoints })
 * faults.add({ error: 'INTERNAL_ERROR', times: 1 })
 * const plan = faults.plan(request) // what the adapter does instead of answering
 */
export function createFaults(options: FaultsOptions) {
  const { store, rateLimiter, clock } = options
  const matchRoute = compileRoutes(options.endpoints)
  // By id, in the order added: adding and removing cost O(1), and nothing copies the list.
  const faults = new Map<string, StoredFault>()
  let nextId = 1

  function toActive(stored: StoredFault): ActiveFault {
    // `fault.match.apiKey` already holds only the mask; copies keep callers off the live fault.
    const { fault } = stored
    const active: ActiveFault = { id: stored.id, ...fault, applied: stored.applied }
    if (fault.match) active.match = { ...fault.match }
    return active
  }

  /** Every code some served endpoint answers, for faults that pin no endpoint. */
  const anyEndpointErrors = [...new Set(options.endpoints.flatMap((endpoint) => errorsFor(endpoint)))]

  /**
   * Refuses an error no endpoint the fault can apply to answers: those its `match` pins by method
   * and path, else every served one. A fault that pins none still applies only to requests whose
   * endpoint answers its error (`plan`).
   */
  function checkAnswerable(fault: Fault) {
    if (fault.error === undefined) return
    const { method, path } = fault.match ?? {}
    if (path !== undefined) {
      const methods = method !== undefined ? [method] : [...new Set(options.endpoints.map((endpoint) => endpoint.method))]
      const pinned = methods.flatMap((candidate) => {
        const route = matchRoute(candidate, path)
        return route.kind === 'endpoint' ? [route.endpoint] : []
      })
      if (pinned.length > 0) {
        if (pinned.some((endpoint) => errorsFor(endpoint).includes(fault.error!))) return
        const codes = [...new Set(pinned.flatMap((endpoint) => errorsFor(endpoint)))]
        invalid('error', fault.error, `is not an error ${pinned.map(describeEndpoint).join(' or ')} answers`, `Use one of ${codes.join(', ')}`)
      }
    }
    if (!anyEndpointErrors.includes(fault.error)) {
      invalid('error', fault.error, 'is not an error any endpoint of the mock answers', `Use one of ${anyEndpointErrors.join(', ')}`)
    }
  }

  function errorPlan(fault: string, code: ApiErrorCode, request: MockRequest, delayMs: number, route = matchRoute(request.method, request.path)): FaultPlan {
    const endpoint = route.kind === 'endpoint' ? route.endpoint : undefined
    const params = route.kind === 'endpoint' ? route.params : {}
    const apiKey = extractApiKey(request)
    return {
      fault,
      delayMs,
      response: answerWithError(code, { store, rateLimiter, now: clock(), apiKey, endpoint, params, method: request.method, path: request.path, fault }),
      resourceId: params.id,
      resource: endpoint?.resource?.name,
      operationId: endpoint?.operationId,
      params,
      apiKey,
    }
  }

  return {
    add(input: Fault): string {
      const fault = parseFault(input)
      checkAnswerable(fault)
      if (faults.size >= maxFaults) {
        throw new GetRazeMockError(
          'LIMIT_EXCEEDED',
          `Failed to add the fault: ${maxFaults} faults are active, the most the mock keeps. Remove some (faults.remove(id)) or clear them (faults.clear()) first.`,
        )
      }
      const id = `fault_${nextId++}`
      const { apiKey, ...match } = fault.match ?? {}
      const stored: StoredFault = { id, fault, match: { ...match }, seen: 0, applied: 0 }
      if (apiKey !== undefined) {
        stored.match.keyFingerprint = fingerprintKey(apiKey)
        // Keep the mask only: the whole key is not stored.
        fault.match = { ...match, apiKey: maskApiKey(apiKey) }
      }
      faults.set(id, stored)
      return id
    },
    list: (): ActiveFault[] => Array.from(faults.values(), toActive),
    remove: (id: string): boolean => faults.delete(id),
    clear() {
      faults.clear()
    },
    /**
     * What to do instead of answering `request` normally, or `undefined` to answer it normally.
     * Counts the request against matching faults (`after`, `times`); expired faults go.
     */
    plan(request: MockRequest): FaultPlan | undefined {
      const prefer = request.header('prefer')
      if (faults.size === 0 && !prefer) return undefined
      if (prefer) {
        const route = matchRoute(request.method, request.path)
        const wanted = readPrefer(prefer, route.kind === 'endpoint' ? route.endpoint : undefined)
        if (wanted && 'code' in wanted) return errorPlan('prefer', wanted.code, request, 0, route)
        if (wanted) {
          const plan = errorPlan('prefer', 'VALIDATION_ERROR', request, 0, route)
          const body = plan.response!.body as { error: { message: string; details?: unknown } }
          body.error.message = wanted.problem
          body.error.details = { field: 'Prefer' }
          plan.response!.text = JSON.stringify(body)
          return plan
        }
      }
      if (faults.size === 0) return undefined
      let route: ReturnType<typeof matchRoute> | undefined
      let keyFingerprint: number | undefined | null = null
      for (const stored of faults.values()) {
        const { match } = stored
        if (match.method !== undefined && match.method !== request.method) continue
        if (match.path !== undefined && match.path !== request.path) continue
        if (match.resourceId !== undefined) {
          route ??= matchRoute(request.method, request.path)
          if (route.kind !== 'endpoint' || route.params.id !== match.resourceId) continue
        }
        if (match.opportunityId !== undefined) {
          route ??= matchRoute(request.method, request.path)
          if (route.kind !== 'endpoint' || route.endpoint.resource?.name !== 'opportunity' || route.params.id !== match.opportunityId) continue
        }
        if (stored.fault.error !== undefined) {
          route ??= matchRoute(request.method, request.path)
          // Not this request's kind of failure: a fault that pins no endpoint skips the others.
          if (!errorsFor(route.kind === 'endpoint' ? route.endpoint : undefined).includes(stored.fault.error)) continue
        }
        if (match.keyFingerprint !== undefined) {
          if (keyFingerprint === null) {
            const key = extractApiKey(request)
            keyFingerprint = key === undefined ? undefined : fingerprintKey(key)
          }
          if (keyFingerprint !== match.keyFingerprint) continue
        }
        stored.seen++
        if (stored.seen <= (stored.fault.after ?? 0)) continue
        stored.applied++
        if (stored.fault.times !== undefined && stored.applied >= stored.fault.times) {
          faults.delete(stored.id)
        }
        const { fault } = stored
        const delayMs = fault.delayMs ?? 0
        if (fault.error !== undefined) return errorPlan(stored.id, fault.error, request, delayMs, route)
        const routed = route ?? matchRoute(request.method, request.path)
        const plan: FaultPlan = {
          fault: stored.id,
          delayMs,
          resourceId: routed.kind === 'endpoint' ? routed.params.id : undefined,
          resource: routed.kind === 'endpoint' ? routed.endpoint.resource?.name : undefined,
          operationId: routed.kind === 'endpoint' ? routed.endpoint.operationId : undefined,
          params: routed.kind === 'endpoint' ? routed.params : {},
          apiKey: extractApiKey(request),
        }
        if (fault.network !== undefined) plan.network = fault.network
        return plan
      }
      return undefined
    },
  }
}

export type Faults = ReturnType<typeof createFaults>
