import { apiErrors } from '../contract/apiErrors.js'
import type { ApiErrorCode } from '../contract/apiErrors.js'
import type { EndpointContract } from '../contract/EndpointContract.js'
import type { RateLimiter } from '../core/createRateLimiter.js'
import { extractApiKey } from '../core/extractApiKey.js'
import { compileRoutes } from '../core/matchRoute.js'
import type { MockRequest, MockResponse } from '../core/MockRequest.js'
import { GetRazeMockError } from '../errors/GetRazeMockError.js'
import type { MockStore } from '../store/createStore.js'
import { answerWithError } from './answerWithError.js'
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
  /** The route's `:id`, for the journal. */
  opportunityId: string | undefined
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
/** The first documented code of each status, for `Prefer: code=429`. */
const codeByStatus = new Map<number, ApiErrorCode>()
for (const code of documentedCodes) if (!codeByStatus.has(apiErrors[code].status)) codeByStatus.set(apiErrors[code].status, code)

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
const matchFields = ['method', 'path', 'opportunityId', 'apiKey'] as const

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

/** Reads `error=CODE` or `code=STATUS` from a `Prefer` header, as Prism does. */
function readPrefer(value: string): { code: ApiErrorCode } | { problem: string } | undefined {
  const match = /(?:^|[\s,;])(error|code)\s*=\s*"?([^\s,;"]+)"?/i.exec(value)
  if (!match) return undefined
  const [, kind, wanted] = match as unknown as [string, string, string]
  if (kind.toLowerCase() === 'error') {
    const code = wanted.toUpperCase() as ApiErrorCode
    if (documentedCodes.includes(code)) return { code }
    return { problem: `Prefer: error=${wanted} is not a documented error code. Use one of ${documentedCodes.join(', ')}.` }
  }
  const code = codeByStatus.get(Number(wanted))
  if (code) return { code }
  return { problem: `Prefer: code=${wanted} is not a documented error status. Use one of ${[...codeByStatus.keys()].join(', ')}.` }
}

/** Options of `createFaults`. */
export interface FaultsOptions {
  store: MockStore
  rateLimiter: RateLimiter
  clock: () => Date
  endpoints: readonly EndpointContract[]
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

  function errorPlan(fault: string, code: ApiErrorCode, request: MockRequest, delayMs: number): FaultPlan {
    const route = matchRoute(request.method, request.path)
    const endpoint = route.kind === 'endpoint' ? route.endpoint : undefined
    const opportunityId = route.kind === 'endpoint' ? route.params.id : undefined
    const apiKey = extractApiKey(request)
    return {
      fault,
      delayMs,
      response: answerWithError(code, { store, rateLimiter, now: clock(), apiKey, endpoint, opportunityId }),
      opportunityId,
      apiKey,
    }
  }

  return {
    add(input: Fault): string {
      const fault = parseFault(input)
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
        const wanted = readPrefer(prefer)
        if (wanted && 'code' in wanted) return errorPlan('prefer', wanted.code, request, 0)
        if (wanted) {
          const plan = errorPlan('prefer', 'VALIDATION_ERROR', request, 0)
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
        if (match.opportunityId !== undefined) {
          route ??= matchRoute(request.method, request.path)
          if (route.kind !== 'endpoint' || route.params.id !== match.opportunityId) continue
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
        if (fault.error !== undefined) return errorPlan(stored.id, fault.error, request, delayMs)
        const routed = route ?? matchRoute(request.method, request.path)
        const plan: FaultPlan = {
          fault: stored.id,
          delayMs,
          opportunityId: routed.kind === 'endpoint' ? routed.params.id : undefined,
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
