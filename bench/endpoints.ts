/**
 * Issue 17's phase of `npm run bench` ("Speed and scale"): the documented endpoints other than
 * the stage update, measured as server CPU per request in interleaved bursts (bench/interleaved.ts).
 *
 * - **Writes**: one default-fixtures server; each cycle sends a burst of each write (create, then
 *   update and delete of the records that create made, so the store keeps its size) and a burst of
 *   the stage update, in a rotating order. Each write's CPU per request is divided by the stage
 *   update's of the same cycle; the median of those ratios is judged (at most 1.5x).
 * - **Lists**: servers holding generated stores of each size, up at once; each cycle sends a burst
 *   of each list request to each server. A request's CPU per request at a size is divided by the
 *   same request's at the smallest size in the same cycle; the first page of `status=qualified`
 *   is judged (1,000,000 within 2x of 1,000). Requests that scan the account (search, a sort by
 *   name) send few requests per burst, sized from a probe so that a burst stays within a time budget.
 */
import type { Socket } from 'node:net'
import { createContactContract } from '../src/contract/createContactContract.js'
import { createOpportunityContract } from '../src/contract/createOpportunityContract.js'
import { deleteContactContract } from '../src/contract/deleteContactContract.js'
import { deleteOpportunityContract } from '../src/contract/deleteOpportunityContract.js'
import { updateContactContract } from '../src/contract/updateContactContract.js'
import { updateOpportunityContract } from '../src/contract/updateOpportunityContract.js'
import { openConnection, requestBytes, sendBurst } from './interleaved.js'
import type { BurstPlan } from './interleaved.js'
import { median, readCpuSecondsFine, readRss, startServer } from './measure.js'
import type { RunningServer, ServerSpec } from './measure.js'
import { benchApiKey, benchRequest, documentedBody } from './request.js'
import type { BodyCheck } from './suite.js'

/** Issue 17's targets: a write's CPU per request against the stage update's, a first page's at the largest size against the smallest. */
export const endpointTargets = { writesMost: 1.5, firstPageMost: 2 } as const

const apiPath = '/external/v1'
const jsonHeaders = { 'x-api-key': benchApiKey, 'content-type': 'application/json' }
const readHeaders = { 'x-api-key': benchApiKey }

// ---------------------------------------------------------------------------------------------
// One measured burst

/** What one burst cost the server. */
export interface BurstMeasure {
  /** Server CPU time per answered request, in microseconds. */
  cpuMicrosPerRequest: number
  /** Wall time of the burst, in milliseconds. */
  wallMs: number
  requests: number
  /** Answers the plan's check refused. */
  wrong: number
}

/**
 * Sends one burst over fresh keep-alive connections (closed afterwards, so no idle connection
 * meets the server's headers or keep-alive timeout between bursts) and reads the server's CPU
 * time before and after it (`readCpuSecondsFine`: bursts of a few slow requests are timed too).
 * The connections are open before the first CPU reading.
 */
export async function measureBurst(server: RunningServer, connections: number, plan: BurstPlan): Promise<BurstMeasure> {
  const sockets: Socket[] = await Promise.all(Array.from({ length: Math.max(1, Math.min(connections, plan.count)) }, () => openConnection(server.port)))
  try {
    const before = readCpuSecondsFine(server.pid) ?? Number.NaN
    const started = performance.now()
    const wrong = await sendBurst(sockets, server.port, plan)
    const wallMs = performance.now() - started
    const after = readCpuSecondsFine(server.pid) ?? Number.NaN
    return { cpuMicrosPerRequest: plan.count === 0 ? Number.NaN : ((after - before) * 1e6) / plan.count, wallMs, requests: plan.count, wrong }
  } finally {
    for (const socket of sockets) socket.destroy()
  }
}

/** The parts of an answer the checks read. */
interface Answer {
  success?: unknown
  data?: { id?: unknown; name?: unknown; opportunities?: unknown; pagination?: { page?: unknown; limit?: unknown; total?: number } }
}

/** An answer's JSON, or undefined when it is not JSON. */
function parse(body: string): Answer | undefined {
  try {
    return JSON.parse(body) as Answer
  } catch {
    return undefined
  }
}

