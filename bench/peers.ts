/**
 * `npm run bench:peers`: the bench's load against the mock's peers, Prism (mocking from an
 * OpenAPI description generated from src/contract) and json-server, next to the bare node:http
 * server and `getraze-mock serve` with the default fixtures, in alternating rounds. Issue 16's CPU
 * target (the mock against the bare server) is judged on interleaved bursts, as in `npm run bench`:
 * the rounds' ratios swing too much from one round to the next to judge it.
 *
 * Then (issue 17) json-server and getraze-mock side by side on lists, at each --list-sizes count
 * of generated opportunities: a filtered, sorted first page and a full-text search, as server CPU
 * per request and req/s in interleaved bursts (bench/endpoints.ts), every answer checked.
 *
 * The peers are installed with `npm install --prefix <temporary folder>`, never into the
 * project's dependencies; a failed install skips that peer with a message. Every server listens
 * on 127.0.0.1 only.
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { promisify } from 'node:util'
import { formatHelp, parseFlags } from './args.js'
import type { FlagSpec } from './args.js'
import { benchDefaultFixtures, writeBenchFixtures, writeJsonServerDatabase, writeSizedFixtures } from './generateFixtures.js'
import { listKinds, measureLists, mockListServer, searchFewText, searchManyText } from './endpoints.js'
import { interleavedFlagSpecs, interleavedSettings, runInterleavedPhase } from './interleaved.js'
import type { ListKind, ListServer, ListsResult } from './endpoints.js'
import { median, runScript } from './measure.js'
import type { ServerSpec } from './measure.js'
import { buildOpenApiDocument } from '../src/openapi/index.js'
import { benchRequest, documentedBody } from './request.js'
import { bareSpec, ensureBuilt, mockSpec, root } from './servers.js'
import { formatTables, judgeCpuTarget, machineInfo, runRounds, summarize } from './suite.js'
import type { SuiteServer } from './suite.js'

const flagSpecs = {
  duration: { type: 'number', default: 5, describe: 'Seconds of load per server and connection count' },
  warmup: { type: 'number', default: 1, describe: 'Seconds of unrecorded load after each start' },
  rounds: { type: 'number', default: 2, describe: 'Alternating rounds' },
  connections: { type: 'numbers', default: [10, 50], describe: 'Concurrent connections, one load per count' },
  ...interleavedFlagSpecs,
  prism: { type: 'boolean', default: true, describe: 'Include Prism (@stoplight/prism-cli)' },
  'json-server': { type: 'boolean', default: true, describe: 'Include json-server' },
  'peers-dir': {
    type: 'string',
    default: join(tmpdir(), 'getraze-mock-bench-peers'),
    describe: 'Temporary folder the peers are installed into (reused across runs)',
  },
  lists: { type: 'boolean', default: true, describe: 'json-server and getraze-mock side by side on lists: a filtered, sorted first page and a full-text search (needs json-server)' },
  'list-sizes': { type: 'numbers', default: [1000, 100_000], describe: 'Generated opportunity counts of the lists part' },
  'list-burst': { type: 'number', default: 2000, describe: 'Most requests per burst of a first page in the lists part' },
  'list-cycles': { type: 'number', default: 8, describe: 'Cycles of the lists part (a burst of each request to each server per cycle)' },
  'scan-burst': { type: 'number', default: 20, describe: 'Most requests per burst of a search in the lists part' },
  'scan-budget': { type: 'number', default: 2, describe: 'Seconds a burst of the lists part should last at most: a slower request gets fewer per burst; one slower alone is measured once' },
  'scan-timeout': { type: 'number', default: 900, describe: 'Seconds one list request may take before the lists part gives up on it' },
  out: { type: 'string', default: 'bench/results.peers.json', describe: 'Where to write the results (relative to the repository)' },
  build: { type: 'boolean', default: true, describe: 'Rebuild dist/ first when src/ is newer' },
} satisfies Record<string, FlagSpec>

/** The peers, pinned to a major version so reruns compare like with like. */
const peers = {
  prism: { label: 'Prism 5 (mock, static example)', package: '@stoplight/prism-cli@5', bin: 'prism' },
  'json-server': { label: 'json-server 0.17 (in memory)', package: 'json-server@0.17', bin: 'json-server' },
} as const

