/**
 * The measure behind the request path's CPU target (issue 16): servers run side by side, and
 * short bursts of the bench request go to each in turn.
 *
 * The rounds of `npm run bench` load one server at a time for seconds, then the next: on a busy
 * machine, what else runs changes between those seconds, and the per-round ratio of two servers'
 * CPU per request swung from 1.0 to 4.4 in one run. Here every server is up at once, with its
 * keep-alive connections open, and each cycle sends one burst of `burst` requests to each server
 * in a rotating order: the bursts of a cycle are a fraction of a second apart, so other work
 * weighs on all of them alike. Two copies of the bare server measured 1.00 and 0.99 of each other
 * this way at a load average of 12.
 */
import { connect } from 'node:net'
import type { Socket } from 'node:net'
import type { FlagSpec, FlagValues } from './args.js'
import { loopback, median, readCpuSecondsFine, startServer } from './measure.js'
import type { RunningServer } from './measure.js'
import { benchRequest } from './request.js'
import type { SuiteServer } from './suite.js'

/**
 * The flags of the interleaved measure, the same in `npm run bench` and `npm run bench:peers`:
 * both judge issue 16's CPU target on it.
 */
export const interleavedFlagSpecs = {
  interleaved: {
    type: 'boolean',
    default: true,
    describe: 'Measure server CPU per request with the servers up at once, in alternating bursts (the CPU target is judged on it)',
  },
  'cpu-burst': { type: 'number', default: 3000, describe: 'Requests per burst of the interleaved CPU measure' },
  'cpu-cycles': { type: 'number', default: 24, describe: 'Bursts per server and connection count in the interleaved CPU measure' },
} satisfies Record<string, FlagSpec>

/** Options of `measureInterleaved`. */
export interface InterleavedOptions {
  /** Keep-alive connections per server, one measure per count. */
  connections: readonly number[]
  /** Requests in one burst. */
  burst: number
  /** Bursts per server and connection count, after one unrecorded warm-up burst each. */
  cycles: number
  /** The id of the server the others are divided by. */
  referenceId: string
  log: (line: string) => void
}

/** One server at one connection count. */
export interface InterleavedServer {
  id: string
  label: string
  /** Server CPU µs per request, per cycle. */
  perCycle: number[]
  median: number
  /** Per cycle, this server's CPU per request ÷ the reference's in the same cycle. */
  perCycleRatio: number[]
  /** The median of `perCycleRatio`. */
  ratio: number
  /** Answers that were not 2xx with the expected body. */
  wrong: number
}

/** Every server at one connection count. */
export interface InterleavedResult {
  connections: number
  servers: InterleavedServer[]
}

/**
 * One HTTP/1.1 request as the bytes a burst writes: keep-alive, `Host` loopback, the headers
 * given and a `Content-Length` for the body (none without one).
 *
 * @example
 * const bytes = requestBytes({ method: 'GET', path: '/external/v1/opportunities', headers: { 'x-api-key': 'YOUR_API_KEY' } })
 */
export function requestBytes(request: { method: string; path: string; headers: Readonly<Record<string, string>>; body?: string | undefined }): Buffer {
  const body = request.body ?? ''
  return Buffer.from(
    `${request.method} ${request.path} HTTP/1.1\r\nHost: ${loopback}\r\n` +
      Object.entries(request.headers)
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join('') +
      (request.body === undefined ? '\r\n' : `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`),
  )
}

const benchRequestBytes = requestBytes(benchRequest)

/** What one burst sends and how each answer is judged. */
export interface BurstPlan {
  /** Requests in the burst. */
  count: number
  /** The bytes of request `index` (0 to count - 1): a whole HTTP/1.1 request. */
  request(index: number): Buffer
  /** Whether the answer to request `index` is right; the burst counts the wrong ones. */
  check(index: number, status: number, body: string): boolean
  /** Longest the burst may take, in milliseconds. @default 120000 */
  timeoutMs?: number
}

/** A burst of the same request `count` times, right when 2xx with `expectBody` (any body when undefined). */
export function repeatedPlan(bytes: Buffer, count: number, expectBody: string | undefined): BurstPlan {
  return {
    count,
    request: () => bytes,
    check: (_index, status, body) => status >= 200 && status <= 299 && (expectBody === undefined || body === expectBody),
  }
}

/** Longest a burst may take before the measure gives up on a server that stopped answering. */
const burstTimeoutMs = 120_000

/**
 * Opens a keep-alive connection to a server on loopback, Nagle off.
 *
 * @example
 * const sockets = await Promise.all([1, 2].map(() => openConnection(port)))
 */
export function openConnection(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, loopback, () => {
      socket.off('error', reject)
      // A reset shows as 'close', which a burst handles and the next burst reopens.
      socket.on('error', () => {})
      resolve(socket)
    })
    socket.setNoDelay(true)
    socket.once('error', reject)
  })
}

