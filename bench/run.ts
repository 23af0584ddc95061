/**
 * `npm run bench`: the mock against the physical limit of a Node server on this machine.
 *
 * Starts, one after another on loopback, a bare node:http server and `getraze-mock serve` with
 * the default fixtures and with generated fixtures of each --sizes count; drives each with
 * autocannon at each --connections count in alternating rounds; measures the in-process msw path;
 * optionally soaks the server with --soak-requests requests. Prints the tables with each figure
 * as a ratio to the bare server of the same round, one verdict line per target, and writes
 * everything to --out (bench/results.json). See BENCHMARKS.md.
 */
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { promisify } from 'node:util'
import { formatHelp, parseFlags } from './args.js'
import type { FlagSpec } from './args.js'
import { bareSpec, ensureBuilt, mockSpec, root } from './servers.js'
import { writeBenchFixtures, writeSizedFixtures } from './generateFixtures.js'
import { formatInterleaved, interleavedFlagSpecs, interleavedSettings, measureInterleaved, runInterleavedPhase } from './interleaved.js'
import type { InterleavedResult } from './interleaved.js'
import { formatReset, measureReset } from './reset.js'
import type { ResetResult } from './reset.js'
import { formatRecord, judgeRecord, measureRecord } from './record.js'
import type { RecordResult } from './record.js'
import type { InProcessResult } from './inProcess.js'
import { endpointProblems, formatEndpoints, judgeEndpoints, measureLists, measureWrites, mockListServer } from './endpoints.js'
import type { ListsResult, WritesResult } from './endpoints.js'
import type { InProcessEndpointsResult } from './inProcessEndpoints.js'
import { median, readRss, runLoad, runScript, sampleRss, startServer } from './measure.js'
import { benchRequest, documentedBody, frozenNow } from './request.js'
import { formatTables, judgeCpuTarget, machineInfo, runRounds, summarize } from './suite.js'
import type { Figure, ServerSummary, SuiteServer } from './suite.js'

const flagSpecs = {
  duration: { type: 'number', default: 5, describe: 'Seconds of load per server and connection count' },
  warmup: { type: 'number', default: 1, describe: 'Seconds of unrecorded load after each start, before measuring' },
  rounds: { type: 'number', default: 3, describe: 'Alternating rounds (bare, default, sizes..., repeated); at least 2 to see drift' },
  connections: { type: 'numbers', default: [10, 50], describe: 'Concurrent connections, one load per count' },
  sizes: { type: 'numbers', default: [10_000, 100_000], describe: 'Opportunity counts of the generated fixtures' },
  ...interleavedFlagSpecs,
  'in-process': { type: 'boolean', default: true, describe: 'Measure the msw setupServer path' },
  soak: { type: 'boolean', default: true, describe: 'Run the RSS soak against the default-fixtures server' },
  'soak-requests': { type: 'number', default: 1_000_000, describe: 'Requests in the soak' },
  reset: { type: 'boolean', default: true, describe: 'Measure POST /__admin/reset on a large store, and requests while it runs' },
  'reset-size': { type: 'number', default: 1_000_000, describe: 'Opportunities the server holds for the reset phase' },
  endpoints: {
    type: 'boolean',
    default: true,
    describe: "Issue 17's phase: each write's server CPU per request against the stage update's, lists and search by store size (interleaved bursts)",
  },
  'endpoint-burst': { type: 'number', default: 3000, describe: 'Requests per burst of a write, of the stage update and of a first page, in the endpoints phase' },
  'endpoint-cycles': { type: 'number', default: 12, describe: 'Cycles of the endpoints phase (a burst of each request kind per cycle)' },
  'list-sizes': { type: 'numbers', default: [1000, 1_000_000], describe: 'Opportunity counts whose first pages are compared (the largest against the smallest is judged)' },
  'search-sizes': { type: 'numbers', default: [100_000, 1_000_000], describe: 'Further opportunity counts the list and search requests are measured at' },
  'scan-burst': { type: 'number', default: 20, describe: 'Most requests per burst of a request that reads the whole account (search, sort_by=name)' },
  'scan-budget': {
    type: 'number',
    default: 2,
    describe: 'Seconds a burst of the lists part should last at most: a slower request gets fewer per burst; one slower alone is measured once, outside the cycles',
  },
  'scan-timeout': { type: 'number', default: 900, describe: 'Seconds one list request may take before the endpoints phase gives up on it' },
  'in-process-endpoints': {
    type: 'boolean',
    default: true,
    describe: 'Measure the writes against the stage update in process (core.handle), with the @msw/data collections unfilled and filled',
  },
  record: { type: 'boolean', default: true, describe: 'Measure getraze-mock record (and --shadow) against a bare forwarding proxy, both in front of the mock' },
  out: { type: 'string', default: 'bench/results.json', describe: 'Where to write the results (relative to the repository)' },
  build: { type: 'boolean', default: true, describe: 'Rebuild dist/ first when src/ is newer (the binary runs dist/)' },
  strict: { type: 'boolean', default: false, describe: 'Exit 1 when a performance target is missed (wrong answers always exit 1)' },
} satisfies Record<string, FlagSpec>

