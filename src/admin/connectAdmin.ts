import { GetRazeMockError } from '../errors/GetRazeMockError.js'
import type { GetRazeMockErrorCode } from '../errors/GetRazeMockError.js'
import type { ActiveFault, Fault, JournalEntry, JournalFilter, TestControl } from '../control/TestControl.js'
import { adminBasePath } from './createAdminRouter.js'
import type { AddedFixtures } from './createAdminRouter.js'
import type { RecordCollection } from '../contract/resources.js'
import type { FixtureFile } from '../contract/schemas.js'

/** What to tell the caller when the admin API refuses the token, by the admin API's code. */
const tokenHints: Readonly<Record<string, string>> = {
  ADMIN_TOKEN_REQUIRED:
    'the server requires its admin token (ADMIN_TOKEN_REQUIRED). Pass it as connectAdmin(url, { token }): the value of the server\'s --admin-token or GETRAZE_MOCK_ADMIN_TOKEN.',
  ADMIN_TOKEN_INVALID:
    'the server refused the admin token (ADMIN_TOKEN_INVALID). Pass the value of the server\'s --admin-token or GETRAZE_MOCK_ADMIN_TOKEN as connectAdmin(url, { token }).',
}

/** What `call` returns for a 404 the caller expects (a fault that is gone). */
const notFound = Symbol('not found')

/** Options of `connectAdmin`. */
export interface ConnectAdminOptions {
  /**
   * The server's admin token (its `--admin-token`, `--admin-token-file` or
   * `GETRAZE_MOCK_ADMIN_TOKEN`), sent as `Authorization: Bearer <token>`.
   * @default none (the server must be on this machine)
   */
  token?: string
  /**
   * The `fetch` to use (e.g. one with a proxy or a test double).
   * @default globalThis.fetch
   */
  fetch?: typeof fetch
}

/** Records of a running server, over `POST /__admin/fixtures` and `GET /__admin/<collection>/:id`. */
export interface FixtureControl {
  /**
   * Adds (or replaces, by id) the records of a fixture document: accounts, API keys, campaigns,
   * users, opportunities and contacts, validated as fixture files are. A bad document changes
   * nothing and rejects with the server's message naming the record and field.
   */
  add(document: FixtureFile): Promise<AddedFixtures>
  /** The whole stored record (its `account` too) of a collection an endpoint names, or `undefined`. */
  read(collection: RecordCollection, id: string): Promise<Record<string, unknown> | undefined>
}

/**
 * Test control of a running `getraze-mock serve` over HTTP: every answer is a promise. Besides
 * the test control the in-process mock has, `fixtures` adds and reads records (in process, the
 * mock's `store` does).
 */
export type AdminClient = TestControl<false> & { fixtures: FixtureControl }