/**
 * Sends the plan's requests over `sockets`, one at a time per socket (keep-alive, no
 * pipelining), and resolves with the number of answers the plan's check refused. A connection
 * the server closes meanwhile (its keep-alive timeout can end an idle one just as a burst starts)
 * is opened again and its unanswered request sent again.
 *
 * @example
 * const wrong = await sendBurst(sockets, port, repeatedPlan(bytes, 3000, expectedBody))
 */
export function sendBurst(sockets: Socket[], port: number, plan: BurstPlan): Promise<number> {
  const count = plan.count
  const timeoutMs = plan.timeoutMs ?? burstTimeoutMs
  return new Promise((resolve, reject) => {
    if (count === 0) {
      resolve(0)
      return
    }
    let next = 0
    /** Requests a closed connection left unanswered, sent again first. */
    const retry: number[] = []
    let answered = 0
    let wrong = 0
    let done = false
    const cleanups: Array<() => void> = []
    const finish = (error?: Error) => {
      if (done) return
      done = true
      clearTimeout(timer)
      for (const cleanup of cleanups) cleanup()
      if (error) reject(error)
      else resolve(wrong)
    }
    const timer = setTimeout(() => finish(new Error(`no answer to ${count - answered} of ${count} requests within ${timeoutMs / 1000} s`)), timeoutMs)
    const drive = (index: number, socket: Socket) => {
      let pending: Buffer = Buffer.alloc(0)
      /** The request this connection waits for an answer to. */
      let waiting: number | undefined
      const send = () => {
        const request = retry.length > 0 ? retry.shift() : next < count ? next++ : undefined
        if (request === undefined) return
        waiting = request
        socket.write(plan.request(request))
      }
      const onData = (chunk: Buffer) => {
        pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk])
        for (;;) {
          const headEnd = pending.indexOf('\r\n\r\n')
          if (headEnd === -1) return
          const head = pending.toString('latin1', 0, headEnd)
          const length = /\r\ncontent-length: *(\d+)/i.exec(head)
          if (!length) {
            finish(new Error(`an answer without Content-Length: ${head.split('\r\n')[0]}`))
            return
          }
          const end = headEnd + 4 + Number(length[1])
          if (pending.length < end) return
          const status = head.startsWith('HTTP/1.1 ') ? Number(head.slice(9, 12)) : 0
          const ok = waiting !== undefined && plan.check(waiting, status, pending.toString('utf8', headEnd + 4, end))
          if (!ok) wrong++
          pending = pending.subarray(end)
          answered++
          waiting = undefined
          if (answered === count) {
            finish()
            return
          }
          send()
        }
      }
      const onClose = () => {
        if (done) return
        if (waiting !== undefined) retry.push(waiting)
        openConnection(port).then(
          (fresh) => {
            sockets[index] = fresh
            drive(index, fresh)
          },
          (error: Error) => finish(error),
        )
      }
      socket.on('data', onData)
      socket.once('close', onClose)
      cleanups.push(() => {
        socket.off('data', onData)
        socket.off('close', onClose)
      })
      send()
    }
    sockets.forEach((socket, index) => drive(index, socket))
  })
}

/**
 * Starts every server, checks its first answer, then measures server CPU per request in
 * interleaved bursts at each connection count (see the top of this file). A server that fails
 * to start or answers wrongly is left out, with the reason in `failures`.
 *
 * @example
 * const { results } = await measureInterleaved([bare, mock], { connections: [10, 50], burst: 3000, cycles: 12, referenceId: 'bare', log })
 */
