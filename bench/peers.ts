/**
 * `npm run bench:peers`: the bench's load against the mock's peers, Prism (mocking from an
 * OpenAPI description generated from src/contract) and json-server, next to the bare node:http
 * server and `getraze-mock serve` with the default fixtures, in alternating rounds.
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
import { benchDefaultFixtures, writeBenchFixtures } from './generateFixtures.js'
import { runScript } from './measure.js'
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
  prism: { type: 'boolean', default: true, describe: 'Include Prism (@stoplight/prism-cli)' },
  'json-server': { type: 'boolean', default: true, describe: 'Include json-server' },
  'peers-dir': {
    type: 'string',
    default: join(tmpdir(), 'getraze-mock-bench-peers'),
    describe: 'Temporary folder the peers are installed into (reused across runs)',
  },
  out: { type: 'string', default: 'bench/results.peers.json', describe: 'Where to write the results (relative to the repository)' },
  build: { type: 'boolean', default: true, describe: 'Rebuild dist/ first when src/ is newer' },
} satisfies Record<string, FlagSpec>

/** The peers, pinned to a major version so reruns compare like with like. */
const peers = {
  prism: { label: 'Prism 5 (mock, static example)', package: '@stoplight/prism-cli@5', bin: 'prism' },
  'json-server': { label: 'json-server 0.17 (in memory)', package: 'json-server@0.17', bin: 'json-server' },
} as const

const log = (line = '') => process.stdout.write(`${line}\n`)

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
      if (entry) {
        // A JavaScript source keeps json-server's database in memory (a .json file is rewritten on every PATCH).
        const database = join(tmp, 'json-server-db.cjs')
        const opportunities = benchDefaultFixtures().opportunities ?? []
        writeFileSync(database, `module.exports = () => (${JSON.stringify({ opportunities })})\n`)
        const routes = join(tmp, 'json-server-routes.json')
        writeFileSync(routes, JSON.stringify({ '/external/v1/opportunities/:id/stage': '/opportunities/:id' }))
        servers.push({
          spec: {
            id: 'json-server',
            label: peers['json-server'].label,
            command: process.execPath,
            args: (port) => [entry, database, '--port', String(port), '--host', '127.0.0.1', '--routes', routes, '--quiet'],
            cwd: tmp,
            startTimeoutMs: 60_000,
          },
          // json-server answers with the whole updated record, not the documented envelope.
          expect: {
            check: (status, body) => {
              try {
                const record = JSON.parse(body) as { id?: string; status?: string }
                return status === 200 && record.id === 'opp_abc123def456' && record.status === 'won' ? undefined : `answered ${status} ${body.slice(0, 300)}`
              } catch {
                return `answered ${status} ${body.slice(0, 300)}`
              }
            },
          },
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
    const cpuVerdicts = judgeCpuTarget(summaries, flags.connections)
    log()
    for (const verdict of cpuVerdicts) {
      log(`${verdict.pass === null ? 'SKIP' : verdict.pass ? 'PASS' : 'FAIL'}  ${verdict.target}: ${verdict.measured}`)
    }

    const results = {
      schemaVersion: 1,
      tool: 'getraze-mock bench:peers (bench/peers.ts)',
      finishedAt: new Date().toISOString(),
      machine,
      options: { durationSeconds: flags.duration, warmupSeconds: flags.warmup, rounds: flags.rounds, connections: flags.connections },
      peers: Object.fromEntries(Object.entries(peers).map(([name, peer]) => [name, { ...peer, skipped: skipped.includes(name) }])),
      request: benchRequest,
      rounds,
      summary: summaries,
      verdicts: cpuVerdicts,
    }
    mkdirSync(dirname(out), { recursive: true })
    writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`)
    log(`Results written to ${relative(process.cwd(), out) || out}`)
    const wrong = summaries.filter((summary) => !summary.bodyOk || summary.loads.some((load) => load.errors + load.timeouts + load.non2xx + load.mismatches > 0))
    if (wrong.length > 0) log(`warning: wrong answers or errors from ${wrong.map((summary) => summary.label).join(', ')}`)
    return summaries.filter((summary) => summary.id === 'bare' || summary.id === 'mock-default').some((s) => !s.bodyOk) ? 1 : 0
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
}

await runScript('bench:peers', main)
