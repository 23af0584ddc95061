import { formatTimestamp, timestampPattern } from '../contract/formatTimestamp.js'
import type { Difference } from '../consumer/Difference.js'
import { sortDifferences } from '../verify/buildReport.js'
import { checkExchange } from '../verify/checkExchange.js'
import type { Exchange } from '../verify/createExchangeRecorder.js'
import type { CapturedExchange, MirroredExchange } from './createMirror.js'
import { documentedFields } from '../contract/resources.js'
import type { ResourceDefinition } from '../contract/resources.js'
import { createsRecords, isObject, resourceOf, toApiTimestamp } from './recordsInAnswer.js'

function errorOf(body: unknown): { code: string | undefined; message: string | undefined } {
  const error = isObject(body) && isObject(body.error) ? body.error : undefined
  return { code: typeof error?.code === 'string' ? error.code : undefined, message: typeof error?.message === 'string' ? error.message : undefined }
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  return JSON.stringify(a) === JSON.stringify(b)
}

/**
 * A difference the shadow found. `fromMock` marks those whose `expected` is a value the mock
 * answered (a record's field, which may be personal), not a phrase of the docs' checks.
 */
export type ShadowDifference = Difference & { fromMock?: true }

interface Context {
  /** The mock's clock when it answered, as the API writes it: a timestamp it made up. */
  now: string
  /** The mock picked the record's id (a create): the target's own id is no difference. */
  generatedId: boolean
  /** The request's query: how a list was to be sorted. */
  query: string
  /** The kind of record the endpoint answers, to tell the fields the docs know from others. */
  resource: ResourceDefinition | undefined
}

/** One difference for the fields a list item has that the docs' item does not, as `verify` words extra fields. */
function extraItemFields(path: string, allowed: string[], extra: string[], resource: ResourceDefinition | undefined): Difference {
  const known = new Set(resource ? documentedFields(resource) : [])
  const parts = [
    extra.some((name) => known.has(name)) ? `of the documented ${resource!.name} resource: ${extra.filter((name) => known.has(name)).join(', ')}` : '',
    extra.some((name) => !known.has(name)) ? `never mentioned in the docs: ${extra.filter((name) => !known.has(name)).join(', ')}` : '',
  ].filter(Boolean)
  return { path, expected: allowed, actual: extra, message: `${extra.length} extra field${extra.length === 1 ? '' : 's'} the docs' list item does not show; ${parts.join('; ')}` }
}

/** Differences whose `expected` is a word of the recorder's, not a value the mock answered (never faked as personal). */
const phrases = new WeakSet<Difference>()

/** Values the documented sort ties: equal, or the same text but for case. */
const sameSortValue = (a: unknown, b: unknown) => sameJson(a, b) || (typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase())

const count = (value: unknown) => (typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined)

/**
 * A list page. The mock holds only the records the traffic showed, so its page is not the
 * target's: the records both answered are compared by id, field by field; their order by the
 * documented sort (records the sort ties are not compared); the page and its size by value; the
 * total only where the mock counts more records than the target (the target lost or hid some),
 * and the target's page count against its own total.
 */