export async function measureInterleaved(
  servers: readonly SuiteServer[],
  options: InterleavedOptions,
): Promise<{ results: InterleavedResult[]; failures: string[] }> {
  const failures: string[] = []
  const running: Array<{ server: SuiteServer; child: RunningServer; problem: string | undefined }> = []
  try {
    for (const server of servers) {
      try {
        const child = await startServer(server.spec)
        const { status, body } = child.firstResponse
        const exact = server.expect.exact
        const problem = exact !== undefined ? (status < 200 || status > 299 || body !== exact ? `answered ${status} ${body.slice(0, 300)}` : undefined) : server.expect.check?.(status, body)
        running.push({ server, child, problem })
        if (problem) failures.push(`${server.spec.label}: ${problem}`)
      } catch (error) {
        failures.push((error as Error).message)
      }
    }
    const measured = running.filter(({ problem }) => problem === undefined)
    const reference = measured.findIndex(({ server }) => server.spec.id === options.referenceId)
    if (reference === -1) return { results: [], failures }

    const results: InterleavedResult[] = []
    for (const connections of options.connections) {
      const perServer = measured.map(({ server, child }) => ({ server, child, sockets: [] as Socket[], perCycle: [] as number[], wrong: 0 }))
      try {
        // Each server's connections open just before its warm-up: Node answers 408 on a connection
        // that sends nothing for its headers timeout, which waiting for the other servers can exceed.
        for (const entry of perServer) {
          entry.sockets = await Promise.all(Array.from({ length: connections }, () => openConnection(entry.child.port)))
          await sendBurst(entry.sockets, entry.child.port, repeatedPlan(benchRequestBytes, options.burst, entry.server.expect.exact))
        }
        for (let cycle = 0; cycle < options.cycles; cycle++) {
          for (let turn = 0; turn < perServer.length; turn++) {
            const entry = perServer[(cycle + turn) % perServer.length]!
            // A connection the server closed while idle (its keep-alive timeout) opens again, unmeasured.
            for (let index = 0; index < entry.sockets.length; index++) {
              if (entry.sockets[index]!.readyState !== 'open') entry.sockets[index] = await openConnection(entry.child.port)
            }
            // The scheduler's nanosecond counters: /proc/<pid>/stat counts 10 ms ticks, which put
            // every burst's CPU in steps of about 3% of it.
            const before = readCpuSecondsFine(entry.child.pid) ?? Number.NaN
            entry.wrong += await sendBurst(entry.sockets, entry.child.port, repeatedPlan(benchRequestBytes, options.burst, entry.server.expect.exact))
            const after = readCpuSecondsFine(entry.child.pid) ?? Number.NaN
            entry.perCycle.push(((after - before) * 1e6) / options.burst)
          }
        }
      } catch (error) {
        failures.push(`interleaved bursts at ${connections} connections: ${(error as Error).message}`)
        continue
      } finally {
        for (const entry of perServer) for (const socket of entry.sockets) socket.destroy()
      }
      const base = perServer[reference]!.perCycle
      const result: InterleavedResult = {
        connections,
        servers: perServer.map(({ server, perCycle, wrong }) => {
          const perCycleRatio = perCycle.map((value, cycle) => value / base[cycle]!)
          return { id: server.spec.id, label: server.spec.label, perCycle, median: median(perCycle), perCycleRatio, ratio: median(perCycleRatio), wrong }
        }),
      }
      results.push(result)
      options.log(
        `  ${connections} connections: ` +
          result.servers.map((entry) => `${entry.label} ${entry.median.toFixed(1)} µs/req (${entry.ratio.toFixed(2)})${entry.wrong ? `, ${entry.wrong} wrong` : ''}`).join(' | '),
      )
    }
    return { results, failures }
  } finally {
    for (const { child } of running) await child.stop()
  }
}

/**
 * The interleaved measure as the bench prints it: each server's median CPU per request and its
 * ratio to the reference.
 *
 * @example
 * log(formatInterleaved(measured.results))
 */
export function formatInterleaved(results: readonly InterleavedResult[]): string {
  const lines = ['Interleaved CPU per request (servers up at once, alternating bursts; (×bare) is the median of the per-cycle ratios):']
  for (const result of results) {
    for (const server of result.servers) {
      lines.push(`  ${server.label.padEnd(50)} ${String(result.connections).padStart(3)} conns ${server.median.toFixed(1).padStart(7)} µs/req (${server.ratio.toFixed(2)})`)
    }
  }
  return lines.join('\n')
}

/** The interleaved phase's flags, and the connection counts it measures at. */
export type InterleavedPhaseFlags = FlagValues<typeof interleavedFlagSpecs> & { connections: readonly number[] }

/**
 * The interleaved phase as both bench commands run it from their flags, the bare server as the
 * reference: `undefined` with `--no-interleaved`.
 *
 * @example
 * const interleaved = await runInterleavedPhase([bare, mock], flags, log)
 */
export async function runInterleavedPhase(
  servers: readonly SuiteServer[],
  flags: InterleavedPhaseFlags,
  log: (line: string) => void,
): Promise<Awaited<ReturnType<typeof measureInterleaved>> | undefined> {
  if (!flags.interleaved) return undefined
  log(`Interleaved CPU per request: ${flags['cpu-cycles']} cycles of ${flags['cpu-burst'].toLocaleString('en-US')} requests per server, the servers up at once`)
  return measureInterleaved(servers, { connections: flags.connections, burst: flags['cpu-burst'], cycles: flags['cpu-cycles'], referenceId: 'bare', log })
}

/** What a results file records of the phase's settings: `null` when it did not run. */
export function interleavedSettings(flags: InterleavedPhaseFlags): { burst: number; cycles: number } | null {
  return flags.interleaved ? { burst: flags['cpu-burst'], cycles: flags['cpu-cycles'] } : null
}