const log = (line = '') => process.stdout.write(`${line}\n`)

/** The in-process path, measured in a child process per round. */
async function runInProcess(rounds: number, durationSeconds: number, warmupSeconds: number, fixtures: string) {
  const results: Array<{ baseline: InProcessResult; mock: InProcessResult }> = []
  for (let round = 1; round <= rounds; round++) {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', join(root, 'bench', 'inProcess.ts'), '--duration', String(durationSeconds), '--warmup', String(warmupSeconds), '--fixtures', fixtures],
      { cwd: root, maxBuffer: 1 << 20 },
    )
    const result = JSON.parse(stdout.trim().split('\n').pop()!) as { baseline: InProcessResult; mock: InProcessResult }
    results.push(result)
    log(
      `  round ${round}: msw one-line handler ${Math.round(result.baseline.requestsPerSecond).toLocaleString('en-US')} req/s ` +
        `(${result.baseline.microsecondsPerRequest.toFixed(0)} µs), createGetRazeMock ${Math.round(result.mock.requestsPerSecond).toLocaleString('en-US')} req/s ` +
        `(${result.mock.microsecondsPerRequest.toFixed(0)} µs)`,
    )
  }
  const series = (read: (r: InProcessResult) => number) => ({
    baseline: median(results.map((r) => read(r.baseline))),
    mock: median(results.map((r) => read(r.mock))),
  })
  return {
    rounds: results,
    median: {
      requestsPerSecond: series((r) => r.requestsPerSecond),
      microsecondsPerRequest: series((r) => r.microsecondsPerRequest),
      latencyP50Us: series((r) => r.latencyP50Us),
      latencyP99Us: series((r) => r.latencyP99Us),
    },
    /** createGetRazeMock's req/s ÷ the one-line msw handler's, median of the per-round ratios. */
    ratioToMswBaseline: median(results.map((r) => r.mock.requestsPerSecond / r.baseline.requestsPerSecond)),
    non2xx: results.reduce((sum, r) => sum + r.mock.non2xx + r.baseline.non2xx, 0),
    mismatches: results.reduce((sum, r) => sum + r.mock.mismatches + r.baseline.mismatches, 0),
    errors: results.reduce((sum, r) => sum + r.mock.errors + r.baseline.errors, 0),
  }
}

/** Issue 17's writes in process (bench/inProcessEndpoints.ts), in a child process of its own. */
async function runInProcessEndpoints(burst: number, cycles: number, fixtures: string): Promise<InProcessEndpointsResult> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', join(root, 'bench', 'inProcessEndpoints.ts'), '--burst', String(burst), '--cycles', String(cycles), '--fixtures', fixtures],
    { cwd: root, maxBuffer: 1 << 20 },
  )
  return JSON.parse(stdout.trim().split('\n').pop()!) as InProcessEndpointsResult
}

