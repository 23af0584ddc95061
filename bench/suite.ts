import { benchRequest } from './request.js'
import { cpus, loadavg, totalmem } from 'node:os'
import { median, readRss, runLoad, startServer } from './measure.js'
import type { LoadResult, ServerSpec } from './measure.js'
import type { InterleavedResult } from './interleaved.js'

/** What a server must answer to the bench request before it is loaded. */
export interface BodyCheck {
  /** Exact expected body; when set, every 2xx answer under load is compared with it too. */
  exact?: string
  /** Otherwise a looser check of the first answer, returning a problem or undefined. */
  check?: (status: number, body: string) => string | undefined
}

/** One server started once and loaded at each connection count. */
export interface ServerRun {
  id: string
  label: string
  /** Set when the server could not be started or gave the wrong first answer; then loads is empty. */
  failure?: string
  startupMs: number
  /** First answer: status and whether its body is the expected one. */
  firstStatus: number
  bodyOk: boolean
  rssAfterStartBytes: number
  /** VmHWM at the end: the most the process ever held, start-up included. */
  peakRssBytes: number
  loads: LoadResult[]
}

export interface RoundResult {
  round: number
  servers: ServerRun[]
}

export interface SuiteOptions {
  durationSeconds: number
  warmupSeconds: number
  connections: readonly number[]
  rounds: number
  log: (line: string) => void
}

export interface SuiteServer {
  spec: ServerSpec
  expect: BodyCheck
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0)

/** Starts, checks, warms up and loads one server, then stops it. */
export async function runServer(server: SuiteServer, options: SuiteOptions): Promise<ServerRun> {
  const { spec, expect } = server
  const run: ServerRun = {
    id: spec.id,
    label: spec.label,
    startupMs: Number.NaN,
    firstStatus: 0,
    bodyOk: false,
    rssAfterStartBytes: Number.NaN,
    peakRssBytes: Number.NaN,
    loads: [],
  }
  let running
  try {
    running = await startServer(spec)
  } catch (error) {
    run.failure = (error as Error).message
    options.log(`  ${spec.label}: ${run.failure}`)
    return run
  }
  try {
    run.startupMs = running.startupMs
    run.firstStatus = running.firstResponse.status
    const { status, body } = running.firstResponse
    const problem = expect.exact !== undefined
      ? status < 200 || status > 299 || body !== expect.exact
        ? `answered ${status} ${body.slice(0, 300)}, expected 200 ${expect.exact}`
        : undefined
      : expect.check?.(status, body)
    run.bodyOk = problem === undefined
    run.rssAfterStartBytes = readRss(running.pid)?.rss ?? Number.NaN
    if (problem) {
      run.failure = `Wrong first answer from ${spec.label}: ${problem}`
      options.log(`  ${run.failure}`)
      return run
    }
    if (options.warmupSeconds > 0) {
      await runLoad({ url: running.url, connections: options.connections[0] ?? 10, durationSeconds: options.warmupSeconds })
    }
    for (const connections of options.connections) {
      const load = await runLoad({
        url: running.url,
        pid: running.pid,
        connections,
        durationSeconds: options.durationSeconds,
        ...(expect.exact !== undefined ? { expectBody: expect.exact } : {}),
      })
      run.loads.push(load)
    }
    run.peakRssBytes = readRss(running.pid)?.peak ?? Number.NaN
    const loads = run.loads
      .map((load) => {
        const bad = load.errors + load.timeouts + load.non2xx + load.mismatches
        return `${load.connections}c ${Math.round(load.requestsPerSecond).toLocaleString('en-US')} req/s p99 ${load.latencyP99Ms.toFixed(2)} ms ${load.serverCpuMicrosPerRequest.toFixed(0)} µs CPU/req${bad ? ` (${bad} bad)` : ''}`
      })
      .join(', ')
    options.log(`  ${spec.label.padEnd(38)} start-up ${running.startupMs.toFixed(0).padStart(5)} ms, peak RSS ${mb(run.peakRssBytes).padStart(4)} MB, ${loads}`)
    return run
  } finally {
    await running.stop()
  }
}

