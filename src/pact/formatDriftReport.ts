import type { VerificationReport } from './VerificationReport.js'

const marks = { passed: 'PASS', failed: 'FAIL', pending: 'PEND' } as const

/**
 * Renders the drift report as text: one row per interaction (verdict, description, states) and,
 * under each failure or warning, its path with what the contract expected and what the provider
 * sent.
 *
 * @example
 * console.log(formatDriftReport(await verifyPacts()))
 */
export function formatDriftReport(report: VerificationReport): string {
  const failed = report.interactions.filter((row) => row.verdict === 'failed').length
  const warned = report.interactions.filter((row) => row.warnings.length > 0).length
  const lines = [
    `Drift report: ${report.provider} at ${report.target}`,
    `${report.interactions.length} interactions: ${report.interactions.length - failed} passed, ${failed} failed, ${warned} with warnings`,
    '',
  ]
  for (const row of report.interactions) {
    const states = row.states.length > 0 ? `  [given ${row.states.join(' and ')}]` : ''
    lines.push(`${marks[row.verdict]}  ${row.description}${states}`)
    for (const failure of row.failures) {
      lines.push(`      ✗ ${failure.path}: expected ${failure.expected}, got ${failure.actual}${failure.message ? ` (${failure.message})` : ''}`)
    }
    for (const warning of row.warnings) {
      lines.push(`      ! ${warning.path}: expected ${warning.expected}, got ${warning.actual} (${warning.message})`)
    }
  }
  lines.push('', report.passed ? 'Verification passed.' : `Verification failed: ${failed} of ${report.interactions.length} interactions.`)
  return lines.join('\n')
}