/** The in-process writes: CPU per request and its ratio to the stage update, unfilled and filled side by side. */
function formatInProcessEndpoints(result: InProcessEndpointsResult): string {
  const lines = [
    `Writes in process (core.handle, no HTTP; ${result.cycles} cycles of ${result.burst.toLocaleString('en-US')} requests per kind; (×stage) is the median of the per-cycle ratios):`,
    `  ${'request'.padEnd(44)} ${'collections unfilled (serve)'.padStart(30)} ${'filled (createGetRazeMock, ready)'.padStart(34)}`,
  ]
  for (const [index, unfilled] of result.unfilled.entries()) {
    const filled = result.filled[index]!
    const cell = (kind: typeof unfilled, width: number) => `${kind.median.toFixed(1)} µs (${kind.ratio.toFixed(2)})${kind.wrong ? ` ${kind.wrong} wrong` : ''}`.padStart(width)
    lines.push(`  ${unfilled.label.padEnd(44)} ${cell(unfilled, 30)} ${cell(filled, 34)}`)
  }
  return lines.join('\n')
}

/** Largest RSS growth the soak tolerates: well under one byte per request at 1,000,000 requests would not show; an unbounded journal would (the bounded one, on by default, is full after 10,000 requests). */
const soakToleranceBytes = 10 * 1024 * 1024

/**
 * The soak: `requests` requests at the first connection count against the default-fixtures
 * server, sampling its RSS twice a second. Growth is the median RSS over the last tenth of the
 * run minus the median over the second tenth (the first tenth is warm-up: JIT, heap sizing).
 */
async function runSoak(requests: number, connections: number, fixtures: string) {
  const server = await startServer(mockSpec('mock-default', 'getraze-mock (default fixtures)', fixtures))
  try {
    if (server.firstResponse.body !== documentedBody) throw new Error(`Wrong first answer in the soak: ${server.firstResponse.status} ${server.firstResponse.body}`)
    let responses = 0
    const sampler = sampleRss(server.pid, 500, () => responses)
    const started = performance.now()
    let lastPrint = 0
    const load = await runLoad({
      url: server.url,
      pid: server.pid,
      connections,
      amount: requests,
      expectBody: documentedBody,
      onProgress: (count) => {
        responses = count
        if (count - lastPrint >= requests / 10) {
          lastPrint = count
          const rss = readRss(server.pid)?.rss ?? Number.NaN
          log(`  ${count.toLocaleString('en-US')} requests, RSS ${(rss / 1024 / 1024).toFixed(1)} MB`)
        }
      },
    })
    responses = load.requests
    const samples = sampler.stop()
    const seconds = (performance.now() - started) / 1000
    const within = (from: number, to: number) =>
      samples.filter((sample) => sample.responses >= from * requests && sample.responses <= to * requests).map((s) => s.rssBytes)
    const early = median(within(0.1, 0.2))
    const late = median(within(0.9, 1))
    const peak = readRss(server.pid)?.peak ?? Number.NaN
    const checkpoints = Array.from({ length: 10 }, (_, index) => {
      const at = ((index + 1) / 10) * requests
      const sample = samples.find((s) => s.responses >= at) ?? samples[samples.length - 1]
      return { requests: Math.round(at), rssBytes: sample?.rssBytes ?? Number.NaN }
    })
    return {
      requests: load.requests,
      connections,
      seconds,
      requestsPerSecond: load.requests / seconds,
      serverCpuMicrosPerRequest: load.serverCpuMicrosPerRequest,
      errors: load.errors + load.timeouts,
      non2xx: load.non2xx,
      mismatches: load.mismatches,
      rssEarlyBytes: early,
      rssLateBytes: late,
      growthBytes: late - early,
      toleranceBytes: soakToleranceBytes,
      peakRssBytes: peak,
      checkpoints,
      samples,
    }
  } finally {
    await server.stop()
  }
}

/** One verdict line. `pass` is null when the target could not be measured in this run. */
interface Verdict {
  id: string
  target: string
  pass: boolean | null
  measured: string
  /** False when the run measured a stand-in (e.g. smaller fixtures than the target names). */
  atTarget: boolean
}

const percent = (value: number) => `${(value * 100).toFixed(0)}%`
const rounds = (f: Figure, format: (value: number) => string) => f.perRound.map(format).join(', ')

/** Longest a reset may take, and a request wait while it runs (issue 15: 47 s and 18 s at 1,000,000 records). */
const resetLimitMs = 1000