const log = (line = '') => process.stdout.write(`${line}\n`)

interface JsonServerItem {
  id?: string
  status?: string
  created_at?: string
}

/** Checks a json-server list answer: 200, an array of at most 20 records, each holding for `item`. */
function jsonServerPage(status: number, body: string, item: (record: JsonServerItem, index: number, items: JsonServerItem[]) => string | undefined): string | undefined {
  if (status !== 200) return `status ${status}`
  let items: unknown
  try {
    items = JSON.parse(body)
  } catch {
    return 'not JSON'
  }
  if (!Array.isArray(items)) return 'not an array'
  if (items.length > 20) return `${items.length} items`
  for (const [index, record] of (items as JsonServerItem[]).entries()) {
    const problem = item(record, index, items as JsonServerItem[])
    if (problem) return `item ${index} (${record.id}): ${problem}`
  }
  return undefined
}

const contains = (text: string) => (record: JsonServerItem) => (JSON.stringify(record).toLowerCase().includes(text.toLowerCase()) ? undefined : `holds no "${text}"`)

/** json-server's requests for the lists part: the same pages as getraze-mock's, in json-server's parameters. */
const jsonServerKinds: readonly ListKind[] = [
  {
    id: 'qualified',
    label: 'GET /opportunities?status=qualified&_sort=created_at&_order=desc&_page=1&_limit=20',
    path: '/opportunities?status=qualified&_sort=created_at&_order=desc&_page=1&_limit=20',
    scans: true,
    check: (status, body) =>
      jsonServerPage(status, body, (record, index, items) =>
        record.status !== 'qualified' ? `status ${record.status}` : index > 0 && items[index - 1]!.created_at! < record.created_at! ? 'not newest first' : undefined,
      ),
  },
  {
    id: 'search-few',
    label: `GET /opportunities?q=${searchFewText}&_page=1&_limit=20`,
    path: `/opportunities?q=${encodeURIComponent(searchFewText)}&_page=1&_limit=20`,
    scans: true,
    check: (status, body) => jsonServerPage(status, body, contains(searchFewText)),
  },
  {
    id: 'search-many',
    label: `GET /opportunities?q=${searchManyText}&_page=1&_limit=20`,
    path: `/opportunities?q=${encodeURIComponent(searchManyText)}&_page=1&_limit=20`,
    scans: true,
    check: (status, body) => jsonServerPage(status, body, contains(searchManyText)),
  },
]

/** getraze-mock's requests of the lists part: its judged first page and its two searches. */
const mockKinds = listKinds.filter((kind) => jsonServerKinds.some((other) => other.id === kind.id))

/** The lists part side by side: per request and size, each server's CPU µs/req and req/s, and json-server ÷ getraze-mock per cycle. */
function formatListsSideBySide(lists: ListsResult): string {
  const lines = [
    `Lists side by side (${lists.cycles} cycles at ${lists.connections} connections; json-server ÷ getraze-mock is the median of the per-cycle ratios of CPU per request):`,
    `  ${'request'.padEnd(12)} ${'records'.padStart(10)} ${'getraze-mock µs/req'.padStart(20)} ${'req/s'.padStart(8)} ${'json-server µs/req'.padStart(19)} ${'req/s'.padStart(8)} ${'json-server ÷ mock'.padStart(19)}`,
  ]
  for (const kind of mockKinds) {
    for (const size of lists.sizes) {
      const mock = lists.series.find((entry) => entry.group === 'getraze-mock' && entry.kind === kind.id && entry.size === size)
      const peer = lists.series.find((entry) => entry.group === 'json-server' && entry.kind === kind.id && entry.size === size)
      const perCycle = mock && peer && !mock.single && !peer.single ? peer.perCycle.map((value, cycle) => value / mock.perCycle[cycle]!) : []
      const ratio = perCycle.length > 0 ? median(perCycle) : peer && mock ? peer.median / mock.median : Number.NaN
      const cpu = (entry: typeof mock, width: number) => (entry ? `${entry.median.toFixed(1)}${entry.single ? ' (once)' : ''}` : '-').padStart(width)
      const rps = (entry: typeof mock) => (entry ? Math.round(entry.requestsPerSecond).toLocaleString('en-US') : '-').padStart(8)
      lines.push(
        `  ${kind.id.padEnd(12)} ${size.toLocaleString('en-US').padStart(10)} ${cpu(mock, 20)} ${rps(mock)} ${cpu(peer, 19)} ${rps(peer)} ${(Number.isFinite(ratio) ? `${ratio.toFixed(1)}x` : '-').padStart(19)}`,
      )
    }
  }
  const memory = Object.entries(lists.peakRssBytes).map(([id, bytes]) => `${id} ${(bytes / 1024 / 1024).toFixed(0)} MB`)
  const startup = Object.entries(lists.startupMs).map(([id, ms]) => `${id} ${(ms / 1000).toFixed(1)} s`)
  lines.push(`  start-up: ${startup.join(', ')}`, `  peak RSS: ${memory.join(', ')}`)
  for (const entry of lists.series) if (entry.wrong > 0) lines.push(`  ${entry.server}: ${entry.label}: ${entry.wrong} wrong answers (${entry.problem ?? 'see results'})`)
  return lines.join('\n')
}

