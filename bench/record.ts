/**
 * The recorder's own cost (issue 19): `getraze-mock record` and `record --shadow` in front of the
 * mock, against a bare forwarding proxy in front of the same mock, in alternating rounds. The
 * figure is the proxy process's CPU time per request, as a ratio to the bare proxy's in the same
 * round, so what else the machine does cancels out. Loopback only, bounded by --duration.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startServer } from './measure.js'
import type { ServerSpec } from './measure.js'
import { documentedBody } from './request.js'
import { mockSpec, root } from './servers.js'
import { formatLoadTable, formatProcessTable, runRounds, summarize } from './suite.js'
import type { ServerSummary } from './suite.js'

const binary = join(root, 'bin', 'getraze-mock.js')

/** What the record phase found. */
export interface RecordResult {
  connections: number
  summaries: ServerSummary[]
  /** Median of each round's CPU per request ÷ the bare proxy's, at `connections`. */
  cpuRatio: { record: number; shadow: number }
  cpuMicrosPerRequest: { bareProxy: number; record: number; shadow: number }
  failures: string[]
  /** Errors, timeouts, non-2xx answers and wrong bodies under load, over every proxy: must be 0. */
  bad: number
}

/**
 * Runs the phase: starts the target once, then per round the bare proxy, `record` and `record
 * --shadow` in turn, each loaded at one connection count.
 */
export async function measureRecord(options: { fixtures: string; rounds: number; durationSeconds: number; warmupSeconds: number; connections: number; log: (line: string) => void }): Promise<RecordResult> {
  const target = await startServer(mockSpec('record-target', 'getraze-mock (the target)', options.fixtures))
  const out = mkdtempSync(join(tmpdir(), 'getraze-bench-record-'))
  try {
    const recordSpec = (id: string, label: string, extra: string[]): ServerSpec => ({
      id,
      label,
      command: process.execPath,
      args: (port) => [binary, 'record', '--port', String(port), '--target', target.url, '--out', join(out, id), ...extra],
      cwd: root,
    })
    const servers = [
      { spec: { id: 'bare-proxy', label: 'bare forwarding proxy', command: process.execPath, args: (port: number) => [join(root, 'bench', 'bareProxy.mjs'), String(port), target.url], cwd: root }, expect: { exact: documentedBody } },
      { spec: recordSpec('record', 'getraze-mock record', []), expect: { exact: documentedBody } },
      { spec: recordSpec('record-shadow', 'getraze-mock record --shadow', ['--shadow']), expect: { exact: documentedBody } },
    ]
    const rounds = await runRounds(servers, { durationSeconds: options.durationSeconds, warmupSeconds: options.warmupSeconds, connections: [options.connections], rounds: options.rounds, log: options.log })
    const summaries = summarize(rounds, 'bare-proxy', [options.connections])
    const cpu = (id: string) => summaries.find((summary) => summary.id === id)!.loads[0]!.serverCpuMicrosPerRequest
    return {
      connections: options.connections,
      summaries,
      cpuRatio: { record: cpu('record').ratio, shadow: cpu('record-shadow').ratio },
      cpuMicrosPerRequest: { bareProxy: cpu('bare-proxy').median, record: cpu('record').median, shadow: cpu('record-shadow').median },
      failures: summaries.flatMap((summary) => summary.failures),
      bad: summaries.reduce((sum, summary) => sum + summary.loads.reduce((total, load) => total + load.errors + load.timeouts + load.non2xx + load.mismatches, 0), 0),
    }
  } finally {
    await target.stop()
    rmSync(out, { recursive: true, force: true })
  }
}

/** The recorder's CPU per request over a bare forwarding proxy's (issue 19; see BENCHMARKS.md for the measured figures). */
const recordCpuLimit = 2
const shadowCpuLimit = 2.5

/**
 * The phase's verdict line, in run.ts's verdict shape: the recorder's CPU per request within its
 * limits and every answer forwarded whole; `pass: null` when the phase did not run.
 */
export function judgeRecord(record: RecordResult | undefined): { id: string; target: string; pass: boolean | null; measured: string; atTarget: boolean } {
  if (record && record.failures.length === 0) {
    const { cpuRatio, cpuMicrosPerRequest: cpu } = record
    return {
      id: 'record-overhead',
      target: `getraze-mock record: CPU per proxied request within ${recordCpuLimit}x of a bare forwarding proxy (--shadow within ${shadowCpuLimit}x) at ${record.connections} connections`,
      pass: record.bad === 0 && cpuRatio.record <= recordCpuLimit && cpuRatio.shadow <= shadowCpuLimit,
      measured: `${record.bad > 0 ? `${record.bad} bad answers under load; ` : ''}${cpuRatio.record.toFixed(2)}x (${cpu.record.toFixed(0)} vs ${cpu.bareProxy.toFixed(0)} µs), --shadow ${cpuRatio.shadow.toFixed(2)}x (${cpu.shadow.toFixed(0)} µs)`,
      atTarget: true,
    }
  }
  return {
    id: 'record-overhead',
    target: 'getraze-mock record: CPU per proxied request against a bare forwarding proxy',
    pass: record ? false : null,
    measured: record ? record.failures.join('; ') : 'not run (--no-record)',
    atTarget: record !== undefined,
  }
}

/** The phase's tables, the reference being the bare forwarding proxy. */
export function formatRecord(result: RecordResult): string {
  const per = (value: number) => (Number.isFinite(value) ? value.toFixed(0) : '-')
  return [
    `Record: the proxy's CPU per request at ${result.connections} connections; (×bare) is the ratio to the bare forwarding proxy of the same round.`,
    formatLoadTable(result.summaries),
    '',
    formatProcessTable(result.summaries),
    '',
    `CPU per request: bare proxy ${per(result.cpuMicrosPerRequest.bareProxy)} µs, record ${per(result.cpuMicrosPerRequest.record)} µs (${result.cpuRatio.record.toFixed(2)}x), ` +
      `record --shadow ${per(result.cpuMicrosPerRequest.shadow)} µs (${result.cpuRatio.shadow.toFixed(2)}x).`,
  ].join('\n')
}