function judge(
  summaries: ServerSummary[],
  options: { connections: number[]; sizes: number[]; soakRequests: number },
  soak: Awaited<ReturnType<typeof runSoak>> | undefined,
  inProcess: Awaited<ReturnType<typeof runInProcess>> | undefined,
  reset?: ResetResult,
  interleaved?: Awaited<ReturnType<typeof measureInterleaved>>,
  endpoints?: { writes?: WritesResult; lists?: ListsResult; inProcess?: InProcessEndpointsResult; listSizes: readonly number[] },
): Verdict[] {
  const byId = new Map(summaries.map((summary) => [summary.id, summary]))
  const standalone = byId.get('mock-default')
  const largestSize = Math.max(...options.sizes)
  const largest = byId.get(`mock-${largestSize}`)
  const largeName = `${largestSize.toLocaleString('en-US')} fixtures`
  const atLargeTarget = largestSize >= 100_000
  const tenIndex = options.connections.indexOf(10) >= 0 ? options.connections.indexOf(10) : 0
  const tenLabel = `${options.connections[tenIndex]} connections`
  const verdicts: Verdict[] = []
  const measuredOk = (s: ServerSummary | undefined) => s !== undefined && s.failures.length === 0

  // Correctness first: a fast wrong answer is not a result.
  const bad = summaries.flatMap((summary) => [
    ...summary.failures.map((failure) => `${summary.label}: ${failure.split('\n')[0]}`),
    ...summary.loads.flatMap((load) => {
      const problems = [
        load.errors + load.timeouts ? `${load.errors + load.timeouts} errors` : '',
        load.non2xx ? `${load.non2xx} non-2xx` : '',
        load.mismatches ? `${load.mismatches} wrong bodies` : '',
      ].filter(Boolean)
      return problems.length ? [`${summary.label} at ${load.connections} connections: ${problems.join(', ')}`] : []
    }),
  ])
  if (soak && soak.errors + soak.non2xx + soak.mismatches > 0) {
    bad.push(`soak: ${soak.errors} errors, ${soak.non2xx} non-2xx, ${soak.mismatches} wrong bodies`)
  }
  if (interleaved) {
    bad.push(...interleaved.failures.map((failure) => `interleaved: ${failure.split('\n')[0]}`))
    for (const result of interleaved.results) {
      for (const server of result.servers) if (server.wrong > 0) bad.push(`interleaved: ${server.label} at ${result.connections} connections: ${server.wrong} wrong answers`)
    }
  }
  if (inProcess && inProcess.errors + inProcess.non2xx + inProcess.mismatches > 0) {
    bad.push(`in-process: ${inProcess.errors} errors, ${inProcess.non2xx} non-2xx, ${inProcess.mismatches} wrong bodies`)
  }
  bad.push(...endpointProblems(endpoints?.writes, endpoints?.lists))
  for (const kind of [...(endpoints?.inProcess?.unfilled ?? []), ...(endpoints?.inProcess?.filled ?? [])]) {
    if (kind.wrong > 0) bad.push(`in-process endpoints: ${kind.label}: ${kind.wrong} wrong answers`)
  }
  verdicts.push({
    id: 'correct-answers',
    target: 'every server answers the documented body; 0 errors, 0 non-2xx, 0 wrong bodies under load',
    pass: bad.length === 0,
    measured: bad.length === 0 ? `all ${summaries.length} servers, every request` : bad.join('; '),
    atTarget: true,
  })

  if (measuredOk(standalone)) {
    const rps = standalone!.loads[tenIndex]!.requestsPerSecond
    verdicts.push({
      id: 'standalone-throughput',
      target: `standalone server >= 40% of the bare server's req/s at ${tenLabel}`,
      pass: rps.ratio >= 0.4,
      measured: `${percent(rps.ratio)} (per round ${rounds({ ...rps, perRound: rps.perRoundRatio }, percent)})`,
      atTarget: options.connections[tenIndex] === 10,
    })
    const p99s = summaries
      .filter((summary) => summary.id.startsWith('mock-') && measuredOk(summary))
      .map((summary) => ({ label: summary.label, p99: summary.loads[tenIndex]!.latencyP99Ms.median }))
    const worst = Math.max(...p99s.map((entry) => entry.p99))
    verdicts.push({
      id: 'standalone-p99',
      target: `standalone server p99 < 5 ms at ${tenLabel} (every fixture size)`,
      pass: worst < 5,
      measured: p99s.map((entry) => `${entry.label} ${entry.p99.toFixed(2)} ms`).join(', '),
      atTarget: options.connections[tenIndex] === 10,
    })
    const startup = standalone!.startupMs
    verdicts.push({
      id: 'default-startup',
      target: 'default fixtures: start-up to first response < 500 ms',
      pass: startup.median < 500,
      measured: `${startup.median.toFixed(0)} ms (per round ${rounds(startup, (v) => v.toFixed(0))})`,
      atTarget: true,
    })
  } else {
    for (const id of ['standalone-throughput', 'standalone-p99', 'default-startup']) {
      verdicts.push({ id, target: id, pass: false, measured: 'the default-fixtures server did not run', atTarget: true })
    }
  }

  if (measuredOk(largest) && measuredOk(standalone)) {
    const ratios = options.connections.map((c, index) => {
      const large = largest!.loads[index]!.requestsPerSecond.perRound
      const small = standalone!.loads[index]!.requestsPerSecond.perRound
      return { c, ratio: median(large.map((value, round) => value / small[round]!)) }
    })
    const worst = Math.min(...ratios.map((entry) => entry.ratio))
    verdicts.push({
      id: 'large-fixtures-throughput',
      target: `${largeName} >= 80% of the default fixtures' req/s`,
      pass: worst >= 0.8,
      measured: ratios.map((entry) => `${percent(entry.ratio)} at ${entry.c} connections`).join(', '),
      atTarget: atLargeTarget,
    })
    const startup = largest!.startupMs
    verdicts.push({
      id: 'large-fixtures-startup',
      target: `${largeName}: start-up < 3 s`,
      pass: startup.median < 3000,
      measured: `${startup.median.toFixed(0)} ms (per round ${rounds(startup, (v) => v.toFixed(0))})`,
      atTarget: atLargeTarget,
    })
    const rss = largest!.peakRssBytes
    verdicts.push({
      id: 'large-fixtures-rss',
      target: `${largeName}: peak RSS < 300 MB`,
      pass: rss.max < 300 * 1024 * 1024,
      measured: `${(rss.max / 1024 / 1024).toFixed(0)} MB at most (per round ${rounds(rss, (v) => (v / 1024 / 1024).toFixed(0))})`,
      atTarget: atLargeTarget,
    })
  } else {
    for (const id of ['large-fixtures-throughput', 'large-fixtures-startup', 'large-fixtures-rss']) {
      verdicts.push({ id, target: id, pass: false, measured: `the ${largeName} server did not run`, atTarget: atLargeTarget })
    }
  }

  const noJournal = byId.get('mock-nojournal')
  if (measuredOk(standalone) && measuredOk(noJournal)) {
    // Per round, journal on ÷ journal off, so drift between rounds cancels out.
    const ratios = options.connections.map((c, index) => {
      const on = standalone!.loads[index]!.serverCpuMicrosPerRequest.perRound
      const off = noJournal!.loads[index]!.serverCpuMicrosPerRequest.perRound
      return { c, ratio: median(on.map((value, round) => value / off[round]!)), on: median(on), off: median(off) }
    })
    const worst = Math.max(...ratios.map((entry) => entry.ratio))
    verdicts.push({
      id: 'journal-cpu',
      target: 'server CPU per request with the journal on (default 10,000) within 10% of journal off',
      pass: worst <= 1.1,
      measured: ratios
        .map((entry) => `${entry.on.toFixed(1)} vs ${entry.off.toFixed(1)} µs (${percent(entry.ratio)}) at ${entry.c} connections`)
        .join(', '),
      atTarget: true,
    })
  } else {
    verdicts.push({ id: 'journal-cpu', target: 'journal-cpu', pass: false, measured: 'the journal-on or journal-off server did not run', atTarget: true })
  }
  verdicts.push(...judgeCpuTarget(summaries, options.connections, interleaved?.results))

  verdicts.push(
    soak
      ? {
          id: 'soak-rss',
          target: `no RSS growth across ${soak.requests.toLocaleString('en-US')} requests (< ${soak.toleranceBytes / 1024 / 1024} MB)`,
          pass: soak.growthBytes < soak.toleranceBytes,
          measured: `${(soak.growthBytes / 1024 / 1024).toFixed(1)} MB (${(soak.rssEarlyBytes / 1024 / 1024).toFixed(1)} MB after the first tenth, ${(soak.rssLateBytes / 1024 / 1024).toFixed(1)} MB in the last)`,
          atTarget: soak.requests >= 1_000_000,
        }
      : {
          id: 'soak-rss',
          target: 'no RSS growth across 1,000,000 requests',
          pass: null,
          measured: 'not run (--no-soak)',
          atTarget: false,
        },
  )
  verdicts.push(
    reset
      ? {
          id: 'reset',
          target: `POST /__admin/reset at ${reset.records.toLocaleString('en-US')} records answered < ${resetLimitMs} ms, no request waiting > ${resetLimitMs} ms meanwhile`,
          pass: reset.resetStatus === 204 && reset.resetMs < resetLimitMs && reset.longestProbeDuringResetMs < resetLimitMs && reset.failedProbes === 0,
          measured: `${reset.resetStatus} in ${reset.resetMs.toFixed(0)} ms, longest request during it ${reset.longestProbeDuringResetMs.toFixed(1)} ms, ${reset.failedProbes} failed`,
          atTarget: reset.records >= 1_000_000,
        }
      : { id: 'reset', target: 'POST /__admin/reset at 1,000,000 records', pass: null, measured: 'not run (--no-reset)', atTarget: false },
  )
  verdicts.push(...judgeEndpoints(endpoints?.writes, endpoints?.lists, { listSizes: endpoints?.listSizes ?? [1000, 1_000_000] }))
  return verdicts
}