/**
 * Alternating A/B rounds: each round starts every server in turn (the bare reference first),
 * so that drift on a noisy machine shows as a difference between rounds rather than between
 * servers.
 */
export async function runRounds(servers: readonly SuiteServer[], options: SuiteOptions): Promise<RoundResult[]> {
  const rounds: RoundResult[] = []
  for (let round = 1; round <= options.rounds; round++) {
    options.log(`Round ${round} of ${options.rounds}`)
    const runs: ServerRun[] = []
    for (const server of servers) runs.push(await runServer(server, options))
    rounds.push({ round, servers: runs })
  }
  return rounds
}

/** A figure over rounds: each round's value, its ratio to the reference in that round, and medians. */
export interface Figure {
  perRound: number[]
  /** Per round, value ÷ the reference's value in the same round. */
  perRoundRatio: number[]
  median: number
  /** Median of the per-round ratios (paired, so drift between rounds cancels). */
  ratio: number
}

export function figure(values: number[], reference: number[]): Figure {
  const perRoundRatio = values.map((value, index) => value / reference[index]!)
  return { perRound: values, perRoundRatio, median: median(values), ratio: median(perRoundRatio) }
}

export interface LoadSummary {
  connections: number
  requestsPerSecond: Figure
  latencyP50Ms: Figure
  latencyP99Ms: Figure
  serverCpuMicrosPerRequest: Figure
  serverCpuUtilization: Figure
  errors: number
  timeouts: number
  non2xx: number
  mismatches: number
}

export interface ServerSummary {
  id: string
  label: string
  failures: string[]
  bodyOk: boolean
  startupMs: Figure
  peakRssBytes: Figure & { max: number }
  loads: LoadSummary[]
}

/** Medians and ratios to the reference server (`referenceId`), per server and connection count. */
export function summarize(rounds: readonly RoundResult[], referenceId: string, connections: readonly number[]): ServerSummary[] {
  const ids = rounds[0]?.servers.map((server) => server.id) ?? []
  const pick = (id: string) => rounds.map((round) => round.servers.find((server) => server.id === id)!)
  const reference = pick(referenceId)
  return ids.map((id) => {
    const runs = pick(id)
    const loadOf = (run: ServerRun, c: number) => run.loads.find((load) => load.connections === c)
    const value = (run: ServerRun, c: number, read: (load: LoadResult) => number) => {
      const load = loadOf(run, c)
      return load ? read(load) : Number.NaN
    }
    const peak = figure(runs.map((run) => run.peakRssBytes), reference.map((run) => run.peakRssBytes))
    return {
      id,
      label: runs[0]!.label,
      failures: runs.flatMap((run) => (run.failure ? [run.failure] : [])),
      bodyOk: runs.every((run) => run.bodyOk),
      startupMs: figure(runs.map((run) => run.startupMs), reference.map((run) => run.startupMs)),
      peakRssBytes: { ...peak, max: Math.max(...runs.map((run) => run.peakRssBytes).filter(Number.isFinite)) },
      loads: connections.map((c) => {
        const series = (read: (load: LoadResult) => number) =>
          figure(runs.map((run) => value(run, c, read)), reference.map((run) => value(run, c, read)))
        const total = (read: (load: LoadResult) => number) =>
          runs.reduce((sum, run) => sum + (loadOf(run, c) ? read(loadOf(run, c)!) : 0), 0)
        return {
          connections: c,
          requestsPerSecond: series((load) => load.requestsPerSecond),
          latencyP50Ms: series((load) => load.latencyP50Ms),
          latencyP99Ms: series((load) => load.latencyP99Ms),
          serverCpuMicrosPerRequest: series((load) => load.serverCpuMicrosPerRequest),
          serverCpuUtilization: series((load) => load.serverCpuUtilization),
          errors: total((load) => load.errors),
          timeouts: total((load) => load.timeouts),
          non2xx: total((load) => load.non2xx),
          mismatches: total((load) => load.mismatches),
        }
      }),
    }
  })
}