function compareLists(path: string, target: Record<string, unknown>, mock: Record<string, unknown>, context: Context): Difference[] {
  const differences: Difference[] = []
  const query = new URLSearchParams(context.query)
  const sortBy = query.get('sort_by') || 'created_at'
  const sortOrder = query.get('sort_order') || 'desc'
  for (const [field, ours] of Object.entries(mock)) {
    if (!Array.isArray(ours)) continue
    const theirs = target[field]
    if (!Array.isArray(theirs)) {
      differences.push({ path: `${path}.${field}`, expected: 'a list of records', actual: theirs ?? null, message: `missing ${field}` })
      continue
    }
    const mine = new Map<unknown, { item: Record<string, unknown>; index: number }>()
    ours.forEach((item, index) => isObject(item) && mine.set(item.id, { item, index }))
    const both: Array<{ id: unknown; index: number; item: Record<string, unknown> }> = []
    for (const candidate of theirs) {
      const match = isObject(candidate) ? mine.get(candidate.id) : undefined
      if (!match || !isObject(candidate)) continue
      both.push({ id: candidate.id, ...match })
      const extra = Object.keys(candidate).filter((name) => !(name in match.item))
      if (extra.length > 0) differences.push(extraItemFields(`${path}.${field}[*]`, Object.keys(match.item), extra, context.resource))
      // One path for every item: a drift the whole page shares is one difference, seen in N records.
      differences.push(...compareObjects(`${path}.${field}[*]`, candidate, match.item, { ...context, generatedId: false }))
    }
    for (let at = 1; at < both.length; at++) {
      const [before, after] = [both[at - 1]!, both[at]!]
      if (before.index < after.index || sameSortValue(before.item[sortBy], after.item[sortBy])) continue
      differences.push({
        path: `${path}.${field}`,
        expected: `${String(after.id)} before ${String(before.id)}`,
        actual: `${String(before.id)} before ${String(after.id)}`,
        message: `not in the documented order: sorted by ${sortBy} ${sortOrder}, ${JSON.stringify(after.item[sortBy] ?? null)} comes before ${JSON.stringify(before.item[sortBy] ?? null)}`,
      })
      break
    }
  }
  const ours = mock.pagination as Record<string, unknown>
  const theirs = isObject(target.pagination) ? target.pagination : undefined
  if (!theirs) return [...differences, { path: `${path}.pagination`, expected: 'the pagination', actual: target.pagination ?? null, message: 'missing pagination' }]
  for (const field of ['page', 'limit']) {
    if (theirs[field] !== undefined && !sameJson(theirs[field], ours[field])) differences.push({ path: `${path}.pagination.${field}`, expected: ours[field], actual: theirs[field], message: 'not what the mock, holding the same records, answered' })
  }
  const [total, mockTotal, limit, pages] = [count(theirs.total), count(ours.total), count(theirs.limit), count(theirs.total_pages)]
  if (total !== undefined && mockTotal !== undefined && mockTotal > total) {
    differences.push({
      path: `${path}.pagination.total`,
      expected: mockTotal,
      actual: total,
      message: `the target counts fewer records than the mock, which holds only records the target answered earlier (${mockTotal - total} fewer)`,
    })
  }
  if (total !== undefined && limit !== undefined && limit > 0 && pages !== undefined && pages !== Math.ceil(total / limit)) {
    differences.push({ path: `${path}.pagination.total_pages`, expected: Math.ceil(total / limit), actual: pages, message: `does not follow from the target's own total ${total} and limit ${limit}` })
  }
  return differences
}

/** Field by field: what the mock answered that the target did not, or otherwise. */
function compareObjects(path: string, target: Record<string, unknown>, mock: Record<string, unknown>, context: Context): Difference[] {
  if (isObject(mock.pagination)) return compareLists(path, target, mock, context)
  const differences: Difference[] = []
  for (const [field, expected] of Object.entries(mock)) {
    const at = `${path}.${field}`
    const actual = target[field]
    if (actual === undefined) {
      // `null` is the mock's value, said as a word so that the line reads "expected null, got nothing".
      const missing = { path: at, expected: expected === null ? 'null' : expected, actual: null, message: `missing ${field}` }
      if (expected === null) phrases.add(missing)
      differences.push(missing)
      continue
    }
    if (sameJson(actual, expected)) continue
    if (typeof expected === 'string' && typeof actual === 'string') {
      if (timestampPattern.test(expected)) {
        const instant = toApiTimestamp(actual)
        // The mock's own clock made `expected`: the target's clock is no difference, its form is.
        const ownClock = expected === context.now
        if (instant !== undefined && (instant === expected || ownClock)) {
          if (instant !== actual) {
            const what = instant === expected ? 'the same instant' : 'a timestamp'
            differences.push({ path: at, expected, actual, message: `${what} in another form; the docs write timestamps in UTC to the second, e.g. 2024-01-25T10:00:00Z` })
          }
          continue
        }
      }
      if (field === 'id' && context.generatedId && path === '$.data') continue
    }
    differences.push({ path: at, expected, actual, message: 'not what the mock, holding the same records, answered' })
  }
  return differences
}

