import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { execFileSync } from 'node:child_process'
import autocannon from 'autocannon'
import { benchRequest } from './request.js'

/** Loopback only: nothing the bench starts or sends leaves the machine. */
export const loopback = '127.0.0.1'

// ---------------------------------------------------------------------------------------------
// Numbers

/** The median of some numbers (the mean of the middle two for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  const finite = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b)
  if (finite.length === 0) return Number.NaN
  const middle = finite.length >> 1
  return finite.length % 2 === 1 ? finite[middle]! : (finite[middle - 1]! + finite[middle]!) / 2
}

/** The p-th percentile (0-100, nearest rank) of a sorted array. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!
}

/** A growable list of latencies in milliseconds, kept as doubles (autocannon's own histogram is whole milliseconds). */
class Samples {
  private values = new Float64Array(1 << 16)
  length = 0
  push(value: number) {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2)
      grown.set(this.values)
      this.values = grown
    }
    this.values[this.length++] = value
  }
  sorted(): Float64Array {
    return this.values.slice(0, this.length).sort()
  }
}

// ---------------------------------------------------------------------------------------------
// Memory of another process

/** Resident memory of a process now (`rss`) and at its peak so far (`peak`), in bytes. */
export interface RssReading {
  rss: number
  peak: number
}

/**
 * Reads a process's resident set size: VmRSS and VmHWM (its high-water mark) from
 * /proc/<pid>/status on Linux; elsewhere `ps`, which knows no peak, so the peak is the current value.
 */
export function readRss(pid: number): RssReading | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024
    return { rss: kib('VmRSS'), peak: kib('VmHWM') }
  } catch {
    try {
      const rss = Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) * 1024
      return Number.isFinite(rss) && rss > 0 ? { rss, peak: rss } : undefined
    } catch {
      return undefined
    }
  }
}

/** Clock ticks per second of /proc/<pid>/stat times. */
let clockTicks: number | undefined
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
    } catch {
      clockTicks = 100
    }
  }
  return clockTicks
}

/**
 * CPU time a process has used so far (user + system), in seconds, from /proc/<pid>/stat; undefined
 * where there is no /proc. Unlike requests per second, CPU time per request hardly depends on
 * what else the machine (or the load generator) is doing.
 */
export function readCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th fields.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond()
  } catch {
    return undefined
  }
}

/**
 * CPU time a process has used so far, in seconds, from the scheduler's nanosecond counters of each
 * of its threads (`/proc/<pid>/task/<tid>/schedstat`); falls back to `readCpuSeconds` where they
 * cannot be read. `/proc/<pid>/stat` counts in clock ticks (10 ms), too coarse to time a burst of a
 * few requests; these counters time it to the microsecond. A thread that ends meanwhile takes its
 * time with it, which a Node server's long-lived threads do not.
 */
export function readCpuSecondsFine(pid: number): number | undefined {
  try {
    let nanoseconds = 0
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      try {
        nanoseconds += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0])
      } catch {
        // The thread ended between the listing and the read.
      }
    }
    return Number.isFinite(nanoseconds) && nanoseconds > 0 ? nanoseconds / 1e9 : readCpuSeconds(pid)
  } catch {
    return readCpuSeconds(pid)
  }
}

// ---------------------------------------------------------------------------------------------
// One request

/** A response read in full. */
export interface SimpleResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** Sends the bench request once on a fresh connection. */
export function sendBenchRequest(port: number, timeoutMs = 5000): Promise<SimpleResponse> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: loopback,
        port,
        method: benchRequest.method,
        path: benchRequest.path,
        headers: { ...benchRequest.headers, 'content-length': String(Buffer.byteLength(benchRequest.body)) },
        agent: false,
        timeout: timeoutMs,
      },
      (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }),
        )
        response.on('error', reject)
      },
    )
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)))
    request.on('error', reject)
    request.end(benchRequest.body)
  })
}

