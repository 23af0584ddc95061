import { expect, it } from 'vitest'
import { compareWithMock } from './compareWithMock.js'
import { createMirror } from './createMirror.js'
import type { CapturedExchange } from './createMirror.js'

const contact = (id: string, created: string, name = 'Ana') => ({
  id,
  name,
  email: null,
  phone: null,
  company: null,
  position: null,
  source: 'other',
  linkedin_url: null,
  tags: [],
  custom_fields: {},
  created_at: created,
  updated_at: created,
})
const older = contact('cnt_older', '2024-01-15T10:00:00Z', 'Bruno')
const newer = contact('cnt_newer', '2024-01-16T10:00:00Z', 'Ana')

function exchange(path: string, query: string, data: unknown, status = 200): CapturedExchange {
  return {
    method: 'GET',
    path,
    query,
    requestHeaders: { 'x-api-key': 'live_key_1' },
    requestBody: undefined,
    status,
    // A target within its limits: the count is the mock's to keep (decisions/0131).
    responseHeaders: { 'content-type': 'application/json', 'x-ratelimit-limit': '1000', 'x-ratelimit-remaining': '999', 'x-ratelimit-reset': '1706176800' },
    responseBody: JSON.stringify(status === 200 ? { success: true, data } : { success: false, error: { code: 'NOT_FOUND', message: 'Contact not found' } }),
    at: new Date(),
  }
}

const page = (contacts: object[], pagination: Partial<Record<'page' | 'limit' | 'total' | 'total_pages', number>> = {}) => ({
  contacts,
  pagination: { page: 1, limit: 20, total: contacts.length, total_pages: contacts.length === 0 ? 0 : 1, ...pagination },
})

/** A mirror that has seen both contacts, and a function that shadows one list answer. */
function seen() {
  const mirror = createMirror({ consumer: 'c', maxRecords: 100, maxKeys: 10, onNotice: () => undefined })
  for (const record of [older, newer]) mirror.process(exchange(`/external/v1/contacts/${record.id}`, '', record))
  const shadow = (captured: CapturedExchange) => compareWithMock(captured, mirror.process(captured)!)
  return { mirror, shadow }
}

it('shadows a list in the documented order, with its pagination, without a difference', () => {
  const { shadow } = seen()
  expect(shadow(exchange('/external/v1/contacts', '', page([newer, older])))).toEqual([])
  expect(shadow(exchange('/external/v1/contacts', 'sort_by=name&sort_order=asc', page([newer, older])))).toEqual([])
})

it('names a list out of the documented order once, with the sort it broke', () => {
  const { shadow } = seen()
  expect(shadow(exchange('/external/v1/contacts', '', page([older, newer])))).toEqual([
    {
      path: '$.data.contacts',
      expected: 'cnt_newer before cnt_older',
      actual: 'cnt_older before cnt_newer',
      message: 'not in the documented order: sorted by created_at desc, "2024-01-16T10:00:00Z" comes before "2024-01-15T10:00:00Z"',
      category: 'documented-contract',
      fromMock: true,
    },
  ])
})

it('does not name records the sort ties, whatever their order', () => {
  const { shadow } = seen()
  const twin = contact('cnt_twin', older.created_at, 'bruno')
  shadow(exchange('/external/v1/contacts/cnt_twin', '', twin))
  expect(shadow(exchange('/external/v1/contacts', 'sort_by=name&sort_order=asc', page([newer, twin, older])))).toEqual([])
  expect(shadow(exchange('/external/v1/contacts', 'sort_by=name&sort_order=asc', page([newer, older, twin])))).toEqual([])
})

it('takes a total above the mock\'s as records the traffic has not shown, but names one below it and a page count that does not follow', () => {
  const { shadow } = seen()
  expect(shadow(exchange('/external/v1/contacts', 'limit=2', page([newer, older], { limit: 2, total: 57, total_pages: 29 })))).toEqual([])
  const paths = (found: Array<{ path: string; message: string }>) => found.map((difference) => `${difference.path}: ${difference.message}`)
  expect(paths(shadow(exchange('/external/v1/contacts', 'limit=1', page([newer], { limit: 1, total: 1, total_pages: 3 }))))).toEqual([
    '$.data.pagination.total: the target counts fewer records than the mock, which holds only records the target answered earlier (1 fewer)',
    "$.data.pagination.total_pages: does not follow from the target's own total 1 and limit 1",
  ])
  expect(paths(shadow(exchange('/external/v1/contacts', 'limit=5', page([newer, older], { limit: 20 }))))).toEqual([
    '$.data.pagination.limit: not what the mock, holding the same records, answered',
  ])
})

it('forgets a record a complete list of the account no longer shows: a later GET answers 404 in the mock as at the target', () => {
  const { shadow } = seen()
  // The first page, no filter, every record of the account: cnt_older is gone at the target.
  expect(shadow(exchange('/external/v1/contacts', '', page([newer]))).map((difference) => difference.path)).toEqual(['$.data.pagination.total'])
  expect(shadow(exchange('/external/v1/contacts/cnt_older', '', undefined, 404))).toEqual([])
  expect(shadow(exchange('/external/v1/contacts', '', page([newer])))).toEqual([])
})

it('keeps a record a filtered list leaves out', () => {
  const { shadow } = seen()
  shadow(exchange('/external/v1/contacts', 'search=ana', page([newer])))
  expect(shadow(exchange('/external/v1/contacts/cnt_older', '', older))).toEqual([])
  expect(shadow(exchange('/external/v1/contacts', '', page([newer, older])))).toEqual([])
})
