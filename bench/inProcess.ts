/**
 * The in-process path, run by bench/run.ts in a child process of its own (so its heap and JIT
 * state do not mix with the load generator's): `fetch` calls answered by msw's `setupServer`,
 * one at a time in a tight loop for a fixed time, first with a one-line msw handler that returns
 * the documented JSON (msw's own floor), then with `createGetRazeMock().handlers`.
 *
 * Usage: node --import tsx bench/inProcess.ts --duration 5 --warmup 1 --fixtures FILE
 * Prints one JSON line: { baseline: InProcessResult, mock: InProcessResult }.
 */
import { parseArgs } from 'node:util'
import { http, HttpResponse } from 'msw'
import type { RequestHandler } from 'msw'
import { setupServer } from 'msw/node'
import { createGetRazeMock } from '../src/handlers/createGetRazeMock.js'
import { benchRequest, documentedBody, documentedResponse, frozenNow } from './request.js'

/** One in-process measurement. */
export interface InProcessResult {
  requests: number
  seconds: number
  requestsPerSecond: number
  /** Mean wall time per request, in microseconds. */
  microsecondsPerRequest: number
  latencyP50Us: number
  latencyP99Us: number
  non2xx: number
  mismatches: number
  errors: number
  /** RSS of the in-process child at the end, in bytes. */
  rssBytes: number
}

const origin = 'https://app.getraze.com'

async function measure(handlers: RequestHandler[], durationSeconds: number, warmupSeconds: number): Promise<InProcessResult> {
  const server = setupServer(...handlers)
  server.listen({ onUnhandledRequest: 'error' })
  const init = { method: benchRequest.method, headers: benchRequest.headers, body: benchRequest.body }
  const url = `${origin}${benchRequest.path}`
  try {
    const warmupEnd = performance.now() + warmupSeconds * 1000
    while (performance.now() < warmupEnd) await (await fetch(url, init)).text()

    const latencies: number[] = []
    let non2xx = 0
    let mismatches = 0
    let errors = 0
    const started = performance.now()
    const end = started + durationSeconds * 1000
    let now = started
    while (now < end) {
      try {
        const response = await fetch(url, init)
        const text = await response.text()
        if (response.status < 200 || response.status > 299) non2xx++
        else if (text !== documentedBody) mismatches++
      } catch {
        errors++
      }
      const after = performance.now()
      latencies.push((after - now) * 1000)
      now = after
    }
    const seconds = (now - started) / 1000
    latencies.sort((a, b) => a - b)
    const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.max(0, Math.ceil((p / 100) * latencies.length) - 1))] ?? Number.NaN
    return {
      requests: latencies.length,
      seconds,
      requestsPerSecond: latencies.length / seconds,
      microsecondsPerRequest: (seconds * 1e6) / latencies.length,
      latencyP50Us: at(50),
      latencyP99Us: at(99),
      non2xx,
      mismatches,
      errors,
      rssBytes: process.memoryUsage.rss(),
    }
  } finally {
    server.close()
  }
}

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    fixtures: { type: 'string' },
  },
})
const duration = Number(values.duration)
const warmup = Number(values.warmup)

const baselineHandler = http.patch(`${origin}/external/v1/opportunities/:id/stage`, async ({ request }) => {
  const body = (await request.json()) as { status: string }
  return HttpResponse.json({ ...documentedResponse, data: { ...documentedResponse.data, status: body.status } })
})
const baseline = await measure([baselineHandler], duration, warmup)

const mock = createGetRazeMock({ now: frozenNow, ...(values.fixtures ? { fixtures: values.fixtures } : {}) })
await mock.ready
const result = await measure(mock.handlers, duration, warmup)

process.stdout.write(`${JSON.stringify({ baseline, mock: result })}\n`)
