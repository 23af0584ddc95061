/**
 * The reset phase of `npm run bench` (issue 15): how long `POST /__admin/reset` takes on a server
 * holding many records, and how long requests wait while it runs. A prober sends the bench
 * request one at a time for the whole phase, so a reset that blocks the event loop shows as one
 * long request; `reset` is sent once the prober is running.
 */
import { request as httpRequest } from 'node:http'
import { readRss, sendBenchRequest, startServer } from './measure.js'
import type { ServerSpec } from './measure.js'

/** What one reset measurement found. */
export interface ResetResult {
  /** Opportunities the server held. */
  records: number
  startupMs: number
  /** The status of `POST /__admin/reset` (204 when it worked). */
  resetStatus: number
  /** From sending `POST /__admin/reset` to its answer. */
  resetMs: number
  /** The longest any probe request waited whose time overlapped the reset (the stall). */
  longestProbeDuringResetMs: number
  /** The longest probe before the reset, for comparison. */
  longestProbeBeforeMs: number
  /** Probes answered while the reset ran, and after it in the following second. */
  probesDuringReset: number
  probesAfterReset: number
  /** Probes that failed (not 2xx, or no answer). */
  failedProbes: number
  /** The server's RSS just before the reset and one second after it answered. */
  rssBeforeBytes: number
  rssAfterBytes: number
  /** Its peak RSS (VmHWM) at the end. */
  peakRssBytes: number
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function postReset(port: number, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/__admin/reset', agent: false, timeout: timeoutMs }, (response) => {
      response.resume()
      response.on('end', () => resolve(response.statusCode ?? 0))
    })
    request.on('timeout', () => request.destroy(new Error(`no answer to POST /__admin/reset within ${timeoutMs} ms`)))
    request.on('error', reject)
    request.end()
  })
}

/**
 * Starts the server `spec` describes (holding `records` opportunities), probes it for a second,
 * resets it through the admin API while probing, and probes a second more.
 *
 * @example
 * const result = await measureReset(mockSpec('mock-reset', 'reset', file), 1_000_000)
 */
export async function measureReset(spec: ServerSpec, records: number, resetTimeoutMs = 300_000): Promise<ResetResult> {
  const server = await startServer({ ...spec, startTimeoutMs: spec.startTimeoutMs ?? 600_000 })
  try {
    type Probe = { start: number; end: number; ok: boolean }
    const probes: Probe[] = []
    let probing = true
    const prober = (async () => {
      while (probing) {
        const start = performance.now()
        let ok = false
        try {
          const answer = await sendBenchRequest(server.port, resetTimeoutMs)
          ok = answer.status >= 200 && answer.status < 300
        } catch {
          ok = false
        }
        probes.push({ start, end: performance.now(), ok })
        // A short pause keeps the prober from loading the server; a stall still shows whole.
        await sleep(5)
      }
    })()

    await sleep(1000)
    const rssBeforeBytes = readRss(server.pid)?.rss ?? Number.NaN
    const resetStart = performance.now()
    const resetStatus = await postReset(server.port, resetTimeoutMs)
    const resetEnd = performance.now()
    await sleep(1000)
    const rssAfterBytes = readRss(server.pid)?.rss ?? Number.NaN
    probing = false
    await prober

    const longest = (list: Probe[]) => list.reduce((max, probe) => Math.max(max, probe.end - probe.start), 0)
    const overlapping = probes.filter((probe) => probe.end >= resetStart && probe.start <= resetEnd)
    return {
      records,
      startupMs: server.startupMs,
      resetStatus,
      resetMs: resetEnd - resetStart,
      longestProbeDuringResetMs: longest(overlapping),
      longestProbeBeforeMs: longest(probes.filter((probe) => probe.end < resetStart)),
      probesDuringReset: overlapping.length,
      probesAfterReset: probes.filter((probe) => probe.start > resetEnd).length,
      failedProbes: probes.filter((probe) => !probe.ok).length,
      rssBeforeBytes,
      rssAfterBytes,
      peakRssBytes: readRss(server.pid)?.peak ?? Number.NaN,
    }
  } finally {
    await server.stop()
  }
}

/**
 * One line for the console.
 *
 * @example
 * formatReset(result) // 'Reset at 1,000,000 opportunities: 204 in 3 ms; ...'
 */
export function formatReset(result: ResetResult): string {
  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0)
  return (
    `Reset at ${result.records.toLocaleString('en-US')} opportunities: ${result.resetStatus} in ${result.resetMs.toFixed(0)} ms; ` +
    `longest request during it ${result.longestProbeDuringResetMs.toFixed(1)} ms (before it ${result.longestProbeBeforeMs.toFixed(1)} ms), ` +
    `${result.probesDuringReset} answered during it, ${result.probesAfterReset} in the second after, ${result.failedProbes} failed; ` +
    `RSS ${mb(result.rssBeforeBytes)} MB before, ${mb(result.rssAfterBytes)} MB after, peak ${mb(result.peakRssBytes)} MB; start-up ${(result.startupMs / 1000).toFixed(1)} s`
  )
}