/**
 * Installs a peer into `<peersDir>/<name>` unless it is there already; returns the path of its
 * JavaScript entry point, or undefined (with a message) when the install failed.
 */
async function installPeer(name: keyof typeof peers, peersDir: string): Promise<string | undefined> {
  const peer = peers[name]
  const prefix = join(peersDir, name)
  const bin = join(prefix, 'node_modules', '.bin', peer.bin)
  if (!existsSync(bin)) {
    log(`Installing ${peer.package} into ${prefix} (not the project's dependencies)...`)
    mkdirSync(prefix, { recursive: true })
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
    try {
      await promisify(execFile)(npm, ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--loglevel=error', peer.package], {
        cwd: prefix,
        maxBuffer: 16 << 20,
        timeout: 10 * 60_000,
      })
    } catch (error) {
      const detail = ((error as { stderr?: string }).stderr ?? (error as Error).message).trim().split('\n').slice(-5).join('\n    ')
      log(`Skipping ${peer.label}: npm install ${peer.package} failed.\n    ${detail}`)
      return undefined
    }
    if (!existsSync(bin)) {
      log(`Skipping ${peer.label}: npm install ${peer.package} finished but ${bin} is missing.`)
      return undefined
    }
  }
  // Spawn node on the entry itself (not the .bin shim) so the child's pid and RSS are the server's.
  return realpathSync(bin)
}

