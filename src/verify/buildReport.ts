import { endpoints } from '../contract/endpoints.js'
import { compileRoutes } from '../core/matchRoute.js'
import { checkExchange } from './checkExchange.js'
import type { Difference } from './checkExchange.js'
import type { Exchange, ExchangeRecorder, RecordedInteraction } from './createExchangeRecorder.js'
import type { PlannedInteraction } from './pactFiles.js'
import { verificationReportVersion } from './VerificationReport.js'
import type { InteractionReport, RequestReport, ResponseReport, RunFailure, StateReport, VerificationReport } from './VerificationReport.js'

/** Pact's JSON result (`verifyProvider()`), the parts the kit reads. */
export interface PactJsonResult {
  result?: boolean
  interactionResults?: Array<{ description: string; result: string }>
  errors?: Array<{ interaction: string; mismatch: { type: string; message?: string; mismatches?: PactMismatch[] } }>
  pendingErrors?: PactJsonResult['errors']
}

interface PactMismatch {
  type: string
  path?: string
  key?: string
  expected?: unknown
  actual?: unknown
  mismatch?: string
}

/** What the run knew besides Pact's result. */
export interface RunFacts {
  provider: string
  target: string
  pactSources: string[]
  kitVersion: string
  startedAt: Date
  durationMs: number
  notices: string[]
  /** Whether the provider's states were set up (a state endpoint was given, or the mock). */
  statesSetUp: boolean
  /** Whether the pact review's findings fail their interactions (`--strict`). */
  strict: boolean
  /** The provider base URL's own path (`/api`), put before every pact path; '' when none. @default '' */
  basePath?: string
}

const matchRoute = compileRoutes(endpoints)
const bodyLimit = 500

function label(consumer: string, provider: string, states: string[], description: string): string {
  const given = states.length > 0 ? ` Given ${states.join(' And ')}` : ''
  return `Verifying a pact between ${consumer} and ${provider}${given} - ${description}`
}

// Pact gives body values JSON-encoded ('"NOT_FOUND"'); the report wants the values themselves.
function asJson(value: unknown): unknown {
  if (value === undefined) return null
  if (typeof value !== 'string') return value
  try {
    return JSON.parse(value) as unknown
  } catch {
    return value
  }
}

function toDifference(mismatch: PactMismatch, headerMatchers: Record<string, string> = {}): Difference {
  const path = mismatch.type === 'StatusMismatch' ? 'status' : mismatch.type === 'HeaderMismatch' ? `header ${mismatch.key}` : mismatch.path ?? '$'
  const message = mismatch.mismatch ?? mismatch.type
  // A regex is a validator's wording; say what the pact's timestamp matcher wants in words.
  if (/to match '\^\\d\{4\}-\\d\{2\}-\\d\{2\}T/.test(message)) {
    return { path, expected: 'a UTC timestamp such as 2024-01-25T10:00:00Z', actual: asJson(mismatch.actual), message: 'not a UTC timestamp as the pact matches it', category: 'pact-matcher' }
  }
  if (mismatch.type === 'HeaderMismatch') {
    // Pact quotes the pact's example even when the pact only asks for a form ("digits").
    const matcher = headerMatchers[(mismatch.key ?? '').toLowerCase()]
    const actual = mismatch.actual ? asJson(mismatch.actual) : null
    if (matcher !== undefined) return { path, expected: matcher, actual, message, category: 'pact-matcher' }
    // A header that is not there is absent (null), not an empty string.
    if (/but was missing/i.test(message) && !mismatch.actual) return { path, expected: asJson(mismatch.expected), actual: null, message, category: 'pact' }
  }
  const missing = message.match(/^Actual map is missing the following keys: (.+)$/)
  if (missing) return { path, expected: asJson(mismatch.expected), actual: asJson(mismatch.actual), message: `missing ${missing[1]}`, category: 'pact' }
  return { path, expected: asJson(mismatch.expected), actual: asJson(mismatch.actual), message, category: 'pact' }
}