// ---------------------------------------------------------------------------------------------
// Writes against the stage update

/** A request kind of the writes part. */
export type WriteKind = 'stage' | 'opportunity-create' | 'opportunity-update' | 'opportunity-delete' | 'contact-create' | 'contact-update' | 'contact-delete'

export const writeKinds: readonly WriteKind[] = ['stage', 'opportunity-create', 'opportunity-update', 'opportunity-delete', 'contact-create', 'contact-update', 'contact-delete']

/** What a table row calls each kind. */
export const writeLabels: Record<WriteKind, string> = {
  stage: `PATCH ${apiPath}/opportunities/:id/stage`,
  'opportunity-create': `POST ${apiPath}/opportunities`,
  'opportunity-update': `PUT ${apiPath}/opportunities/:id`,
  'opportunity-delete': `DELETE ${apiPath}/opportunities/:id`,
  'contact-create': `POST ${apiPath}/contacts`,
  'contact-update': `PUT ${apiPath}/contacts/:id`,
  'contact-delete': `DELETE ${apiPath}/contacts/:id`,
}

/** One request kind's CPU per request over the cycles, and its ratio to a reference kind's. */
export interface CycleSeries {
  kind: string
  label: string
  /** CPU µs per request, per cycle. */
  perCycle: number[]
  median: number
  /** Per cycle, this kind's CPU per request ÷ the reference's in the same cycle. */
  perCycleRatio: number[]
  /** Median of `perCycleRatio`. */
  ratio: number
  /** Answers the checks refused. */
  wrong: number
}

/** One request kind over the cycles of a server. */
export interface KindSeries extends CycleSeries {
  /** Requests per burst. */
  burst: number
  /** Requests answered per second of burst wall time (median over cycles). */
  requestsPerSecond: number
}

/** The writes part's result. */
export interface WritesResult {
  connections: number
  cycles: number
  burst: number
  /** One series per kind; the ratios are to `stage`. */
  kinds: KindSeries[]
  failures: string[]
}

type Resource = 'opportunities' | 'contacts'

/** A create body that no other request of the run sends: contacts need a unique e-mail address (else 409 ALREADY_EXISTS). */
function createBody(resource: Resource, serial: number): { name: string; body: string } {
  const name = `Bench ${resource === 'contacts' ? 'Contact' : 'Lead'} ${serial}`
  const example = resource === 'contacts' ? createContactContract.example.body : createOpportunityContract.example.body
  return { name, body: JSON.stringify({ ...example, name, email: `bench.${serial}@company.example` }) }
}

const updateBodies: Record<Resource, string> = {
  opportunities: JSON.stringify(updateOpportunityContract.example.body),
  contacts: JSON.stringify(updateContactContract.example.body),
}
const deletedBodies: Record<Resource, string> = {
  opportunities: JSON.stringify(deleteOpportunityContract.example.response),
  contacts: JSON.stringify(deleteContactContract.example.response),
}
const idPrefixes: Record<Resource, string> = { opportunities: 'opp_', contacts: 'cnt_' }

/** Creates of one resource; each answer's id goes into `ids` (at the request's index). */
function createPlan(resource: Resource, count: number, firstSerial: number, ids: Array<string | undefined>): BurstPlan {
  return {
    count,
    request: (index) => requestBytes({ method: 'POST', path: `${apiPath}/${resource}`, headers: jsonHeaders, body: createBody(resource, firstSerial + index).body }),
    check: (index, status, body) => {
      const data = parse(body)?.data
      const id = data?.id
      const ok = status === 201 && typeof id === 'string' && id.startsWith(idPrefixes[resource]) && data?.name === createBody(resource, firstSerial + index).name
      if (ok) ids[index] = id
      return ok
    },
  }
}