/**
 * Where the target's answer differs from the documented behaviour: the drift checks of `verify`
 * (`checkExchange`: the documented shape, codes and statuses, timestamps, the rate-limit headers,
 * `Retry-After`), and what the mock holding the same records answered to the same request (the
 * status, the error code, and every field of `data` the mock sends, by value). The target's own
 * error code and message are in the message of a status or code difference. Values only the
 * mock's clock or id generator decides are compared by form. When the mock could not hold what
 * the request names, only the docs are checked.
 *
 * @example
 * compareWithMock(captured, mirrored) // [{ path: 'status', expected: 200, actual: 400, message: 'the target answered VALIDATION_ERROR "stage_id is required"' }]
 */
export function compareWithMock(captured: CapturedExchange, mirrored: MirroredExchange): ShadowDifference[] {
  const exchange: Exchange = {
    method: captured.method,
    path: captured.query === '' ? captured.path : `${captured.path}?${captured.query}`,
    status: captured.status,
    headers: { ...captured.responseHeaders },
    body: captured.responseBody ?? '',
  }
  const documented = checkExchange(exchange).map((difference) => ({ ...difference, category: 'documented-contract' as const }))
  if (!mirrored.comparable) return sortDifferences(documented)
  const { answer } = mirrored
  const target = errorOf(mirrored.targetBody)
  const mock = errorOf(answer.body)
  const said = target.code !== undefined ? `${target.code}${target.message !== undefined ? ` ${JSON.stringify(target.message)}` : ''}` : ''
  const own: Difference[] = []
  if (captured.status !== answer.status) {
    const refusedKnownKey = target.code === 'INVALID_API_KEY' && mirrored.keyAcceptedBefore
    own.push({
      path: 'status',
      expected: answer.status,
      actual: captured.status,
      message:
        `the target answered ${said || `${captured.status}`}` +
        (refusedKnownKey ? ' to a key it accepted earlier in this session; the docs answer an expired key EXPIRED_API_KEY' : '') +
        `; the mock answered ${mock.code ?? answer.status}`,
    })
  } else if (target.code !== undefined && mock.code !== undefined && target.code !== mock.code) {
    own.push({ path: '$.error.code', expected: mock.code, actual: target.code, message: `the target answered ${said}` })
  }
  const ok = (status: number) => status >= 200 && status < 300
  if (ok(captured.status) && ok(answer.status) && isObject(mirrored.targetBody) && isObject(answer.body)) {
    const theirs = mirrored.targetBody.data
    const ours = (answer.body as { data?: unknown }).data
    if (isObject(theirs) && isObject(ours)) {
      own.push(...compareObjects('$.data', theirs, ours, { now: formatTimestamp(mirrored.at), generatedId: createsRecords(mirrored.endpoint), query: captured.query, resource: resourceOf(mirrored.endpoint) }))
    }
  }
  // One line per path: the status and the code with the target's own words, the fields as the
  // drift checks say them (a missing field, a timestamp not in the documented form).
  const mine = new Set<string>(own.map((difference) => difference.path).filter((path) => path === 'status' || path === '$.error.code'))
  const kept = documented.filter((difference) => !mine.has(difference.path))
  const checked = new Set(kept.map((difference) => difference.path))
  const extra = own
    .filter((difference) => !checked.has(difference.path))
    .map((difference) => (phrases.has(difference) ? { ...difference, category: 'documented-contract' as const } : { ...difference, category: 'documented-contract' as const, fromMock: true as const }))
  return sortDifferences([...kept, ...extra])
}
