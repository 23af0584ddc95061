import type { Difference } from './checkExchange.js'
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
  const words = typeof difference.expected === 'string' && (inWords || (/ /.test(difference.expected) && !difference.path.startsWith('header')))
  if (difference.path.startsWith('header ') && (difference.actual === '' || difference.actual === null)) {
    return `${difference.path}: expected ${showValue(difference.expected, words)}, got no such header`
  }
  const base = `${difference.path}: expected ${showValue(difference.expected, words)}, got ${showValue(difference.actual)}`
  return addsInformation(difference.message) ? `${base} (${difference.message})` : base
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

const summaryLimit = 120

/**
 * A body that is not JSON (a proxy's or framework's HTML error page, plain text) in one line:
 * its kind and its title or first words, so it cannot flood the report.
 *
 * @example
 * summariseText('<html><title>Error</title><pre>Cannot PATCH /x</pre></html>', 'text/html') // 'an HTML page: "Error: Cannot PATCH /x"'
 */
export function summariseText(body: string, contentType: string | undefined): string {
  const html = /html/i.test(contentType ?? '') || /^\s*<(!doctype|html|head|body)/i.test(body)
  let text = body
  if (html) {
    const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(body)?.[1]?.trim()
    const content = body
      .replace(/<(script|style|title)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
      .replace(/<[^>]*>/g, ' ')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&nbsp;/g, ' ')
      .replace(/&amp;/g, '&')
    text = [title, content].filter((part) => part !== undefined && part.trim() !== '').join(': ')
  }
  const words = text.replace(/\s+/g, ' ').trim()
  const kind = html ? 'an HTML page' : contentType ? `a ${contentType.split(';')[0]!.trim()} body` : 'a body that is not JSON'
  if (words === '') return `${kind}, empty`
  return `${kind}: ${JSON.stringify(cut(words, summaryLimit))}`
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