/** Updates (or deletes) of the records `ids` names, one request each. */
function idPlan(resource: Resource, method: 'PUT' | 'DELETE', ids: readonly string[]): BurstPlan {
  const bytes = ids.map((id) =>
    requestBytes(method === 'PUT' ? { method, path: `${apiPath}/${resource}/${id}`, headers: jsonHeaders, body: updateBodies[resource] } : { method, path: `${apiPath}/${resource}/${id}`, headers: readHeaders }),
  )
  return {
    count: ids.length,
    request: (index) => bytes[index]!,
    check: (index, status, body) => (method === 'PUT' ? status === 200 && parse(body)?.data?.id === ids[index] : status === 200 && body === deletedBodies[resource]),
  }
}

const stageBytes = requestBytes(benchRequest)

/**
 * The order of a cycle's bursts: each resource's create, update and delete in that order (the
 * later ones need the ids the create answered), the resources taking turns to go first, and the
 * stage update at a position that moves one step each cycle.
 */
export function writeOrder(cycle: number): WriteKind[] {
  const opportunities: WriteKind[] = ['opportunity-create', 'opportunity-update', 'opportunity-delete']
  const contacts: WriteKind[] = ['contact-create', 'contact-update', 'contact-delete']
  const order = cycle % 2 === 0 ? [...opportunities, ...contacts] : [...contacts, ...opportunities]
  order.splice(cycle % (order.length + 1), 0, 'stage')
  return order
}

/** Options of `measureWrites`. */
export interface WritesOptions {
  connections: number
  burst: number
  cycles: number
  log: (line: string) => void
}

/**
 * Starts the server `spec` describes (the default fixtures, the bench key's raised rate limit, the
 * frozen clock) and measures each write's server CPU per request against the stage update's, in
 * interleaved bursts by request kind (see the top of this file). The first cycle is a warm-up.
 *
 * @example
 * const writes = await measureWrites(mockSpec('mock-writes', 'writes', files.defaults), { connections: 10, burst: 3000, cycles: 12, log })
 */
export async function measureWrites(spec: ServerSpec, options: WritesOptions): Promise<WritesResult> {
  const failures: string[] = []
  const series = new Map(writeKinds.map((kind) => [kind, { perCycle: [] as number[], perSecond: [] as number[], wrong: 0 }]))
  const result: WritesResult = { connections: options.connections, cycles: options.cycles, burst: options.burst, kinds: [], failures }
  let server: RunningServer | undefined
  try {
    server = await startServer(spec)
    if (server.firstResponse.status !== 200 || server.firstResponse.body !== documentedBody) {
      failures.push(`${spec.label}: first answer ${server.firstResponse.status} ${server.firstResponse.body.slice(0, 300)}`)
      return result
    }
    let serial = 0
    for (let cycle = -1; cycle < options.cycles; cycle++) {
      const ids: Record<Resource, Array<string | undefined>> = { opportunities: [], contacts: [] }
      for (const kind of writeOrder(Math.max(cycle, 0))) {
        const [resource, action] = kind === 'stage' ? [undefined, undefined] : (kind.split('-') as ['opportunity' | 'contact', string])
        const collection: Resource = resource === 'contact' ? 'contacts' : 'opportunities'
        const made = ids[collection].filter((id): id is string => id !== undefined)
        const plan: BurstPlan =
          kind === 'stage'
            ? { count: options.burst, request: () => stageBytes, check: (_index, status, body) => status === 200 && body === documentedBody }
            : action === 'create'
              ? createPlan(collection, options.burst, serial, ids[collection])
              : idPlan(collection, action === 'update' ? 'PUT' : 'DELETE', made)
        if (action === 'create') serial += options.burst
        const measured = await measureBurst(server, options.connections, plan)
        const entry = series.get(kind)!
        entry.wrong += measured.wrong
        // Cycle -1 warms the server up (JIT, the store's first copies) and is not recorded.
        if (cycle >= 0) {
          entry.perCycle.push(measured.cpuMicrosPerRequest)
          entry.perSecond.push((measured.requests / measured.wallMs) * 1000)
        }
      }
      if (cycle >= 0 && (cycle + 1) % Math.max(1, Math.floor(options.cycles / 4)) === 0) {
        options.log(`  writes: cycle ${cycle + 1} of ${options.cycles}`)
      }
    }
  } catch (error) {
    failures.push(`writes: ${(error as Error).message}`)
  } finally {
    await server?.stop()
  }
  const stage = series.get('stage')!.perCycle
  result.kinds = writeKinds.map((kind) => {
    const { perCycle, perSecond, wrong } = series.get(kind)!
    const perCycleRatio = perCycle.map((value, cycle) => value / stage[cycle]!)
    return { kind, label: writeLabels[kind], perCycle, median: median(perCycle), perCycleRatio, ratio: median(perCycleRatio), burst: options.burst, requestsPerSecond: median(perSecond), wrong }
  })
  return result
}

