import type { VerificationReport } from './VerificationReport.js'

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`)
}

/**
 * Renders the drift report as JUnit XML, one test case per interaction, for CI test reporters.
 *
 * @example
 * writeFileSync('reports/pact.xml', formatJUnitReport(report))
 */
export function formatJUnitReport(report: VerificationReport): string {
  const failures = report.interactions.filter((row) => row.verdict === 'failed').length
  const skipped = report.interactions.filter((row) => row.verdict === 'pending').length
  const cases = report.interactions.map((row) => {
    const name = escapeXml(row.states.length > 0 ? `${row.description} [given ${row.states.join(' and ')}]` : row.description)
    const classname = escapeXml(`${row.consumer ?? 'consumer'}.${report.provider}`)
    const detail = (list: typeof row.failures) =>
      escapeXml(list.map((item) => `${item.path}: expected ${item.expected}, got ${item.actual} (${item.message})`).join('\n'))
    const body = [
      row.verdict === 'failed'
        ? `<failure message="${escapeXml(row.failures[0]?.message ?? 'verification failed')}">${detail(row.failures)}</failure>`
        : '',
      row.verdict === 'pending' ? '<skipped message="pending pact"/>' : '',
      row.warnings.length > 0 ? `<system-out>${detail(row.warnings)}</system-out>` : '',
    ].join('')
    return `    <testcase classname="${classname}" name="${name}">${body}</testcase>`
  })
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="getraze-mock verify" tests="${report.interactions.length}" failures="${failures}">`,
    `  <testsuite name="${escapeXml(report.provider)}" tests="${report.interactions.length}" failures="${failures}" skipped="${skipped}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n')
}
