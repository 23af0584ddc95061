import type { Difference } from './checkExchange.js'
import { summariseText } from './summariseText.js'
import type { InteractionReport, VerificationReport } from './VerificationReport.js'

const marks = { passed: 'PASS', failed: 'FAIL', pending: 'PEND' } as const
const interactions = (count: number) => `${count} interaction${count === 1 ? '' : 's'}`
const valueLimit = 160
const bodyLimit = 500

function cut(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}…`
}

/** A JSON value as the report prints it: phrases in words stay bare, values are JSON. */
export function showValue(value: unknown, words = false): string {
  if (value === null || value === undefined) return 'nothing'
  if (typeof value === 'string' && words) return value
  return cut(JSON.stringify(value), valueLimit)
}

// Pact's own wording repeats the values already shown ("expected 200 but was 400").
function addsInformation(message: string): boolean {
  return !/^expected .+ but was .+$/i.test(message) && !/^Expected .+ to be equal to .+$/s.test(message)
}

/**
 * One difference as a line: `status: expected 200, got 400`, a failed state with its reason, or
 * Pact's own message when it has no expected and actual values.
 *
 * @example
 * formatDifference({ path: 'status', expected: 200, actual: 400, message: 'expected 200 but was 400' }) // 'status: expected 200, got 400'
 */
export function formatDifference(difference: Difference, inWords = false): string {
  if (difference.path.startsWith('state ')) return `${difference.path} was not set up: ${difference.message}`
  if (difference.expected === null && difference.actual === null) return difference.message
  // Lists of fields: the message names them all, told apart.
  if (Array.isArray(difference.expected) && Array.isArray(difference.actual) && / field/.test(difference.message)) return `${difference.path}: ${difference.message}`
  // Phrases ("a UTC timestamp such as ...") are words; a string the pact names exactly is a value.
  const phrase = difference.category === undefined ? / /.test(String(difference.expected)) && !difference.path.startsWith('header') : difference.category !== 'pact'
  const words = typeof difference.expected === 'string' && (inWords || phrase) && difference.category !== 'pact'
  if (difference.path.startsWith('header ') && (difference.actual === '' || difference.actual === null)) {
    return `${difference.path}: expected ${showValue(difference.expected, words)}, got no such header`
  }
  const base = `${difference.category === 'pact-review' ? 'pact review: ' : ''}${difference.path}: expected ${showValue(difference.expected, words)}, got ${showValue(difference.actual)}`
  // Pact's own wording of a matcher mismatch repeats the example the line has replaced.
  return addsInformation(difference.message) && difference.category !== 'pact-matcher' ? `${base} (${difference.message})` : base
}

function formatStates(row: InteractionReport): string[] {
  return row.states.map((state) => {
    const params = Object.keys(state.params).length > 0 ? ` ${cut(JSON.stringify(state.params), valueLimit)}` : ''
    const outcome = state.error !== null ? ' → failed' : state.answer !== null && JSON.stringify(state.answer) !== '{}' ? ` → ${cut(JSON.stringify(state.answer), valueLimit)}` : ''
    return `given ${state.name}${params}${outcome}`
  })
}

/**
 * The provider's side of one interaction: the request as sent and the answer, in one or two lines.
 *
 * @example
 * formatExchange(row) // ['sent     PATCH /external/v1/opportunities/3f…/stage (key in X-API-Key header) {"status":"won"}', 'answered 400 VALIDATION_ERROR "stage_id is required"']
 */
export function formatExchange(row: InteractionReport): string[] {
  if (!row.request || !row.response) return ['sent     nothing: the request was not sent to the provider']
  const key = row.request.key === 'none' ? 'no key' : `key in ${row.request.key}`
  const body = row.request.body === null ? '' : ` ${cut(typeof row.request.body === 'string' ? row.request.body : JSON.stringify(row.request.body), valueLimit)}`
  const sent = `sent     ${row.request.method} ${row.request.path} (${key})${body}`
  const answer =
    row.response.errorCode !== null
      ? `${row.response.errorCode}${row.response.errorMessage !== null ? ` ${JSON.stringify(row.response.errorMessage)}` : ''}`
      : typeof row.response.body === 'string'
        ? summariseText(row.response.body, row.response.headers['content-type'])
        : cut(JSON.stringify(row.response.body) ?? '', bodyLimit)
  return [sent, `answered ${row.response.status} ${answer}`.trimEnd()]
}


/**
 * The lines under one interaction: states, the exchange (for failures), diagnoses of the
 * cause (?), differences (✗) and warnings (!).
 *
 * @example
 * formatInteraction(report.interactions[0]).join('\n')
 */
export function formatInteraction(row: InteractionReport): string[] {
  const lines: string[] = []
  if (row.verdict !== 'passed') lines.push(...formatStates(row), ...formatExchange(row))
  lines.push(...row.diagnoses.map((diagnosis) => `? ${diagnosis}`))
  lines.push(...row.failures.map((failure) => `✗ ${formatDifference(failure)}`))
  lines.push(...row.warnings.map((warning) => `! ${formatDifference(warning, true)}`))
  return lines
}

/**
 * Renders the drift report as text: one block per interaction with its verdict and states, and
 * under each failure the request as sent, the provider's answer (its error code and message), the
 * differences most telling first, hints about the cause and the warnings.
 *
 * @example
 * console.log(formatDriftReport(await verifyPacts()))
 */
export function formatDriftReport(report: VerificationReport): string {
  const { totals } = report
  const head = [`Drift report: ${report.provider} at ${report.target}`, `Pacts: ${report.pactSources.join(', ') || 'none'}`, ...report.notices.map((notice) => `Note: ${notice}`)]
  if (report.failure) return [...head, '', `Verification did not run (${report.failure.stage}): ${report.failure.message}`].join('\n')
  const lines = [
    ...head,
    `${interactions(totals.interactions)}: ${totals.passed} passed, ${totals.failed} failed${totals.pending > 0 ? `, ${totals.pending} pending` : ''}, ${totals.withWarnings} with warnings (${(report.durationMs / 1000).toFixed(1)} s)`,
    '',
  ]
  for (const row of report.interactions) {
    lines.push(`${marks[row.verdict]}  ${row.description}`)
    lines.push(...formatInteraction(row).map((line) => `      ${line}`))
  }
  lines.push('', report.passed ? 'Verification passed.' : `Verification failed: ${totals.failed} of ${interactions(totals.interactions)}.`)
  return lines.join('\n')
}