// ---------------------------------------------------------------------------------------------
// Lists by store size

/** A list request of the lists part. */
export interface ListKind {
  id: string
  label: string
  /** Path and query. */
  path: string
  /** Whether it reads (and sorts or scans) every record of the account: few requests per burst. */
  scans: boolean
  /** A problem with one answer, or undefined when it is a sane first page. */
  check(status: number, body: string): string | undefined
}

/** Text that exactly one generated record's e-mail address holds (index 4242), at every size above 4,242. */
export const searchFewText = 'lead4242@company254.example'
/** Text that about one generated record in nine holds: companies `Company 1`, `Company 1x`, `Company 1xx`. */
export const searchManyText = 'company 1'

interface PageItem {
  id: string
  name: string
  email: string | null
  company: string | null
  status: string
  created_at: string
}

/** Checks that an answer is a first page (200, at most 20 items, pagination) and each item holds for `item`. */
function firstPage(status: number, body: string, item: (record: PageItem, index: number, items: PageItem[]) => string | undefined): string | undefined {
  if (status !== 200) return `status ${status}`
  const answer = parse(body)
  const items = answer?.data?.opportunities as PageItem[] | undefined
  const pagination = answer?.data?.pagination
  if (answer?.success !== true || !Array.isArray(items)) return 'not a list answer'
  if (items.length > 20 || pagination?.page !== 1 || pagination?.limit !== 20) return `${items.length} items, pagination ${JSON.stringify(pagination)}`
  const total = pagination.total ?? Number.NaN
  if (!(total >= items.length) || (total >= 20 && items.length !== 20)) return `${items.length} items of ${total}`
  for (const [index, record] of items.entries()) {
    const problem = item(record, index, items)
    if (problem) return `item ${index} (${record.id}): ${problem}`
  }
  return undefined
}

const newestFirst = (record: PageItem, index: number, items: PageItem[]) => (index > 0 && items[index - 1]!.created_at < record.created_at ? 'not newest first' : undefined)
const holds = (text: string) => (record: PageItem) =>
  [record.name, record.email, record.company].some((value) => (value ?? '').toLowerCase().includes(text.toLowerCase())) ? undefined : `holds no "${text}"`

/** The list requests measured at each size: the judged first page, then the reported ones. */
export const listKinds: readonly ListKind[] = [
  {
    id: 'qualified',
    label: 'GET /opportunities?status=qualified',
    path: `${apiPath}/opportunities?status=qualified`,
    scans: false,
    check: (status, body) => firstPage(status, body, (record, index, items) => (record.status !== 'qualified' ? `status ${record.status}` : newestFirst(record, index, items))),
  },
  {
    id: 'all',
    label: 'GET /opportunities',
    path: `${apiPath}/opportunities`,
    scans: false,
    check: (status, body) => firstPage(status, body, newestFirst),
  },
  {
    id: 'sort-name',
    label: 'GET /opportunities?sort_by=name',
    path: `${apiPath}/opportunities?sort_by=name`,
    scans: true,
    check: (status, body) =>
      firstPage(status, body, (record, index, items) =>
        index > 0 && items[index - 1]!.name.localeCompare(record.name, 'en', { sensitivity: 'base' }) < 0 ? 'not by name, descending' : undefined,
      ),
  },
  {
    id: 'search-few',
    label: `GET /opportunities?search=${searchFewText}`,
    path: `${apiPath}/opportunities?search=${encodeURIComponent(searchFewText)}`,
    scans: true,
    check: (status, body) => firstPage(status, body, holds(searchFewText)),
  },
  {
    id: 'search-many',
    label: `GET /opportunities?search=${searchManyText}`,
    path: `${apiPath}/opportunities?search=${encodeURIComponent(searchManyText)}`,
    scans: true,
    check: (status, body) => firstPage(status, body, holds(searchManyText)),
  },
]

