/**
 * Browser entry of `worker.browser.test.ts`, bundled with esbuild and loaded by Chromium: it runs
 * the mock's handlers in msw's service worker and records what the page's own `fetch` gets back.
 */
import { setupWorker } from 'msw/browser'
import fixtures from '../../fixtures/default.json' with { type: 'json' }
import { createGetRazeMock } from '../../src/index.js'

/** What the page saw for one request. */
export interface PageResult {
  status: number
  body: unknown
  /** `X-RateLimit-Remaining` as the page reads it; `null` if the page cannot see it. */
  rateLimitRemaining: string | null
  contentType: string | null
}

/** What the page saw of test control (journal and faults) through the service worker. */
export interface ControlResult {
  /** `journal.count()` after the two requests above. */
  journaled: number
  limited: { status: number; code: unknown; retryAfter: string | null; remaining: string | null }
  /** The status of the request after the one-shot fault expired. */
  afterFault: number
  /** How a fetch under a `network: 'reset'` fault failed. */
  resetError: string
  /** Statuses in the journal, oldest first (0 for the reset). */
  statuses: number[]
  /** `expectCalls({ status: 429 }, 1)` passed. */
  expectPassed: boolean
  /** The error of `expectCalls({ status: 429 }, 2)`. */
  mismatch: { code: unknown; message: string }
}

/** Set by this entry once it has finished: the results, or why it could not get them. */
export type PageOutcome =
  | { ok: true; won: PageResult; readonly: PageResult; control: ControlResult; read: PageResult; contact: PageResult }
  | { ok: false; error: string }

declare global {
  interface Window {
    __results?: PageOutcome
  }
}

const stageUrl = 'https://app.getraze.com/external/v1/opportunities/opp_abc123def456/stage'

async function moveToWon(apiKey: string): Promise<PageResult> {
  const response = await fetch(stageUrl, {
    method: 'PATCH',
    headers: { 'X-API-Key': apiKey, 'Content-Type': 'application/json' },
    body: JSON.stringify({ status: 'won' }),
  })
  return {
    status: response.status,
    body: await response.json(),
    rateLimitRemaining: response.headers.get('x-ratelimit-remaining'),
    contentType: response.headers.get('content-type'),
  }
}

async function run(): Promise<PageOutcome> {
  // The JSON import goes in as it is, as the README shows: the mock validates fixture data itself.
  const mock = createGetRazeMock({ fixtures, now: '2024-01-25T10:00:00Z' })
  const worker = setupWorker(...mock.handlers)
  await worker.start({ serviceWorker: { url: '/mockServiceWorker.js' }, onUnhandledRequest: 'error', quiet: true })
  // The read-only key first: a refused request must leave the record for the won case untouched.
  const readonly = await moveToWon('gr_test_readonly')
  const won = await moveToWon('YOUR_API_KEY')
  const journaled = mock.journal.count()

  mock.faults.add({ error: 'RATE_LIMIT_EXCEEDED', times: 1 })
  const limitedResponse = await fetch(stageUrl, {
    method: 'PATCH',
    headers: { 'X-API-Key': 'YOUR_API_KEY', 'Content-Type': 'application/json' },
    body: JSON.stringify({ status: 'lost' }),
  })
  const limited = {
    status: limitedResponse.status,
    code: ((await limitedResponse.json()) as { error?: { code?: unknown } }).error?.code,
    retryAfter: limitedResponse.headers.get('retry-after'),
    remaining: limitedResponse.headers.get('x-ratelimit-remaining'),
  }
  const afterFault = (await moveToWon('YOUR_API_KEY')).status

  mock.faults.add({ network: 'reset', times: 1 })
  let resetError = 'no error'
  try {
    await moveToWon('YOUR_API_KEY')
  } catch (error) {
    resetError = (error as Error).name
  }

  mock.expectCalls({ status: 429 }, 1)
  let mismatch = { code: undefined as unknown, message: 'no error' }
  try {
    mock.expectCalls({ status: 429 }, 2)
  } catch (error) {
    mismatch = { code: (error as { code?: unknown }).code, message: (error as Error).message }
  }
  const control: ControlResult = {
    journaled,
    limited,
    afterFault,
    resetError,
    statuses: mock.journal.list().map((entry) => entry.status),
    expectPassed: true,
    mismatch,
  }
  // A second endpoint through the same worker: the handlers cover every definition.
  const readResponse = await fetch('https://app.getraze.com/external/v1/opportunities/opp_demo_won', { headers: { 'X-API-Key': 'YOUR_API_KEY' } })
  const read: PageResult = {
    status: readResponse.status,
    body: await readResponse.json(),
    rateLimitRemaining: readResponse.headers.get('x-ratelimit-remaining'),
    contentType: readResponse.headers.get('content-type'),
  }
  // A contact, through the same worker: the contacts' endpoints are there too.
  const contactResponse = await fetch('https://app.getraze.com/external/v1/contacts/cnt_abc123def456', { headers: { 'X-API-Key': 'gr_test_readonly' } })
  const contact: PageResult = {
    status: contactResponse.status,
    body: await contactResponse.json(),
    rateLimitRemaining: contactResponse.headers.get('x-ratelimit-remaining'),
    contentType: contactResponse.headers.get('content-type'),
  }
  return { ok: true, won, readonly, control, read, contact }
}

run().then(
  (outcome) => {
    window.__results = outcome
  },
  (error: unknown) => {
    window.__results = { ok: false, error: error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error) }
  },
)