/** The machine the numbers come from. */
export function machineInfo() {
  const cpu = cpus()
  return {
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    nodeVersion: process.version,
    v8Version: process.versions.v8,
    platform: process.platform,
    arch: process.arch,
    totalMemoryBytes: totalmem(),
    /** 1, 5 and 15-minute load averages when the run started: above the core count, other work shared the CPU. */
    loadAverage: loadavg(),
  }
}

// ---------------------------------------------------------------------------------------------
// Text output

const integer = (value: number) => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '-')
const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : '-')
const ratio = (value: number) => (Number.isFinite(value) ? `(${value.toFixed(2)})` : '(-)')

/** The load table: one row per server and connection count, each figure with its ratio to the reference. */
export function formatLoadTable(summaries: readonly ServerSummary[]): string {
  const header = [
    'server'.padEnd(38),
    'conns'.padStart(5),
    'req/s (×bare)'.padStart(21),
    'p50 ms (×bare)'.padStart(18),
    'p99 ms (×bare)'.padStart(18),
    'CPU µs/req (×bare)'.padStart(19),
    'CPU use'.padStart(8),
    'errors'.padStart(7),
    'non-2xx'.padStart(8),
    'bad body'.padStart(9),
  ].join(' ')
  const lines = [header, '-'.repeat(header.length)]
  for (const summary of summaries) {
    for (const load of summary.loads) {
      lines.push(
        [
          summary.label.padEnd(38),
          String(load.connections).padStart(5),
          `${integer(load.requestsPerSecond.median)} ${ratio(load.requestsPerSecond.ratio)}`.padStart(21),
          `${fixed(load.latencyP50Ms.median, 2)} ${ratio(load.latencyP50Ms.ratio)}`.padStart(18),
          `${fixed(load.latencyP99Ms.median, 2)} ${ratio(load.latencyP99Ms.ratio)}`.padStart(18),
          `${fixed(load.serverCpuMicrosPerRequest.median, 0)} ${ratio(load.serverCpuMicrosPerRequest.ratio)}`.padStart(19),
          `${fixed(load.serverCpuUtilization.median * 100, 0)}%`.padStart(8),
          String(load.errors + load.timeouts).padStart(7),
          String(load.non2xx).padStart(8),
          String(load.mismatches).padStart(9),
        ].join(' '),
      )
    }
  }
  return lines.join('\n')
}

/** Start-up and memory, with ratios to the reference. */
export function formatProcessTable(summaries: readonly ServerSummary[]): string {
  const header = ['server'.padEnd(38), 'start-up ms (×bare)'.padStart(22), 'peak RSS MB (×bare)'.padStart(22)].join(' ')
  const lines = [header, '-'.repeat(header.length)]
  for (const summary of summaries) {
    lines.push(
      [
        summary.label.padEnd(38),
        `${integer(summary.startupMs.median)} ${ratio(summary.startupMs.ratio)}`.padStart(22),
        `${fixed(summary.peakRssBytes.median / 1024 / 1024, 0)} ${ratio(summary.peakRssBytes.ratio)}`.padStart(22),
      ].join(' '),
    )
  }
  return lines.join('\n')
}

/** Each round's req/s per server at each connection count, with the ratio to the reference in that round. */
export function formatRounds(summaries: readonly ServerSummary[], connections: readonly number[], rounds: number): string {
  const lines: string[] = []
  for (const [index, c] of connections.entries()) {
    for (let round = 0; round < rounds; round++) {
      const cells = summaries.map((summary) => {
        const rps = summary.loads[index]!.requestsPerSecond
        return `${summary.label} ${integer(rps.perRound[round]!)} ${ratio(rps.perRoundRatio[round]!)}`
      })
      lines.push(`  ${c} conns, round ${round + 1}: ${cells.join(' | ')}`)
    }
  }
  return lines.join('\n')
}