/** One list request at one size. */
export interface ListSeries extends KindSeries {
  /** The server group (e.g. `getraze-mock`, `json-server`): ratios are to the group's smallest size. */
  group: string
  /** The server's id (its spec's). */
  server: string
  size: number
  /** Server CPU time per request of the probe the burst size came from (wall time when measured once), in milliseconds. */
  probeMs: number
  /**
   * Set when one request took longer than a whole burst should: it was measured once, before
   * the cycles, and not in them (`perCycle` holds that one figure; `ratio` divides it by the
   * median of the smallest size).
   */
  single?: boolean
  /** The first wrong answer, if any. */
  problem?: string
}

/** The lists part's result. */
export interface ListsResult {
  connections: number
  cycles: number
  sizes: number[]
  /** Series per server and kind; ratios are to the same kind of the same group at its smallest size. */
  series: ListSeries[]
  failures: string[]
  /** Start-up time of each server, by its id, in milliseconds. */
  startupMs: Record<string, number>
  /** Peak RSS (VmHWM) of each server when it stopped, by its id, in bytes. */
  peakRssBytes: Record<string, number>
}

/** One server of the lists part: a store of `size` records, and the list requests it is sent. */
export interface ListServer {
  /** Servers of one group are compared with each other by size. */
  group: string
  size: number
  spec: ServerSpec
  /** What its first answer (to the stage update `startServer` sends) must pass. */
  expect: BodyCheck
  /** Its list requests; the first is also sent once, unmeasured, before any is probed. */
  kinds: readonly ListKind[]
}

/**
 * A getraze-mock server of the lists part: `spec` holds `size` generated opportunities.
 *
 * @example
 * measureLists([mockListServer(1000, spec)], options)
 */
export function mockListServer(size: number, spec: ServerSpec): ListServer {
  return { group: 'getraze-mock', size, spec, expect: { exact: documentedBody }, kinds: listKinds }
}

/** Options of `measureLists`. */
export interface ListsOptions {
  connections: number
  /** Requests per burst of a first page. */
  burst: number
  /** Most requests per burst of a scanning request. */
  scanBurst: number
  /** Longest a burst should take, in milliseconds: a slower request gets fewer per burst (at least one). */
  budgetMs: number
  /** Longest one request may take before the phase gives up on it, in milliseconds. */
  timeoutMs: number
  cycles: number
  log: (line: string) => void
}

/** A burst of `count` of one list request, each answer checked; the first problem is kept in `problems`. */
function listPlan(kind: ListKind, count: number, problems: string[], timeoutMs?: number): BurstPlan {
  const bytes = requestBytes({ method: 'GET', path: kind.path, headers: readHeaders })
  return {
    count,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    request: () => bytes,
    check: (_index, status, body) => {
      const problem = kind.check(status, body)
      if (problem && problems.length === 0) problems.push(problem)
      return problem === undefined
    },
  }
}

/**
 * Starts one server per `servers` entry (a generated store of that size), all up at once, and
 * measures each list request's server CPU per request on each, in interleaved bursts (see the
 * top of this file). Before the cycles, each server answers one unmeasured list request (the
 * first builds the account's order), then each request is sent once and probed to size its burst
 * within `budgetMs`; one that alone takes longer than that is measured that once only (`single`).
 *
 * @example
 * const lists = await measureLists([{ size: 1000, spec }, { size: 1_000_000, spec: big }], { connections: 10, burst: 3000, scanBurst: 20, budgetMs: 2000, cycles: 12, log })
 */