function formatVerdict(verdict: Verdict): string {
  const word = verdict.pass === null ? 'SKIP' : verdict.pass ? 'PASS' : 'FAIL'
  const note = verdict.atTarget || verdict.pass === null ? '' : ' [indicative: measured below the target scale]'
  return `${word}  ${verdict.target}: ${verdict.measured}${note}`
}

async function main() {
  const flags = parseFlags(process.argv.slice(2), flagSpecs)
  if (flags.help) {
    log(formatHelp('Usage: npm run bench -- [flags]\n\nMeasures getraze-mock against a bare node:http server; see BENCHMARKS.md.', flagSpecs))
    return 0
  }
  if (flags.rounds < 1 || !Number.isInteger(flags.rounds)) throw new Error('--rounds must be a whole number of at least 1')
  const out = resolve(root, flags.out ?? 'bench/results.json')
  const startedAt = new Date()
  const machine = machineInfo()
  log(`getraze-mock bench: ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.nodeVersion}`)
  if (machine.loadAverage[0]! > machine.cores / 2) {
    log(`warning: load average ${machine.loadAverage[0]!.toFixed(1)} on ${machine.cores} cores; other work will skew the figures (the ratios less than the absolutes)`)
  }
  log(
    `${flags.rounds} round(s) x ${flags.duration} s per load at ${flags.connections.join(' and ')} connections, ` +
      `fixtures: default + ${flags.sizes.map((size) => size.toLocaleString('en-US')).join(', ')} opportunities`,
  )
  if (flags.rounds < 2) log('note: with one round, drift between servers cannot be told from a real difference')
  ensureBuilt(flags.build)

  const tmp = mkdtempSync(join(tmpdir(), 'getraze-bench-'))
  try {
    const fixturesStarted = performance.now()
    const files = writeBenchFixtures(tmp, flags.sizes)
    log(`Fixtures written to ${tmp} in ${((performance.now() - fixturesStarted) / 1000).toFixed(1)} s`)
    /** The generated fixtures of one size, written on first use and shared by the phases (1,000,000 records make 540 MB). */
    const sizedFixtures = (size: number) => {
      let file = files.sized.get(size)
      if (!file) {
        file = join(tmp, `opportunities-${size}.json`)
        const started = performance.now()
        writeSizedFixtures(file, size)
        files.sized.set(size, file)
        log(`  ${size.toLocaleString('en-US')} opportunities written in ${((performance.now() - started) / 1000).toFixed(1)} s`)
      }
      return file
    }

    const servers: SuiteServer[] = [
      { spec: bareSpec, expect: { exact: documentedBody } },
      { spec: mockSpec('mock-default', 'getraze-mock (default fixtures)', files.defaults), expect: { exact: documentedBody } },
      // The same server with the request journal off, to price the journal (on by default).
      {
        spec: mockSpec('mock-nojournal', 'getraze-mock (default fixtures, --journal-size 0)', files.defaults, ['--journal-size', '0']),
        expect: { exact: documentedBody },
      },
      ...flags.sizes.map((size) => ({
        spec: { ...mockSpec(`mock-${size}`, `getraze-mock (${size.toLocaleString('en-US')} opportunities)`, files.sized.get(size)!), startTimeoutMs: 120_000 },
        expect: { exact: documentedBody },
      })),
    ]
    const rounds = await runRounds(servers, {
      durationSeconds: flags.duration,
      warmupSeconds: flags.warmup,
      connections: flags.connections,
      rounds: flags.rounds,
      log,
    })
    const summaries = summarize(rounds, 'bare', flags.connections)

    // The bare server, the default fixtures with the journal on (the target) and off (its price).
    const interleaved = await runInterleavedPhase(servers.slice(0, 3), flags, log)

    let inProcess: Awaited<ReturnType<typeof runInProcess>> | undefined
    if (flags['in-process']) {
      log('In-process (msw setupServer, one fetch at a time)')
      inProcess = await runInProcess(flags.rounds, flags.duration, flags.warmup, files.defaults)
    }

    let soak: Awaited<ReturnType<typeof runSoak>> | undefined
    if (flags.soak) {
      log(`Soak: ${flags['soak-requests'].toLocaleString('en-US')} requests at ${flags.connections[0]} connections, default fixtures`)
      soak = await runSoak(flags['soak-requests'], flags.connections[0] ?? 10, files.defaults)
    }

    let reset: ResetResult | undefined
    if (flags.reset) {
      const size = flags['reset-size']
      log(`Reset: POST /__admin/reset on a server with ${size.toLocaleString('en-US')} opportunities, while a client keeps sending requests`)
      reset = await measureReset(mockSpec('mock-reset', `getraze-mock (${size.toLocaleString('en-US')} opportunities, reset)`, sizedFixtures(size)), size)
    }

    let record: RecordResult | undefined
    if (flags.record) {
      log(`Record: getraze-mock record in front of the mock, against a bare forwarding proxy, at ${flags.connections[0] ?? 10} connections`)
      record = await measureRecord({ fixtures: files.defaults, rounds: flags.rounds, durationSeconds: flags.duration, warmupSeconds: flags.warmup, connections: flags.connections[0] ?? 10, log })
    }

    let writes: WritesResult | undefined
    let lists: ListsResult | undefined
    let inProcessEndpoints: InProcessEndpointsResult | undefined
    const connections = flags.connections[0] ?? 10
    if (flags.endpoints) {
      const cycles = flags['endpoint-cycles']
      const burst = flags['endpoint-burst']
      log(`Endpoints (issue 17): writes against the stage update, ${cycles} cycles of ${burst.toLocaleString('en-US')} requests per kind at ${connections} connections, default fixtures`)
      writes = await measureWrites(mockSpec('mock-writes', 'getraze-mock (default fixtures, writes)', files.defaults), { connections, burst, cycles, log })
      const sizes = [...new Set([...flags['list-sizes'], ...flags['search-sizes']])].sort((a, b) => a - b)
      log(`Endpoints (issue 17): lists at ${sizes.map((size) => size.toLocaleString('en-US')).join(', ')} opportunities, servers up at once`)
      const listServers = sizes.map((size) =>
        mockListServer(size, { ...mockSpec(`mock-list-${size}`, `getraze-mock (${size.toLocaleString('en-US')} opportunities)`, sizedFixtures(size)), startTimeoutMs: 600_000 }),
      )
      lists = await measureLists(listServers, {
        connections,
        burst,
        scanBurst: flags['scan-burst'],
        budgetMs: flags['scan-budget'] * 1000,
        timeoutMs: flags['scan-timeout'] * 1000,
        cycles,
        log,
      })
    }
    if (flags['in-process-endpoints']) {
      log('Endpoints in process (core.handle): writes against the stage update, @msw/data collections unfilled and filled')
      inProcessEndpoints = await runInProcessEndpoints(Math.min(flags['endpoint-burst'], 2000), flags['endpoint-cycles'], files.defaults)
    }

    const verdicts = judge(summaries, { connections: flags.connections, sizes: flags.sizes, soakRequests: flags['soak-requests'] }, soak, inProcess, reset, interleaved, {
      ...(writes ? { writes } : {}),
      ...(lists ? { lists } : {}),
      ...(inProcessEndpoints ? { inProcess: inProcessEndpoints } : {}),
      listSizes: flags['list-sizes'],
    })
    verdicts.push(judgeRecord(record))

    log()
    log(formatTables(summaries, { rounds: flags.rounds, connections: flags.connections, duration: flags.duration }))
    if (interleaved) {
      log()
      log(formatInterleaved(interleaved.results))
    }
    if (inProcess) {
      log()
      const m = inProcess.median
      log(
        `In-process (msw setupServer, sequential fetch): createGetRazeMock ${Math.round(m.requestsPerSecond.mock).toLocaleString('en-US')} req/s, ` +
          `${m.microsecondsPerRequest.mock.toFixed(0)} µs/request (p50 ${m.latencyP50Us.mock.toFixed(0)}, p99 ${m.latencyP99Us.mock.toFixed(0)} µs); ` +
          `one-line msw handler ${Math.round(m.requestsPerSecond.baseline).toLocaleString('en-US')} req/s, ${m.microsecondsPerRequest.baseline.toFixed(0)} µs; ` +
          `ratio ${inProcess.ratioToMswBaseline.toFixed(2)}`,
      )
    }
    if (soak) {
      log(
        `Soak: ${soak.requests.toLocaleString('en-US')} requests in ${soak.seconds.toFixed(0)} s (${Math.round(soak.requestsPerSecond).toLocaleString('en-US')} req/s); ` +
          `RSS per tenth: ${soak.checkpoints.map((c) => (c.rssBytes / 1024 / 1024).toFixed(0)).join(', ')} MB; peak ${(soak.peakRssBytes / 1024 / 1024).toFixed(0)} MB`,
      )
    }
    if (reset) log(formatReset(reset))
    if (writes || lists) {
      log()
      log(formatEndpoints(writes, lists))
    }
    if (inProcessEndpoints) {
      log()
      log(formatInProcessEndpoints(inProcessEndpoints))
    }
    if (record) {
      log()
      log(formatRecord(record))
    }
    log()
    log('Verdicts:')
    for (const verdict of verdicts) log(formatVerdict(verdict))

    const correct = verdicts.find((verdict) => verdict.id === 'correct-answers')!.pass === true
    const allPass = verdicts.every((verdict) => verdict.pass !== false)
    const results = {
      schemaVersion: 1,
      tool: 'getraze-mock bench (bench/run.ts)',
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      machine: { ...machine, loadAverageAtEnd: loadavg() },
      options: {
        durationSeconds: flags.duration,
        warmupSeconds: flags.warmup,
        rounds: flags.rounds,
        connections: flags.connections,
        sizes: flags.sizes,
        inProcess: flags['in-process'],
        interleaved: interleavedSettings(flags),
        soakRequests: flags.soak ? flags['soak-requests'] : 0,
        resetSize: flags.reset ? flags['reset-size'] : 0,
        endpoints: flags.endpoints
          ? {
              burst: flags['endpoint-burst'],
              cycles: flags['endpoint-cycles'],
              listSizes: flags['list-sizes'],
              searchSizes: flags['search-sizes'],
              scanBurst: flags['scan-burst'],
              scanBudgetSeconds: flags['scan-budget'],
              scanTimeoutSeconds: flags['scan-timeout'],
            }
          : null,
        inProcessEndpoints: flags['in-process-endpoints'],
        record: flags.record,
      },
      request: { ...benchRequest, frozenNow, expectedBody: documentedBody },
      rounds,
      summary: summaries,
      inProcess: inProcess ?? null,
      interleaved: interleaved ?? null,
      soak: soak ?? null,
      reset: reset ?? null,
      endpoints: { writes: writes ?? null, lists: lists ?? null, inProcess: inProcessEndpoints ?? null },
      record: record ?? null,
      verdicts,
      ok: { correct, allTargetsMet: allPass },
    }
    mkdirSync(dirname(out), { recursive: true })
    writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`)
    log()
    log(`Results written to ${relative(process.cwd(), out) || out}`)
    if (!correct) return 1
    if (flags.strict && !allPass) return 1
    return 0
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
}

await runScript('bench', main)