function rank(path: string): number {
  if (path.startsWith('state ')) return 0
  if (path === 'status') return 1
  if (path === '$.success') return 2
  if (path === '$.error.code') return 3
  if (path === '$.error.message') return 4
  return 5
}

/** Most telling first: failed states, status, `success`, `error.code`, then the rest by path. */
export function sortDifferences(differences: Difference[]): Difference[] {
  return [...differences].sort((a, b) => rank(a.path) - rank(b.path) || a.path.localeCompare(b.path))
}

/**
 * A body as the report shows it: the JSON value, or the text, cut to about 500 characters when
 * it is longer; `null` for none.
 *
 * @example
 * parseBody('{"success":true}') // { success: true }
 */
export function parseBody(text: string | undefined): unknown {
  if (text === undefined || text === '') return null
  try {
    const value = JSON.parse(text) as unknown
    return JSON.stringify(value).length <= 4 * bodyLimit ? value : `${text.slice(0, bodyLimit)}…`
  } catch {
    return text.length <= bodyLimit ? text : `${text.slice(0, bodyLimit)}…`
  }
}

function keyLocation(exchange: Exchange): string {
  const headers = exchange.requestHeaders ?? {}
  if (headers['x-api-key'] !== undefined) return 'X-API-Key header'
  if (headers.authorization !== undefined) return 'Authorization header'
  if (/[?&]api_key=/.test(exchange.path)) return 'api_key query parameter'
  return 'none'
}

function toRequest(exchange: Exchange): RequestReport {
  return { method: exchange.method, path: exchange.sentPath ?? exchange.path, key: keyLocation(exchange), body: parseBody(exchange.requestBody) }
}

function toResponse(exchange: Exchange): ResponseReport {
  const body = parseBody(exchange.body)
  const error = typeof body === 'object' && body !== null ? (body as { error?: { code?: unknown; message?: unknown } }).error : undefined
  return {
    status: exchange.status,
    headers: exchange.headers,
    body,
    errorCode: typeof error?.code === 'string' ? error.code : null,
    errorMessage: typeof error?.message === 'string' ? error.message : null,
  }
}

function toStates(planned: PlannedInteraction, recorded: RecordedInteraction | undefined): StateReport[] {
  return planned.states.map((state) => {
    const call = recorded?.states.find((entry) => entry.name === state.name && entry.action === 'setup')
    return { name: state.name, params: state.params, answer: call?.answer ?? null, error: call?.error ?? null }
  })
}

/** The `:id` of the endpoint the exchange went to, and that endpoint's path template. */
function pathId(exchange: Exchange): { id: string; template: string } | undefined {
  try {
    const route = matchRoute(exchange.method, exchange.path.split('?')[0]!)
    return route.kind === 'endpoint' && route.params.id !== undefined ? { id: route.params.id, template: route.endpoint.path } : undefined
  } catch {
    // A path with a malformed escape names no id the report could compare.
    return undefined
  }
}

/**
 * The earlier interaction whose failed setup left this state's data behind: Pact skips the
 * teardown of an interaction whose setup failed, so what its other states set up stays, and
 * the next setup of the same state may then fail (a duplicate key) through no fault of its own.
 */
function leftBehindBy(index: number, state: string, planned: PlannedInteraction[], recorder: ExchangeRecorder): { description: string; failed: string } | undefined {
  for (let earlier = index - 1; earlier >= 0; earlier -= 1) {
    const recorded = recorder.interactions.get(earlier)
    if (!recorded) continue
    const failed = recorded.states.find((call) => call.action === 'setup' && call.error !== undefined)
    const tornDown = recorded.states.some((call) => call.action === 'teardown')
    const setUp = recorded.states.some((call) => call.action === 'setup' && call.name === state && call.error === undefined)
    if (failed && !tornDown && setUp) return { description: planned.find((entry) => entry.index === earlier)?.description ?? `interaction ${earlier + 1}`, failed: failed.name }
  }
  return undefined
}