export async function measureLists(servers: readonly ListServer[], options: ListsOptions): Promise<ListsResult> {
  const failures: string[] = []
  const result: ListsResult = {
    connections: options.connections,
    cycles: options.cycles,
    sizes: [...new Set(servers.map((s) => s.size))].sort((a, b) => a - b),
    series: [],
    failures,
    startupMs: {},
    peakRssBytes: {},
  }
  const running: Array<{ list: ListServer; server: RunningServer }> = []
  try {
    for (const list of servers) {
      const { spec, expect } = list
      try {
        const server = await startServer(spec)
        running.push({ list, server })
        result.startupMs[spec.id] = server.startupMs
        const { status, body } = server.firstResponse
        const problem =
          expect.exact !== undefined ? (status < 200 || status > 299 || body !== expect.exact ? `answered ${status} ${body.slice(0, 300)}` : undefined) : expect.check?.(status, body)
        if (problem) failures.push(`${spec.label}: first answer ${problem}`)
        options.log(`  ${spec.label} up in ${(server.startupMs / 1000).toFixed(1)} s`)
      } catch (error) {
        failures.push((error as Error).message.split('\n')[0]!)
      }
    }
    if (failures.length > 0) return result

    type Entry = {
      list: ListServer
      size: number
      server: RunningServer
      kind: ListKind
      burst: number
      probeMs: number
      single: boolean
      perCycle: number[]
      perSecond: number[]
      wrong: number
      problems: string[]
    }
    const entries: Entry[] = []
    for (const { list, server } of running) {
      const size = list.size
      // getraze-mock's first list query builds the account's order (once per server): not a request's cost.
      const warm: string[] = []
      await measureBurst(server, 1, listPlan(list.kinds[0]!, 1, warm, options.timeoutMs))
      for (const kind of list.kinds) {
        const problems: string[] = []
        const first = await measureBurst(server, 1, listPlan(kind, 1, problems, options.timeoutMs))
        if (first.wallMs > options.budgetMs) {
          options.log(`  ${list.spec.label}: ${kind.label}: ${(first.wallMs / 1000).toFixed(1)} s for one request, measured once`)
          entries.push({ list, size, server, kind, burst: 1, probeMs: first.wallMs, single: true, perCycle: [first.cpuMicrosPerRequest], perSecond: [1000 / first.wallMs], wrong: first.wrong, problems })
          continue
        }
        // Enough requests that a cheap one's probe is past its first, unoptimised runs.
        const probeCount = first.wallMs > options.budgetMs / 4 ? 1 : first.wallMs > options.budgetMs / 100 ? 3 : 50
        const probe = await measureBurst(server, 1, listPlan(kind, probeCount, problems))
        let wrong = first.wrong + probe.wrong
        // The server's CPU per request, not the probe's wall time: one connection's round trips would
        // shrink the burst of a cheap request, and a burst of several connections takes about its CPU time.
        const probeMs = probe.cpuMicrosPerRequest / 1000
        const most = kind.scans ? options.scanBurst : options.burst
        const burst = Math.max(1, Math.min(most, Math.floor(options.budgetMs / probeMs)))
        // A burst's worth unmeasured, so the measured ones meet optimised code.
        if (burst >= 100) wrong += (await measureBurst(server, options.connections, listPlan(kind, burst, problems))).wrong
        entries.push({ list, size, server, kind, burst, probeMs, single: false, perCycle: [], perSecond: [], wrong, problems })
      }
    }
    const cycled = entries.filter((entry) => !entry.single)
    options.log(
      `  burst sizes: ${entries.map((entry) => `${entry.list.group} ${entry.kind.id}@${entry.size.toLocaleString('en-US')} ${entry.single ? 'once' : entry.burst}`).join(', ')}`,
    )
    for (let cycle = 0; cycle < options.cycles; cycle++) {
      for (let turn = 0; turn < cycled.length; turn++) {
        const entry = cycled[(cycle + turn) % cycled.length]!
        const measured = await measureBurst(entry.server, options.connections, listPlan(entry.kind, entry.burst, entry.problems))
        entry.wrong += measured.wrong
        entry.perCycle.push(measured.cpuMicrosPerRequest)
        entry.perSecond.push((measured.requests / measured.wallMs) * 1000)
      }
      if ((cycle + 1) % Math.max(1, Math.floor(options.cycles / 4)) === 0) options.log(`  lists: cycle ${cycle + 1} of ${options.cycles}`)
    }
    result.series = entries.map((entry) => {
      const group = entries.filter((other) => other.list.group === entry.list.group && other.kind.id === entry.kind.id)
      const smallest = Math.min(...group.map((other) => other.size))
      const reference = group.find((other) => other.size === smallest)!
      // Per cycle when both were in the cycles; a single measure against the reference's median.
      const perCycleRatio = entry.single || reference.single ? [] : entry.perCycle.map((value, cycle) => value / reference.perCycle[cycle]!)
      return {
        group: entry.list.group,
        server: entry.list.spec.id,
        kind: entry.kind.id,
        label: entry.kind.label,
        size: entry.size,
        perCycle: entry.perCycle,
        median: median(entry.perCycle),
        perCycleRatio,
        ratio: perCycleRatio.length > 0 ? median(perCycleRatio) : median(entry.perCycle) / median(reference.perCycle),
        burst: entry.burst,
        probeMs: entry.probeMs,
        ...(entry.single ? { single: true } : {}),
        requestsPerSecond: median(entry.perSecond),
        wrong: entry.wrong,
        ...(entry.problems[0] ? { problem: entry.problems[0] } : {}),
      }
    })
  } catch (error) {
    failures.push(`lists: ${(error as Error).message}`)
  } finally {
    for (const { list, server } of running) {
      result.peakRssBytes[list.spec.id] = readRss(server.pid)?.peak ?? Number.NaN
      await server.stop()
    }
  }
  return result
}