// ---------------------------------------------------------------------------------------------
// Servers in child processes

/** A free TCP port on loopback (bound and released; the server binds it right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, loopback, () => {
      const { port } = probe.address() as AddressInfo
      probe.close(() => resolve(port))
    })
  })
}

/** How to start one server under test. */
export interface ServerSpec {
  /** Stable id used in results.json, e.g. `mock-default`. */
  id: string
  /** Label for the table. */
  label: string
  /** Executable; spawned directly (no shell), so the child's pid is the server's own. */
  command: string
  args(port: number): string[]
  cwd?: string
  env?: NodeJS.ProcessEnv
  /** Longest wait for the first successful answer. */
  startTimeoutMs?: number
}

/** A started server. */
export interface RunningServer {
  spec: ServerSpec
  pid: number
  port: number
  url: string
  /** From `spawn` to the first 2xx answer to the bench request, in milliseconds. */
  startupMs: number
  /** That first answer. */
  firstResponse: SimpleResponse
  /** The tail of the child's stdout and stderr, for error messages. */
  output(): string
  stop(): Promise<void>
}

const children = new Set<ChildProcess>()

/** Kills every server the bench started and has not stopped yet (on exit and on Ctrl-C). */
export function killStartedServers() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
  children.clear()
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Spawns a server on a free port and sends it the bench request every 2 ms until it answers
 * 2xx; the time from `spawn` to that answer is its start-up time. A non-2xx answer once it is
 * listening is returned as is (the caller's body check reports it).
 */
export async function startServer(spec: ServerSpec): Promise<RunningServer> {
  const port = await freePort()
  let output = ''
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000)
  }
  const started = performance.now()
  const child = spawn(spec.command, spec.args(port), {
    cwd: spec.cwd,
    env: spec.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.add(child)
  child.stdout!.on('data', keep)
  child.stderr!.on('data', keep)
  let exited: string | undefined
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = signal ? `signal ${signal}` : `exit code ${code}`
      children.delete(child)
      resolve()
    })
    child.once('error', (error) => {
      exited = `spawn error ${error.message}`
      children.delete(child)
      resolve()
    })
  })

  const stop = async () => {
    if (exited === undefined) {
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exitPromise
      clearTimeout(timer)
    }
  }

  const deadline = started + (spec.startTimeoutMs ?? 60_000)
  let lastError = ''
  for (;;) {
    if (exited !== undefined) {
      throw new Error(`Failed to start ${spec.label}: it ended (${exited}) before answering.\n${output.trim()}`)
    }
    try {
      const firstResponse = await sendBenchRequest(port, 10_000)
      const startupMs = performance.now() - started
      if (child.pid === undefined) throw new Error('no pid')
      return { spec, pid: child.pid, port, url: `http://${loopback}:${port}`, startupMs, firstResponse, output: () => output, stop }
    } catch (error) {
      lastError = (error as Error).message
    }
    if (performance.now() > deadline) {
      await stop()
      throw new Error(`Failed to start ${spec.label}: no answer on port ${port} within ${spec.startTimeoutMs ?? 60_000} ms (${lastError}).\n${output.trim()}`)
    }
    await sleep(2)
  }
}

// ---------------------------------------------------------------------------------------------
// Load

/** One autocannon run against one server. */
export interface LoadResult {
  connections: number
  /** Wall time of the run, in seconds. */
  seconds: number
  /** Responses received. */
  requests: number
  requestsPerSecond: number
  /** Latency percentiles over 2xx responses, in milliseconds, from autocannon's per-response timings. */
  latencyP50Ms: number
  latencyP99Ms: number
  latencyMaxMs: number
  /** Connection errors (resets, refused) and timeouts. */
  errors: number
  timeouts: number
  /** Responses outside 2xx. */
  non2xx: number
  /** Server CPU time (user + system) per response, in microseconds; NaN without a pid or /proc. */
  serverCpuMicrosPerRequest: number
  /** Server CPU time ÷ wall time: near 1, the server's single thread was the limit; well below, the load generator (or the machine) was. */
  serverCpuUtilization: number
  /** 2xx responses whose body differs from the expected one (when one was given). */
  mismatches: number
  statusCodes: Record<string, number>
}