/** Plain-words causes the differences alone do not show. */
function diagnose(planned: PlannedInteraction, states: StateReport[], exchange: Exchange | undefined, facts: RunFacts): string[] {
  const diagnoses: string[] = []
  if (!facts.statesSetUp && planned.states.length > 0) {
    diagnoses.push(
      `The provider states (${planned.states.map((state) => state.name).join(', ')}) were not set up: no --provider-states-setup-url was given, so this ran against whatever data the provider has.`,
    )
  }
  if (!exchange) return diagnoses
  const basePath = facts.basePath ?? ''
  if (basePath !== '' && exchange.path.startsWith(`${basePath}/`)) {
    diagnoses.push(
      `The request went to ${exchange.sentPath ?? basePath + exchange.path}: the base URL already ends with ${basePath}, and the pact's path starts with it. Drop ${basePath} from --provider-base-url.`,
    )
  }
  const routed = pathId(exchange)
  if (routed === undefined) return diagnoses
  const { id, template } = routed
  const created = states.flatMap((state) => {
    const answered = (state.answer as { id?: unknown } | null)?.id
    return typeof answered === 'string' || typeof answered === 'number' ? [{ state: state.name, id: String(answered) }] : []
  })
  if (created.length > 0 && !created.some((entry) => entry.id === id)) {
    const [first] = created
    diagnoses.push(
      `The state "${first!.state}" created id "${first!.id}", but the request went to id "${id}": ${planned.pathFromState ? 'the id was not injected' : "the pact's path has a literal id"}. The pact needs provider-state injection for the path (fromProviderState('${template.replace(':id', '\${id}')}', ...)).`,
    )
  } else if (exchange.status >= 500) {
    // The pact's own example id, answered back by a state or used because nothing was injected.
    const echoed = states.find((state) => state.params.id === id)
    if (echoed || !created.some((entry) => entry.id === id)) {
      const origin = echoed ? `the pact's example id, which the state "${echoed.name}" answered back` : 'an id no state of this interaction created'
      diagnoses.push(
        `The provider answered ${exchange.status} for id "${id}", ${origin}: a provider that only knows ids of its own form (UUIDs, say) may fail on it. The state should create or pick an id in the provider's own form and answer { "id": "..." }, and the pact should take the path's id from the state (provider-state injection).`,
      )
    }
  }
  return diagnoses
}

/**
 * Joins Pact's verdicts with what the kit saw: each interaction's states and their answers, the
 * request as the provider got it, the provider's answer, Pact's differences (most telling first),
 * diagnoses and the documented-contract warnings.
 *
 * @example
 * const report = buildReport(result, planned, recorder, facts)
 */