// ---------------------------------------------------------------------------------------------
// Verdicts and tables

/** A verdict line, as bench/run.ts prints them. */
export interface EndpointVerdict {
  id: string
  target: string
  pass: boolean | null
  measured: string
  atTarget: boolean
}

const times = (value: number) => `${value.toFixed(2)}x`

/**
 * Issue 17's verdicts: one per write (create, update, delete; opportunities and contacts, each
 * within 1.5x of the stage update), and the first page of `status=qualified` at the largest list
 * size within 2x of the smallest.
 *
 * @example
 * for (const verdict of judgeEndpoints(writes, lists, { listSizes: [1000, 1_000_000] })) log(verdict.target)
 */
export function judgeEndpoints(writes: WritesResult | undefined, lists: ListsResult | undefined, options: { listSizes: readonly number[] }): EndpointVerdict[] {
  const verdicts: EndpointVerdict[] = []
  for (const action of ['create', 'update', 'delete'] as const) {
    const id = `endpoint-${action}-vs-stage`
    const target = `${action} (opportunities and contacts): server CPU per request <= ${endpointTargets.writesMost}x the stage update's (issue 17)`
    if (!writes) {
      verdicts.push({ id, target, pass: null, measured: 'not run (--no-endpoints)', atTarget: false })
      continue
    }
    const stage = writes.kinds.find((kind) => kind.kind === 'stage')
    const measured = (['opportunity', 'contact'] as const).map((resource) => writes.kinds.find((kind) => kind.kind === `${resource}-${action}`))
    if (!stage || measured.some((kind) => kind === undefined || !Number.isFinite(kind.ratio))) {
      verdicts.push({ id, target, pass: false, measured: `not measured (${writes.failures[0] ?? 'no cycles'})`, atTarget: true })
      continue
    }
    verdicts.push({
      id,
      target,
      pass: measured.every((kind) => kind!.ratio <= endpointTargets.writesMost),
      measured:
        measured
          .map((kind) => `${kind!.kind.startsWith('contact') ? 'contacts' : 'opportunities'} ${times(kind!.ratio)} (${kind!.median.toFixed(1)} µs; per cycle ${kind!.perCycleRatio.map((value) => value.toFixed(2)).join(', ')})`)
          .join('; ') + `; stage ${stage.median.toFixed(1)} µs (interleaved bursts by request kind)`,
      atTarget: true,
    })
  }

  const id = 'list-first-page-by-size'
  const small = Math.min(...options.listSizes)
  const large = Math.max(...options.listSizes)
  const target = `first page of status=qualified at ${large.toLocaleString('en-US')} opportunities: server CPU per request <= ${endpointTargets.firstPageMost}x at ${small.toLocaleString('en-US')} (issue 17)`
  const atTarget = small <= 1000 && large >= 1_000_000
  if (!lists) {
    verdicts.push({ id, target, pass: null, measured: 'not run (--no-endpoints)', atTarget: false })
  } else {
    const qualified = lists.series.filter((entry) => entry.group === 'getraze-mock' && entry.kind === 'qualified')
    const big = qualified.find((entry) => entry.size === large)
    const little = qualified.find((entry) => entry.size === small)
    verdicts.push(
      big && little && Number.isFinite(big.ratio)
        ? {
            id,
            target,
            pass: big.ratio <= endpointTargets.firstPageMost,
            measured: `${times(big.ratio)} (${big.median.toFixed(1)} vs ${little.median.toFixed(1)} µs; per cycle ${big.perCycleRatio.map((value) => value.toFixed(2)).join(', ')})`,
            atTarget,
          }
        : { id, target, pass: false, measured: `not measured (${lists.failures[0] ?? 'no cycles'})`, atTarget },
    )
  }
  return verdicts
}

