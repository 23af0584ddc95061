/**
 * The writes of issue 17 in process, without HTTP: `core.handle` of a mock runtime, CPU per
 * request (this process's user + system time) of each write against the stage update, in
 * interleaved bursts by request kind as the HTTP part does (bench/endpoints.ts). Run by
 * bench/run.ts in a child process of its own, so its heap and JIT state are its own.
 *
 * Two runtimes side by side, on the same fixtures:
 * - **unfilled**: the `@msw/data` collections never read, as `getraze-mock serve` runs (requests
 *   are answered from the store's indexes; a create only adds to them);
 * - **filled**: after `await runtime.ready`, as `createGetRazeMock()` runs once a test awaited
 *   `ready` or read a collection. Every create then also stores a copy in the collection
 *   (`Collection.create`), and every delete removes it there.
 *
 * After each burst the script waits for a macrotask, so the work a request leaves to microtasks
 * (a filled collection's create settles a few microtasks later) is charged to its burst.
 *
 * Usage: node --import tsx bench/inProcessEndpoints.ts --fixtures FILE --burst 2000 --cycles 10
 * Prints one JSON line: InProcessEndpointsResult.
 */
import { parseArgs } from 'node:util'
import { createMockRuntime } from '../src/runtime/createMockRuntime.js'
import type { MockRuntime } from '../src/runtime/createMockRuntime.js'
import type { MockRequest } from '../src/core/MockRequest.js'
import { createContactContract } from '../src/contract/createContactContract.js'
import { createOpportunityContract } from '../src/contract/createOpportunityContract.js'
import { updateContactContract } from '../src/contract/updateContactContract.js'
import { updateOpportunityContract } from '../src/contract/updateOpportunityContract.js'
import { median } from './measure.js'
import { writeKinds, writeLabels, writeOrder } from './endpoints.js'
import type { CycleSeries, WriteKind } from './endpoints.js'
import { benchApiKey, benchRequest, documentedBody, frozenNow } from './request.js'

/**
 * One kind in one runtime over the cycles: this process's CPU per request, its ratio to the stage
 * update's in the same runtime and cycle, and the answers with another status than the endpoint's
 * success (or, for the stage update, another body).
 */
export interface InProcessKind extends CycleSeries {
  kind: WriteKind
}

/** What the script prints. */
export interface InProcessEndpointsResult {
  burst: number
  cycles: number
  unfilled: InProcessKind[]
  filled: InProcessKind[]
  /** Opportunities in the filled collection at the end: the creates and deletes kept it the size it started at. */
  filledOpportunities: number
}

const apiPath = '/external/v1'
const headers: Record<string, string> = { 'x-api-key': benchApiKey, 'content-type': 'application/json' }
const header = (name: string) => headers[name] ?? null

function request(method: string, path: string, body?: string): MockRequest {
  return { method, path, query: '', header, body, headers }
}

type Resource = 'opportunities' | 'contacts'
const createExamples: Record<Resource, Record<string, unknown>> = {
  opportunities: createOpportunityContract.example.body,
  contacts: createContactContract.example.body,
}
const updateBodies: Record<Resource, string> = {
  opportunities: JSON.stringify(updateOpportunityContract.example.body),
  contacts: JSON.stringify(updateContactContract.example.body),
}
const stage = request(benchRequest.method, benchRequest.path, benchRequest.body)

const nextMacrotask = () => new Promise<void>((resolve) => setImmediate(resolve))

/** One burst of `kind` on `runtime`: its CPU µs per request and its wrong answers. */
async function burst(runtime: MockRuntime, kind: WriteKind, count: number, ids: Record<Resource, string[]>, serial: { next: number }) {
  const cpu = process.cpuUsage()
  let wrong = 0
  let requests = 0
  if (kind === 'stage') {
    for (let index = 0; index < count; index++) {
      const answer = runtime.core.handle(stage)
      if (answer.status !== 200 || answer.text !== documentedBody) wrong++
    }
    requests = count
  } else {
    const [resource, action] = kind.split('-') as ['opportunity' | 'contact', 'create' | 'update' | 'delete']
    const collection: Resource = resource === 'contact' ? 'contacts' : 'opportunities'
    if (action === 'create') {
      ids[collection] = []
      for (let index = 0; index < count; index++) {
        const n = serial.next++
        const body = JSON.stringify({ ...createExamples[collection], name: `Bench ${n}`, email: `bench.${n}@company.example` })
        const answer = runtime.core.handle(request('POST', `${apiPath}/${collection}`, body))
        const id = (answer.body as { data?: { id?: string } }).data?.id
        if (answer.status === 201 && id) ids[collection].push(id)
        else wrong++
      }
      requests = count
    } else {
      for (const id of ids[collection]) {
        const answer = runtime.core.handle(
          action === 'update' ? request('PUT', `${apiPath}/${collection}/${id}`, updateBodies[collection]) : request('DELETE', `${apiPath}/${collection}/${id}`),
        )
        if (answer.status !== 200) wrong++
      }
      requests = ids[collection].length
    }
  }
  await nextMacrotask()
  const used = process.cpuUsage(cpu)
  return { micros: (used.user + used.system) / requests, wrong }
}

const { values } = parseArgs({
  options: {
    fixtures: { type: 'string' },
    burst: { type: 'string', default: '2000' },
    cycles: { type: 'string', default: '10' },
  },
})
const count = Number(values.burst)
const cycles = Number(values.cycles)
const fixtures = values.fixtures ?? 'default'

const runtimes = {
  unfilled: createMockRuntime({ fixtures, now: frozenNow }),
  filled: createMockRuntime({ fixtures, now: frozenNow }),
}
await runtimes.filled.ready

const series = {
  unfilled: new Map(writeKinds.map((kind) => [kind, { perCycle: [] as number[], wrong: 0 }])),
  filled: new Map(writeKinds.map((kind) => [kind, { perCycle: [] as number[], wrong: 0 }])),
}
const serial = { next: 0 }
for (let cycle = -1; cycle < cycles; cycle++) {
  // The runtimes take turns to go first; cycle -1 warms both up and is not recorded.
  const names = cycle % 2 === 0 ? (['unfilled', 'filled'] as const) : (['filled', 'unfilled'] as const)
  for (const name of names) {
    const ids: Record<Resource, string[]> = { opportunities: [], contacts: [] }
    for (const kind of writeOrder(Math.max(cycle, 0))) {
      const measured = await burst(runtimes[name], kind, count, ids, serial)
      const entry = series[name].get(kind)!
      entry.wrong += measured.wrong
      if (cycle >= 0) entry.perCycle.push(measured.micros)
    }
  }
}

const summarise = (name: 'unfilled' | 'filled'): InProcessKind[] => {
  const stageCycles = series[name].get('stage')!.perCycle
  return writeKinds.map((kind) => {
    const { perCycle, wrong } = series[name].get(kind)!
    const perCycleRatio = perCycle.map((value, cycle) => value / stageCycles[cycle]!)
    return { kind, label: writeLabels[kind], perCycle, median: median(perCycle), perCycleRatio, ratio: median(perCycleRatio), wrong }
  })
}
const result: InProcessEndpointsResult = {
  burst: count,
  cycles,
  unfilled: summarise('unfilled'),
  filled: summarise('filled'),
  filledOpportunities: runtimes.filled.store.opportunities.count(),
}
process.stdout.write(`${JSON.stringify(result)}\n`)
