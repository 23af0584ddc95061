import { formatDifference, formatExchange, formatInteraction } from './formatDriftReport.js'
import type { VerificationReport } from './VerificationReport.js'

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`)
}

const seconds = (ms: number) => (ms / 1000).toFixed(3)

/**
 * Renders the drift report as JUnit XML, one test case per interaction with its `time`, for CI
 * test reporters. A failure's message is its most telling difference and the provider's answer;
 * its text is the interaction's whole block from the text report.
 *
 * @example
 * writeFileSync('reports/pact.xml', formatJUnitReport(report))
 */
export function formatJUnitReport(report: VerificationReport): string {
  if (report.failure) {
    // One failed case, so a CI reporter shows the run as failed and why.
    const { stage, message } = report.failure
    const name = escapeXml(`${report.provider} ${stage}`)
    return [
      '<?xml version="1.0" encoding="UTF-8"?>',
      `<testsuites name="getraze-mock verify" tests="1" failures="1" time="${seconds(report.durationMs)}">`,
      `  <testsuite name="${escapeXml(report.provider)}" tests="1" failures="1" skipped="0" time="${seconds(report.durationMs)}" timestamp="${report.startedAt}">`,
      `    <testcase classname="${escapeXml(`getraze-mock.${report.provider}`)}" name="${name}" time="${seconds(report.durationMs)}"><failure message="${escapeXml(message)}">${escapeXml(message)}</failure></testcase>`,
      '  </testsuite>',
      '</testsuites>',
      '',
    ].join('\n')
  }
  const { totals } = report
  const cases = report.interactions.map((row) => {
    const name = escapeXml(row.states.length > 0 ? `${row.description} [given ${row.states.map((state) => state.name).join(' and ')}]` : row.description)
    const classname = escapeXml(`${row.consumer || 'consumer'}.${report.provider}`)
    const answer = formatExchange(row).at(-1)!.replace(/^answered /, '')
    const first = row.failures[0] ? formatDifference(row.failures[0]) : 'verification failed'
    const message = row.response ? `${first} (the provider answered ${answer})` : first
    const body = [
      row.verdict === 'failed' ? `<failure message="${escapeXml(message)}">${escapeXml(formatInteraction(row).join('\n'))}</failure>` : '',
      row.verdict === 'pending' ? '<skipped message="pending pact"/>' : '',
      row.warnings.length > 0 ? `<system-out>${escapeXml(row.warnings.map((warning) => formatDifference(warning, true)).join('\n'))}</system-out>` : '',
    ].join('')
    return `    <testcase classname="${classname}" name="${name}" time="${seconds(row.durationMs)}">${body}</testcase>`
  })
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="getraze-mock verify" tests="${totals.interactions}" failures="${totals.failed}" time="${seconds(report.durationMs)}">`,
    `  <testsuite name="${escapeXml(report.provider)}" tests="${totals.interactions}" failures="${totals.failed}" skipped="${totals.pending}" time="${seconds(report.durationMs)}" timestamp="${report.startedAt}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n')
}