/** Wrong answers and failures of the phase, for the correctness verdict. */
export function endpointProblems(writes: WritesResult | undefined, lists: ListsResult | undefined): string[] {
  const problems: string[] = []
  if (writes) {
    problems.push(...writes.failures.map((failure) => `endpoints: ${failure.split('\n')[0]}`))
    for (const kind of writes.kinds) if (kind.wrong > 0) problems.push(`endpoints: ${kind.label}: ${kind.wrong} wrong answers`)
  }
  if (lists) {
    problems.push(...lists.failures.map((failure) => `lists: ${failure.split('\n')[0]}`))
    for (const entry of lists.series) {
      if (entry.wrong > 0) problems.push(`lists: ${entry.label} at ${entry.size.toLocaleString('en-US')}: ${entry.wrong} wrong answers (${entry.problem ?? 'see results'})`)
    }
  }
  return problems
}

/** The phase's tables. */
export function formatEndpoints(writes: WritesResult | undefined, lists: ListsResult | undefined): string {
  const lines: string[] = []
  if (writes && writes.kinds.length > 0) {
    lines.push(
      `Writes against the stage update (default fixtures; ${writes.cycles} cycles of ${writes.burst.toLocaleString('en-US')} requests per kind at ${writes.connections} connections; (×stage) is the median of the per-cycle ratios):`,
    )
    for (const kind of writes.kinds) {
      lines.push(
        `  ${kind.label.padEnd(42)} ${kind.median.toFixed(1).padStart(8)} µs/req (${kind.ratio.toFixed(2)})  ${Math.round(kind.requestsPerSecond).toLocaleString('en-US').padStart(7)} req/s${kind.wrong ? `, ${kind.wrong} wrong` : ''}`,
      )
    }
  }
  if (lists && lists.series.length > 0) {
    if (lines.length > 0) lines.push('')
    lines.push(
      `Lists by store size (generated opportunities; ${lists.cycles} cycles at ${lists.connections} connections; (×smallest) is the median of the per-cycle ratios to the same request at the smallest size):`,
    )
    lines.push(`  ${'request'.padEnd(52)} ${'opportunities'.padStart(13)} ${'burst'.padStart(6)} ${'CPU µs/req'.padStart(12)} ${'(×smallest)'.padStart(11)} ${'req/s'.padStart(8)}`)
    const kinds = [...new Set(lists.series.map((series) => `${series.group}\u0000${series.kind}`))]
    for (const kind of kinds) {
      for (const entry of lists.series.filter((series) => `${series.group}\u0000${series.kind}` === kind)) {
        lines.push(
          `  ${entry.label.padEnd(52)} ${entry.size.toLocaleString('en-US').padStart(13)} ${(entry.single ? 'once' : String(entry.burst)).padStart(6)} ${entry.median.toFixed(1).padStart(12)} ${`(${entry.ratio.toFixed(2)})`.padStart(11)} ${Math.round(entry.requestsPerSecond).toLocaleString('en-US').padStart(8)}${entry.wrong ? `  ${entry.wrong} wrong: ${entry.problem}` : ''}`,
        )
      }
    }
  }
  return lines.join('\n')
}