export interface LoadOptions {
  url: string
  connections: number
  /** Seconds of load; ignored when `amount` is given. */
  durationSeconds?: number
  /** Send exactly this many requests. */
  amount?: number
  /** Exact body every 2xx answer must have; differing answers count as mismatches. */
  expectBody?: string
  /** Called with the running count of responses, about every 250 ms. */
  onProgress?: (responses: number) => void
  /** The server's pid, to measure its CPU time during the run. */
  pid?: number
}

/**
 * Drives one server with autocannon: keep-alive connections, no pipelining, the bench request.
 * Latency percentiles are computed from every response's own timing, with sub-millisecond
 * resolution.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies = new Samples()
  let responses = 0
  const instance = autocannon({
    url: `${options.url}${benchRequest.path}`,
    method: benchRequest.method,
    headers: benchRequest.headers,
    body: benchRequest.body,
    connections: options.connections,
    pipelining: 1,
    timeout: 10,
    ...(options.amount !== undefined ? { amount: options.amount } : { duration: options.durationSeconds ?? 5 }),
    ...(options.expectBody !== undefined ? { expectBody: options.expectBody } : {}),
  })
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    responses++
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime)
  })
  const progress = options.onProgress
    ? setInterval(() => options.onProgress!(responses), 250)
    : undefined
  const started = performance.now()
  const cpuBefore = options.pid === undefined ? undefined : readCpuSeconds(options.pid)
  try {
    const result = await instance
    const seconds = (performance.now() - started) / 1000
    const cpuAfter = options.pid === undefined ? undefined : readCpuSeconds(options.pid)
    const cpuSeconds = cpuBefore === undefined || cpuAfter === undefined ? Number.NaN : cpuAfter - cpuBefore
    const sorted = latencies.sorted()
    const statusCodes: Record<string, number> = {}
    for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = count
    return {
      connections: options.connections,
      seconds,
      requests: responses,
      requestsPerSecond: responses / seconds,
      latencyP50Ms: percentile(sorted, 50),
      latencyP99Ms: percentile(sorted, 99),
      latencyMaxMs: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      serverCpuMicrosPerRequest: (cpuSeconds * 1e6) / responses,
      serverCpuUtilization: cpuSeconds / seconds,
      mismatches: result.mismatches,
      statusCodes,
    }
  } finally {
    if (progress) clearInterval(progress)
  }
}

/** Samples a process's RSS every `intervalMs` while a phase runs. */
export function sampleRss(pid: number, intervalMs: number, label: () => number) {
  const samples: Array<{ atMs: number; responses: number; rssBytes: number }> = []
  const started = performance.now()
  const take = () => {
    const reading = readRss(pid)
    if (reading) samples.push({ atMs: Math.round(performance.now() - started), responses: label(), rssBytes: reading.rss })
  }
  take()
  const timer = setInterval(take, intervalMs)
  return {
    samples,
    stop() {
      clearInterval(timer)
      take()
      return samples
    },
  }
}

/**
 * Runs a bench script's `main`: its result is the exit code, a crash is one line on stderr, and
 * servers it started are killed however it ends (Ctrl-C included).
 */
export async function runScript(name: string, main: () => Promise<number>): Promise<void> {
  // Also when an error escapes `main` (an unhandled 'error' event): no server outlives the bench.
  process.once('exit', killStartedServers)
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killStartedServers()
      process.exit(130)
    })
  }
  try {
    process.exitCode = await main()
  } catch (error) {
    process.stderr.write(`${name} failed: ${(error as Error).message}\n`)
    process.exitCode = 1
  } finally {
    killStartedServers()
  }
}
