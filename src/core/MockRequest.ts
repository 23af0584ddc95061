/**
 * The little of an HTTP request the core reads. Adapters build it from a Fetch `Request` (msw)
 * or from `node:http` directly; the standalone server skips Fetch objects on purpose, since
 * building them costs more than the whole mock (see decisions/0002-core-request-shape.md).
 */
export interface MockRequest {
  method: string
  /** Path without the query string, as received (still percent-encoded). */
  path: string
  /** Query string without the leading `?`; empty when there is none. */
  query: string
  /** A request header by lower-case name. */
  header(name: string): string | null | undefined
  /** The body as text, or `undefined` when there is none. */
  body: string | undefined
  /** Set by adapters that stopped reading because the body exceeded the size limit. */
  bodyTooLarge?: boolean
  /**
   * Every request header, for the request journal: what the adapter already has, passed by
   * reference (`IncomingMessage.rawHeaders` name/value pairs, a Fetch `Headers`, or a record).
   */
  headers?: Headers | readonly string[] | Readonly<Record<string, string | string[] | undefined>>
}

/** What the core answers: adapters serialise `body` as JSON. */
export interface MockResponse {
  status: number
  /** Lower-case names. A fresh object per response: adapters may add to it. */
  headers: Record<string, string>
  body: unknown
  /**
   * `body` serialised as JSON, produced inside the core's guarded path so that no adapter can
   * fail while serialising (a deeply nested echo once overflowed the stack there and killed the
   * server). Adapters send this text as it is.
   */
  text: string
  /** The API key the request presented, for request logs (adapters mask it). */
  apiKey?: string
}

/**
 * One request and the answer the core gave it, handed to `MockCore.observe` listeners (the
 * request journal, the pact recorder). `response.body` is the object that was serialised.
 */
export interface MockExchange {
  request: MockRequest
  response: MockResponse
  /** The mock's clock when the request was handled. */
  at: Date
  /** The route's path parameters (decoded), e.g. `{ id }`; empty for an unknown route. */
  params: Readonly<Record<string, string>>
  /** The operation that answered, or `undefined` for an unknown route or method. */
  operationId: string | undefined
  /** What the operation changed, as it was before (e.g. `{ status }` of a moved opportunity). */
  before?: Readonly<Record<string, unknown>>
  /**
   * The record the path's `:id` named, as it was before the request (a copy, stored fields
   * including `account`); absent when the endpoint names none or no such record existed. What
   * `recordPact` recreates in a provider state, even after an update changed it or a delete
   * removed it.
   */
  record?: Readonly<Record<string, unknown>>
  /** Milliseconds the core spent answering. */
  durationMs: number
  /**
   * The id of the fault that answered instead of the pipeline (`"prefer"` for a `Prefer`
   * header); absent for requests the pipeline answered. A network fault has status 0.
   */
  fault?: string
}

/**
 * Where the exchanges of a mock can be watched: the port `recordPact` (and any other observer of
 * a mock) uses. `createGetRazeMock()` and `startMockServer().mock` both offer it.
 */
export interface ExchangeSource {
  /**
   * Calls `listener` after every request the mock answered, faulted ones included (with
   * `exchange.fault`). Returns a function that removes the listener.
   */
  observe(listener: (exchange: MockExchange) => void): () => void
}