export function buildReport(result: PactJsonResult, planned: PlannedInteraction[], recorder: ExchangeRecorder, facts: RunFacts): VerificationReport {
  const errors = result.errors ?? []
  const pending = result.pendingErrors ?? []
  const used = new Set<number>()
  const rows: InteractionReport[] = (result.interactionResults ?? []).map((run) => {
    const entry = planned.find((candidate) => !used.has(candidate.index) && candidate.description === run.description)
    if (entry) used.add(entry.index)
    const plan: PlannedInteraction = entry ?? { index: -1, source: '', consumer: '', description: run.description, states: [], method: '', path: '', pathFromState: false, review: [] }
    const text = label(plan.consumer, facts.provider, plan.states.map((state) => state.name), plan.description)
    const failed = errors.find((item) => item.interaction === text)
    const pendingFailure = pending.find((item) => item.interaction === text)
    const recorded = recorder.interactions.get(plan.index)
    const states = toStates(plan, recorded)
    const exchange = recorded?.exchanges[0]
    const failures: Difference[] = []
    const causes: string[] = []
    for (const state of states) {
      if (state.error === null) continue
      const cause = leftBehindBy(plan.index, state.name, planned, recorder)
      let message = state.error
      if (cause) {
        causes.push(
          `The state "${state.name}" most likely failed because of an earlier failure: the teardown of "${cause.description}" did not run because its setup of "${cause.failed}" failed (Pact skips the teardown after a failed setup), so what its "${state.name}" set up was still there. Fix that setup first, and make every setup idempotent (an upsert), as the README's provider guide shows.`,
        )
        // The advice to implement the state misleads here: the state is fine.
        message = message.replace(/ Implement the state as the README's provider-state table describes\.$/, '')
      }
      failures.push({ path: `state "${state.name}"`, expected: 'set up', actual: null, message, category: 'provider-state' })
    }
    for (const item of [failed, pendingFailure]) {
      if (!item) continue
      // Pact's "setup state change handlers has failed" says less than the state's own failure.
      if (item.mismatch.type === 'error' && !(failures.length > 0 && /state change/i.test(item.mismatch.message ?? ''))) {
        failures.push({ path: 'verification', expected: null, actual: null, message: item.mismatch.message ?? 'Pact could not verify this interaction', category: 'pact' })
      }
      failures.push(...(item.mismatch.mismatches ?? []).map((mismatch) => toDifference(mismatch, plan.headerMatchers)))
    }
    // With --strict, what the pact review found fails the interaction.
    if (facts.strict) failures.push(...plan.review)
    const verdict = failed ? 'failed' : pendingFailure ? 'pending' : run.result === 'OK' && failures.length === 0 ? 'passed' : 'failed'
    return {
      consumer: plan.consumer,
      description: run.description,
      states,
      request: exchange ? toRequest(exchange) : null,
      response: exchange ? toResponse(exchange) : null,
      verdict,
      durationMs: recorded ? Math.round(recorded.endedAt - recorded.startedAt) : 0,
      failures: sortDifferences(failures),
      diagnoses: verdict === 'passed' ? [] : [...causes, ...diagnose(plan, states, exchange, facts)],
      // A header Pact already failed on is not repeated as a warning.
      warnings: [
        ...(facts.strict ? [] : plan.review),
        ...(recorded?.exchanges ?? []).flatMap(checkExchange).map((warning) => ({ ...warning, category: 'documented-contract' as const })),
      ]
        .filter((warning) => !(warning.path.startsWith('header ') && failures.some((failure) => failure.path.toLowerCase() === warning.path.toLowerCase()))),
    }
  })
  const count = (verdict: InteractionReport['verdict']) => rows.filter((row) => row.verdict === verdict).length
  return {
    ...reportHead(facts),
    passed: result.result === true && rows.every((row) => row.verdict !== 'failed'),
    interactions: rows,
    totals: {
      interactions: rows.length,
      passed: count('passed'),
      failed: count('failed'),
      pending: count('pending'),
      withWarnings: rows.filter((row) => row.warnings.length > 0).length,
    },
  }
}

/** What every report says about its run, whatever happened in it. */
type RunHead = Pick<RunFacts, 'provider' | 'target' | 'pactSources' | 'kitVersion' | 'startedAt' | 'durationMs' | 'notices'>

function reportHead(facts: RunHead): Omit<VerificationReport, 'passed' | 'interactions' | 'totals' | 'failure'> {
  return {
    reportVersion: verificationReportVersion,
    kit: { name: 'getraze-mock', version: facts.kitVersion },
    provider: facts.provider,
    target: facts.target,
    pactSources: facts.pactSources,
    startedAt: facts.startedAt.toISOString(),
    durationMs: Math.round(facts.durationMs),
    notices: facts.notices,
  }
}

/**
 * The report of a run that verified nothing: no interactions, and `failure` saying why (the
 * provider or its state endpoint not answering, Pact stopping without a result), so report
 * files still exist for CI.
 *
 * @example
 * const report = buildFailedRunReport(facts, { stage: 'preflight', code: 'PREFLIGHT_FAILED', message })
 */
export function buildFailedRunReport(facts: RunHead, failure: RunFailure): VerificationReport {
  return {
    ...reportHead(facts),
    passed: false,
    interactions: [],
    totals: { interactions: 0, passed: 0, failed: 0, pending: 0, withWarnings: 0 },
    failure,
  }
}