/** The tables both bench scripts print after their rounds: load, start-up and memory, per round. */
export function formatTables(
  summaries: readonly ServerSummary[],
  run: { rounds: number; connections: readonly number[]; duration: number },
): string {
  return [
    `Medians over ${run.rounds} round(s); (×bare) is the median of each round's ratio to the bare server of that round.`,
    `Request: ${benchRequest.method} ${benchRequest.path} ${benchRequest.body}, X-API-Key, keep-alive, no pipelining, ${run.duration} s per row.`,
    '',
    formatLoadTable(summaries),
    '',
    formatProcessTable(summaries),
    '',
    'Per round, req/s (×bare of that round):',
    formatRounds(summaries, run.connections, run.rounds),
  ].join('\n')
}

// ---------------------------------------------------------------------------------------------
// The request path's CPU target (issue 16)

/**
 * Issue 16: the server's CPU per request, journal on (as `serve` runs by default), within 1.25x
 * of bare node:http's, at 10 and at 50 connections. CPU per request is the figure other work on
 * the machine moves least, and a ratio within one round cancels the drift between rounds.
 */
export const cpuTarget = { server: 'mock-default', most: 1.25, connections: [10, 50] } as const

/** A verdict on `cpuTarget` at one connection count; `pass` is null when the run did not measure it. */
export interface CpuTargetVerdict {
  id: string
  target: string
  pass: boolean | null
  measured: string
  atTarget: boolean
}

/**
 * One verdict per connection count of `cpuTarget`: the default-fixtures server's CPU µs per
 * request ÷ the bare server's, the median of the ratios per cycle of `interleaved` bursts (see
 * bench/interleaved.ts). Without that phase (`--no-interleaved`, `bench:peers`), the median of the
 * per-round ratios of the rounds, which a busy machine moves far more.
 *
 * @example
 * for (const verdict of judgeCpuTarget(summaries, [10, 50], interleaved)) log(`${verdict.pass ? 'PASS' : 'FAIL'}  ${verdict.target}: ${verdict.measured}`)
 */
export function judgeCpuTarget(
  summaries: readonly ServerSummary[],
  connections: readonly number[],
  interleaved?: readonly InterleavedResult[],
): CpuTargetVerdict[] {
  const server = summaries.find((summary) => summary.id === cpuTarget.server)
  const bare = summaries.find((summary) => summary.id === 'bare')
  return cpuTarget.connections.map((c) => {
    const id = `cpu-vs-bare-${c}`
    const target = `server CPU per request, journal on, <= ${cpuTarget.most}x bare node:http at ${c} connections (issue 16)`
    if (interleaved) {
      const result = interleaved.find((entry) => entry.connections === c)
      const mock = result?.servers.find((entry) => entry.id === cpuTarget.server)
      const reference = result?.servers.find((entry) => entry.id === 'bare')
      if (!mock || !reference) return { id, target, pass: null, measured: `not measured (no interleaved bursts at ${c} connections)`, atTarget: false }
      return {
        id,
        target,
        pass: mock.ratio <= cpuTarget.most,
        measured:
          `${mock.ratio.toFixed(2)}x (interleaved bursts, per cycle ${mock.perCycleRatio.map((value) => value.toFixed(2)).join(', ')}; ` +
          `${mock.median.toFixed(1)} vs ${reference.median.toFixed(1)} µs)`,
        atTarget: true,
      }
    }
    const index = connections.indexOf(c)
    if (index < 0) return { id, target, pass: null, measured: `not measured (--connections has no ${c})`, atTarget: false }
    if (!server || !bare || server.failures.length > 0 || bare.failures.length > 0) {
      return { id, target, pass: false, measured: 'the default-fixtures or the bare server did not run', atTarget: true }
    }
    const cpu = server.loads[index]!.serverCpuMicrosPerRequest
    const bareCpu = bare.loads[index]!.serverCpuMicrosPerRequest
    return {
      id,
      target,
      pass: cpu.ratio <= cpuTarget.most,
      measured:
        `${cpu.ratio.toFixed(2)}x (rounds, per round ${cpu.perRoundRatio.map((value) => value.toFixed(2)).join(', ')}; ` +
        `${cpu.median.toFixed(1)} vs ${bareCpu.median.toFixed(1)} µs)`,
      atTarget: true,
    }
  })
}