async function main() {
  const flags = parseFlags(process.argv.slice(2), flagSpecs)
  if (flags.help) {
    log(formatHelp('Usage: npm run bench:peers -- [flags]\n\nThe bench load against Prism and json-server; see BENCHMARKS.md.', flagSpecs))
    return 0
  }
  const out = resolve(root, flags.out ?? 'bench/results.peers.json')
  const machine = machineInfo()
  log(`getraze-mock bench:peers: ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.nodeVersion}`)
  ensureBuilt(flags.build)

  const tmp = mkdtempSync(join(tmpdir(), 'getraze-bench-peers-'))
  try {
    const files = writeBenchFixtures(tmp, [])
    const servers: SuiteServer[] = [
      { spec: bareSpec, expect: { exact: documentedBody } },
      { spec: mockSpec('mock-default', 'getraze-mock (default fixtures)', files.defaults), expect: { exact: documentedBody } },
    ]
    const skipped: string[] = []
    const peersDir = flags['peers-dir'] ?? join(tmpdir(), 'getraze-mock-bench-peers')
    let jsonServerEntry: string | undefined
    const routes = join(tmp, 'json-server-routes.json')
    writeFileSync(routes, JSON.stringify({ '/external/v1/opportunities/:id/stage': '/opportunities/:id' }))
    /** json-server answers the stage request with the whole updated record, not the documented envelope. */
    const jsonServerFirstAnswer = (status: number, body: string) => {
      try {
        const record = JSON.parse(body) as { id?: string; status?: string }
        return status === 200 && record.id === 'opp_abc123def456' && record.status === 'won' ? undefined : `answered ${status} ${body.slice(0, 300)}`
      } catch {
        return `answered ${status} ${body.slice(0, 300)}`
      }
    }

    if (flags.prism) {
      const entry = await installPeer('prism', peersDir)
      if (entry) {
        const document = join(tmp, 'openapi-stage.json')
        writeFileSync(document, JSON.stringify(buildOpenApiDocument({ serverUrls: ['http://127.0.0.1:4010'] }), null, 2))
        const spec: ServerSpec = {
          id: 'prism',
          label: peers.prism.label,
          command: process.execPath,
          args: (port) => [entry, 'mock', document, '--port', String(port), '--host', '127.0.0.1', '--errors', 'false', '--verboseLevel', 'silent'],
          cwd: tmp,
          startTimeoutMs: 60_000,
        }
        // Prism answers the documented example it was given; key order may differ, so compare as JSON.
        servers.push({
          spec,
          expect: {
            check: (status, body) =>
              status === 200 && JSON.stringify(JSON.parse(body)) === documentedBody ? undefined : `answered ${status} ${body.slice(0, 300)}`,
          },
        })
      } else {
        skipped.push('prism')
      }
    }

    if (flags['json-server']) {
      const entry = await installPeer('json-server', peersDir)
      jsonServerEntry = entry
      if (entry) {
        // A JavaScript source keeps json-server's database in memory (a .json file is rewritten on every PATCH).
        const database = join(tmp, 'json-server-db.cjs')
        const opportunities = benchDefaultFixtures().opportunities ?? []
        writeFileSync(database, `module.exports = () => (${JSON.stringify({ opportunities })})\n`)
        servers.push({
          spec: {
            id: 'json-server',
            label: peers['json-server'].label,
            command: process.execPath,
            args: (port) => [entry, database, '--port', String(port), '--host', '127.0.0.1', '--routes', routes, '--quiet'],
            cwd: tmp,
            startTimeoutMs: 60_000,
          },
          expect: { check: jsonServerFirstAnswer },
        })
      } else {
        skipped.push('json-server')
      }
    }

    const rounds = await runRounds(servers, {
      durationSeconds: flags.duration,
      warmupSeconds: flags.warmup,
      connections: flags.connections,
      rounds: flags.rounds,
      log,
    })
    const summaries = summarize(rounds, 'bare', flags.connections)
    log()
    log(formatTables(summaries, { rounds: flags.rounds, connections: flags.connections, duration: flags.duration }))
    const mock = summaries.find((summary) => summary.id === 'mock-default')
    for (const peer of summaries.filter((summary) => summary.id === 'prism' || summary.id === 'json-server')) {
      const lines = flags.connections.map((c, index) => {
        const mockRps = mock?.loads[index]?.requestsPerSecond.median ?? Number.NaN
        const peerRps = peer.loads[index]?.requestsPerSecond.median ?? Number.NaN
        return `${(mockRps / peerRps).toFixed(1)}x at ${c} connections`
      })
      log(`getraze-mock vs ${peer.label}: ${lines.join(', ')}`)
    }
    for (const name of skipped) log(`${peers[name as keyof typeof peers].label}: skipped (install failed)`)
    // The target is the mock's: the bare server and the mock only, not the peers.
    if (flags.interleaved) log()
    const interleaved = await runInterleavedPhase(servers.slice(0, 2), flags, log)
    for (const failure of interleaved?.failures ?? []) log(`warning: interleaved: ${failure.split('\n')[0]}`)
    const cpuVerdicts = judgeCpuTarget(summaries, flags.connections, interleaved?.results)
    log()
    for (const verdict of cpuVerdicts) {
      log(`${verdict.pass === null ? 'SKIP' : verdict.pass ? 'PASS' : 'FAIL'}  ${verdict.target}: ${verdict.measured}`)
    }

    let lists: ListsResult | undefined
    if (flags.lists && jsonServerEntry) {
      const sizes = [...new Set(flags['list-sizes'])].sort((a, b) => a - b)
      log()
      log(`Lists (issue 17): json-server and getraze-mock at ${sizes.map((size) => size.toLocaleString('en-US')).join(', ')} generated opportunities, servers up at once`)
      const listServers: ListServer[] = []
      for (const size of sizes) {
        const started = performance.now()
        const fixtures = join(tmp, `opportunities-${size}.json`)
        writeSizedFixtures(fixtures, size)
        const database = writeJsonServerDatabase(join(tmp, `json-server-${size}`), size)
        log(`  ${size.toLocaleString('en-US')} opportunities written in ${((performance.now() - started) / 1000).toFixed(1)} s`)
        listServers.push(
          { ...mockListServer(size, { ...mockSpec(`mock-list-${size}`, `getraze-mock (${size.toLocaleString('en-US')} opportunities)`, fixtures), startTimeoutMs: 600_000 }), kinds: mockKinds },
          {
            group: 'json-server',
            size,
            spec: {
              id: `json-server-list-${size}`,
              label: `${peers['json-server'].label} (${size.toLocaleString('en-US')} opportunities)`,
              command: process.execPath,
              // Room for a million records: Node's default heap limit may be smaller than they need.
              args: (port) => ['--max-old-space-size=8192', jsonServerEntry!, database, '--port', String(port), '--host', '127.0.0.1', '--routes', routes, '--quiet'],
              cwd: tmp,
              startTimeoutMs: 600_000,
            },
            expect: { check: jsonServerFirstAnswer },
            kinds: jsonServerKinds,
          },
        )
      }
      lists = await measureLists(listServers, {
        connections: flags.connections[0] ?? 10,
        burst: flags['list-burst'],
        scanBurst: flags['scan-burst'],
        budgetMs: flags['scan-budget'] * 1000,
        timeoutMs: flags['scan-timeout'] * 1000,
        cycles: flags['list-cycles'],
        log,
      })
      log()
      for (const failure of lists.failures) log(`warning: ${failure.split('\n')[0]}`)
      log(formatListsSideBySide(lists))
    } else if (flags.lists) {
      log('Lists: skipped (json-server is not installed)')
    }

    const results = {
      schemaVersion: 1,
      tool: 'getraze-mock bench:peers (bench/peers.ts)',
      finishedAt: new Date().toISOString(),
      machine,
      options: {
        durationSeconds: flags.duration,
        warmupSeconds: flags.warmup,
        rounds: flags.rounds,
        connections: flags.connections,
        interleaved: interleavedSettings(flags),
        lists: flags.lists
          ? { sizes: flags['list-sizes'], burst: flags['list-burst'], cycles: flags['list-cycles'], scanBurst: flags['scan-burst'], scanBudgetSeconds: flags['scan-budget'] }
          : null,
      },
      peers: Object.fromEntries(Object.entries(peers).map(([name, peer]) => [name, { ...peer, skipped: skipped.includes(name) }])),
      request: benchRequest,
      rounds,
      summary: summaries,
      interleaved: interleaved ?? null,
      lists: lists ?? null,
      verdicts: cpuVerdicts,
    }
    mkdirSync(dirname(out), { recursive: true })
    writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`)
    log(`Results written to ${relative(process.cwd(), out) || out}`)
    const wrong = summaries.filter((summary) => !summary.bodyOk || summary.loads.some((load) => load.errors + load.timeouts + load.non2xx + load.mismatches > 0))
    if (wrong.length > 0) log(`warning: wrong answers or errors from ${wrong.map((summary) => summary.label).join(', ')}`)
    const wrongLists = lists?.series.filter((entry) => entry.wrong > 0) ?? []
    if (wrongLists.length > 0) log(`warning: wrong list answers from ${[...new Set(wrongLists.map((entry) => entry.server))].join(', ')}`)
    if (lists?.series.some((entry) => entry.group === 'getraze-mock' && entry.wrong > 0)) return 1
    if (interleaved?.results.some((result) => result.servers.some((server) => server.wrong > 0))) {
      log('warning: wrong answers in the interleaved bursts')
      return 1
    }
    return summaries.filter((summary) => summary.id === 'bare' || summary.id === 'mock-default').some((s) => !s.bodyOk) ? 1 : 0
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
}

await runScript('bench:peers', main)