function toBase(url: string): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch (error) {
    throw new GetRazeMockError(
      'INVALID_OPTION',
      `Failed to connect to the admin API: ${JSON.stringify(url)} is not an absolute URL. Pass the server's URL, e.g. http://127.0.0.1:4010.`,
      { cause: error },
    )
  }
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}${adminBasePath}`
}

/**
 * Connects to the admin API of a running mock server and returns the same test-control
 * interface the in-process mock has (`journal`, `expectCalls`, `faults`, `clock`, `reset`), over
 * HTTP. Use it from a Playwright suite or any process other than the server's, in Node: the admin
 * API refuses requests from web pages (a foreign `Origin`) and addressed to names that are not the
 * server's (`Host`), so it cannot run inside a page.
 *
 * @example
 * import { connectAdmin } from 'getraze-mock/admin'
 *
 * const admin = connectAdmin('http://127.0.0.1:4010')
 * await admin.faults.add({ error: 'RATE_LIMIT_EXCEEDED', times: 1 })
 * // ... drive the app ...
 * await admin.expectCalls({ method: 'PATCH' }, 2)
 * @see createGetRazeMock and startMockServer for the in-process implementations
 */
export function connectAdmin(url: string, options: ConnectAdminOptions = {}): AdminClient {
  const base = toBase(url)
  const doFetch = options.fetch ?? globalThis.fetch
  const authorization = options.token === undefined ? undefined : `Bearer ${options.token}`

  async function call<T>(action: string, method: string, path: string, body?: unknown, missingOk = false): Promise<T> {
    const headers: Record<string, string> = {}
    if (authorization) headers.authorization = authorization
    if (body !== undefined) headers['content-type'] = 'application/json'
    let response: Response
    try {
      response = await doFetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    } catch (error) {
      throw new GetRazeMockError(
        'ADMIN_REQUEST_FAILED',
        `Failed to ${action}: cannot reach ${base} (${(error as Error).message}). Check that the server is running and the URL.`,
        { cause: error },
      )
    }
    const text = await response.text()
    let json: unknown
    try {
      json = text === '' ? undefined : JSON.parse(text)
    } catch {
      json = undefined
    }
    if (missingOk && response.status === 404) return notFound as T
    if (!response.ok) {
      const error = (json as { error?: { code?: string; message?: string } } | undefined)?.error
      // The admin API's own refusals name the option to change on this side.
      const hint = error?.code === undefined ? undefined : tokenHints[error.code]
      if (hint) throw new GetRazeMockError('ADMIN_REQUEST_FAILED', `Failed to ${action}: ${hint}`)
      // The server's message already reads "Failed to ..." for bad input; keep it as it is.
      const detail = error?.message ?? `HTTP ${response.status}`
      throw new GetRazeMockError(
        response.status === 400 ? 'INVALID_OPTION' : 'ADMIN_REQUEST_FAILED',
        detail.startsWith('Failed to ') ? detail : `Failed to ${action}: the admin API answered ${response.status} ${error?.code ?? ''}: ${detail}`.replace(/\s+:/, ':'),
      )
    }
    return json as T
  }

  async function list(filter?: JournalFilter): Promise<JournalEntry[]> {
    const action = 'read the request journal'
    if (filter?.apiKey !== undefined) {
      // A key does not belong in a URL.
      return (await call<{ requests: JournalEntry[] }>(action, 'POST', '/requests/find', filter)).requests
    }
    const query = new URLSearchParams()
    for (const [name, value] of Object.entries(filter ?? {})) {
      if (value !== undefined) query.set(name, value === null ? 'null' : String(value))
    }
    const search = query.size > 0 ? `?${query}` : ''
    return (await call<{ requests: JournalEntry[] }>(action, 'GET', `/requests${search}`)).requests
  }

  return {
    journal: {
      list,
      count: async (filter) => (await call<{ count: number }>('count requests', 'POST', '/requests/count', filter ?? {})).count,
      clear: async () => {
        await call('clear the request journal', 'DELETE', '/requests')
      },
    },
    async expectCalls(filter, times) {
      const verdict = await call<{ ok: boolean; code?: GetRazeMockErrorCode; message?: string }>('verify calls', 'POST', '/requests/verify', {
        filter,
        times,
      })
      if (!verdict.ok) throw new GetRazeMockError(verdict.code ?? 'CALLS_MISMATCH', verdict.message ?? 'Failed to verify calls.')
    },
    faults: {
      add: async (fault: Fault) => (await call<{ id: string }>('add the fault', 'POST', '/faults', fault)).id,
      list: async () => (await call<{ faults: ActiveFault[] }>('list the faults', 'GET', '/faults')).faults,
      async remove(id) {
        // 204 when removed, 404 when no fault has that id.
        const answer = await call<unknown>('remove the fault', 'DELETE', `/faults/${encodeURIComponent(id)}`, undefined, true)
        return answer !== notFound
      },
      clear: async () => {
        await call('clear the faults', 'DELETE', '/faults')
      },
    },
    clock: {
      async set(instant) {
        const date = instant instanceof Date ? instant : new Date(instant)
        if (Number.isNaN(date.getTime())) {
          throw new GetRazeMockError(
            'INVALID_OPTION',
            `Failed to set the clock: ${JSON.stringify(String(instant))} is not a valid ISO 8601 timestamp. Pass one like 2024-01-25T10:00:00Z.`,
          )
        }
        await call('set the clock', 'PUT', '/clock', { now: date.toISOString() })
      },
      async advance(seconds) {
        await call('advance the clock', 'PUT', '/clock', { advance: seconds })
      },
      async real() {
        await call('put the clock back to real time', 'DELETE', '/clock')
      },
      now: async () => new Date((await call<{ now: string }>('read the clock', 'GET', '/clock')).now),
    },
    async reset() {
      await call('reset the mock', 'POST', '/reset')
    },
    fixtures: {
      add: async (document) => (await call<{ added: AddedFixtures }>('add fixtures', 'POST', '/fixtures', document)).added,
      async read(collection, id) {
        const record = await call<Record<string, unknown>>(`read ${collection} ${JSON.stringify(id)}`, 'GET', `/${encodeURIComponent(collection)}/${encodeURIComponent(id)}`, undefined, true)
        return record === (notFound as unknown) ? undefined : record
      },
    },
  }
}
