import type { Difference } from '../consumer/Difference.js'
import { formatDifference, formatInteraction } from '../verify/formatDriftReport.js'
import { verificationReportVersion } from '../verify/VerificationReport.js'
import type { InteractionReport, RequestReport, ResponseReport, VerificationReport } from '../verify/VerificationReport.js'

/** One exchange of the target, as the report shows it (secrets and personal fields already hidden). */
export interface ShadowExchange {
  request: RequestReport
  response: ResponseReport
}

interface Group {
  difference: Difference
  count: number
}

interface Row {
  description: string
  consumer: string
  requests: number
  differing: number
  groups: Map<string, Group>
  exchange: ShadowExchange | undefined
}

/** Differences kept per behaviour; further kinds are counted only. */
const maxGroups = 100
const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`

/** What a difference is about, for the counts by kind. */
export function kindOf(difference: Difference): string {
  if (difference.path === 'status') return 'status'
  if (difference.path === '$.error.code') return 'error code'
  if (difference.path.startsWith('header ')) return 'header'
  if (difference.path.includes('.pagination')) return 'pagination'
  if (/documented order/.test(difference.message)) return 'order'
  if (/extra field/.test(difference.message)) return 'extra fields'
  if (/^missing /.test(difference.message)) return 'missing field'
  if (/timestamp|instant/i.test(difference.message)) return 'timestamp form'
  if (/the mock, holding the same records/.test(difference.message)) return 'value'
  return 'shape'
}

/**
 * Collects the shadow's findings per documented behaviour (the mock's classification of the
 * request), each distinct difference once with how often it was seen and the first exchange that
 * showed it, and builds the report in the drift report's shape (one interaction per behaviour
 * seen), so `--report json=` and `junit=` write what `verify` writes. Memory is bounded by the
 * behaviours of the endpoints and `maxGroups` per behaviour.
 *
 * @example
 * const log = createShadowLog()
 * const fresh = log.add('getOpportunity found', 'a request to get an opportunity', differences, exchange)
 */
export function createShadowLog() {
  const rows = new Map<string, Row>()
  const byKind = new Map<string, number>()
  let differences = 0
  const behaviours = () => ({ seen: rows.size, differing: [...rows.values()].filter((row) => row.differing > 0).length })

  return {
    /**
     * Adds one compared exchange. Returns the differences seen for the first time in this
     * behaviour (to print as they happen); repeats are only counted.
     */
    add(key: string, description: string, found: readonly Difference[], exchange: () => ShadowExchange): Difference[] {
      let row = rows.get(key)
      if (!row) {
        row = { description, consumer: '', requests: 0, differing: 0, groups: new Map(), exchange: undefined }
        rows.set(key, row)
      }
      row.requests++
      if (found.length === 0) return []
      row.differing++
      row.exchange ??= exchange()
      const fresh: Difference[] = []
      for (const difference of found) {
        differences++
        const kind = kindOf(difference)
        byKind.set(kind, (byKind.get(kind) ?? 0) + 1)
        const group = `${difference.path}\0${difference.message}`
        const known = row.groups.get(group)
        if (known) {
          known.count++
          continue
        }
        if (row.groups.size >= maxGroups) continue
        row.groups.set(group, { difference, count: 1 })
        fresh.push(difference)
      }
      return fresh
    },
    get differences() {
      return differences
    },
    /** Behaviours seen, and how many of them differed. */
    get behaviours() {
      return behaviours()
    },
    /** `status 2, error code 1, ...`, most frequent first; `none` without differences. */
    kinds(): string {
      const entries = [...byKind.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      return entries.length === 0 ? 'none' : entries.map(([kind, count]) => `${kind} ${count}`).join(', ')
    },
    /**
     * The report in the drift report's shape: one interaction per behaviour, failed when any
     * answer in it differed, with each distinct difference (and how often it was seen).
     */
    build(facts: { provider: string; target: string; kitVersion: string; startedAt: Date; durationMs: number; notices: string[] }): VerificationReport {
      const interactions: InteractionReport[] = [...rows.values()]
        .sort((a, b) => a.description.localeCompare(b.description))
        .map((row) => ({
          consumer: row.consumer,
          description: row.description,
          states: [],
          request: row.exchange?.request ?? null,
          response: row.exchange?.response ?? null,
          verdict: row.differing > 0 ? 'failed' : 'passed',
          durationMs: 0,
          failures: [...row.groups.values()].map(({ difference, count }) =>
            count === 1 ? difference : { ...difference, message: `${difference.message}; seen in ${plural(count, 'answer')}` },
          ),
          diagnoses: [],
          warnings: [],
        }))
      const failed = interactions.filter((row) => row.verdict === 'failed').length
      return {
        reportVersion: verificationReportVersion,
        kit: { name: 'getraze-mock', version: facts.kitVersion },
        passed: failed === 0,
        provider: facts.provider,
        target: facts.target,
        pactSources: [],
        startedAt: facts.startedAt.toISOString(),
        durationMs: Math.round(facts.durationMs),
        notices: facts.notices,
        interactions,
        totals: { interactions: interactions.length, passed: interactions.length - failed, failed, pending: 0, withWarnings: 0 },
      }
    },
    /** The report as text: the counts, then one block per behaviour with what differed. */
    format(report: VerificationReport): string {
      const lines = [`Shadow report: ${report.target}, compared with getraze-mock holding the same records`, ...report.notices, '']
      for (const interaction of report.interactions) {
        const row = [...rows.values()].find((candidate) => candidate.description === interaction.description)
        const counts = row ? ` (${plural(row.requests, 'answer')}${row.differing > 0 ? `, ${row.differing} differing` : ''})` : ''
        lines.push(`${interaction.verdict === 'passed' ? 'PASS' : 'FAIL'}  ${interaction.description}${counts}`)
        lines.push(...formatInteraction(interaction).map((line) => `      ${line}`))
      }
      const { seen, differing } = behaviours()
      lines.push(
        '',
        differences === 0
          ? `No differences: every answer was what the mock, holding the same records, answers${seen === 0 ? ' (no request reached a documented endpoint)' : ''}.`
          : `${plural(differences, 'difference')} in ${differing} of ${plural(seen, 'behaviour')}.`,
      )
      return lines.join('\n')
    },
  }
}

/**
 * One difference as the recorder prints it while it runs: the request, then what differed.
 *
 * @example
 * formatDifferenceLine('PATCH /external/v1/opportunities/opp_1/stage', difference)
 * // 'shadow: PATCH /external/v1/opportunities/opp_1/stage: status: expected 200, got 400 (...)'
 */
export function formatDifferenceLine(request: string, difference: Difference): string {
  return `shadow: ${request}: ${formatDifference(difference, true)}`
}

export type ShadowLog = ReturnType<typeof createShadowLog>
