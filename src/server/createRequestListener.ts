import type { IncomingMessage, ServerResponse } from 'node:http'
import { endpoints } from '../contract/endpoints.js'
import type { MockRuntime } from '../runtime/createMockRuntime.js'
import type { MockRequest, MockResponse } from '../core/MockRequest.js'
import { maskApiKey, maskQueryApiKeys } from '../core/queryApiKey.js'
import { buildOpenApiDocument } from '../openapi/buildOpenApiDocument.js'
import { createAdminRouter } from '../admin/createAdminRouter.js'
import type { AdminRoute } from '../admin/createAdminRouter.js'
import type { AdminAccess } from '../admin/authorizeAdmin.js'
import { applyFaultOnServer } from './applyFaultOnServer.js'
import { closeAfterDraining } from './closeAfterDraining.js'
import { handleAdminHttp, isAdminPath } from './handleAdminHttp.js'

// The request log's masking is the core's, re-exported where the log's users have found it.
export { maskApiKey }

/** One line of the request log. The API key is already masked. */
export interface RequestLogEntry {
  method: string
  /** Path with any `api_key` query value masked. */
  path: string
  status: number
  durationMs: number
  /** The masked key, or `undefined` when the request carried none. */
  apiKey: string | undefined
  /** The fault that answered instead of the mock (its id, or `'prefer'`); absent otherwise. */
  fault?: string
}

/** CORS settings of the standalone server. */
export interface CorsOptions {
  /**
   * Origins allowed to call the server from a browser: `'*'` for any, or a list of exact origins.
   * @default '*'
   */
  origins: '*' | readonly string[]
}

/** Options of `createRequestListener`. */
export interface RequestListenerOptions {
  runtime: MockRuntime
  maxBodyBytes: number
  cors: CorsOptions | false
  onRequest?: (entry: RequestLogEntry) => void
  /** Tells whether the server is shutting down, so answers close their connections. */
  isClosing?: () => boolean
  /** The admin API under `/__admin` and who may call it, or `false` for none (404 like any unknown path). */
  admin?: AdminAccess | false
  /** Where admin errors go. @default console.error */
  onUnexpectedError?: (error: unknown) => void
}

const allowedMethods = [...new Set(endpoints.map((endpoint) => endpoint.method)), 'OPTIONS'].join(', ')
const allowedHeaders = 'Content-Type, X-API-Key, Authorization, Prefer'
const exposedHeaders = 'X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Retry-After'

/** `GET /__admin/openapi.json`: the description of what this server serves, listing it first for tools. */
const openApiRoute: AdminRoute = {
  method: 'GET',
  path: '/openapi.json',
  handle: ({ request }) => ({
    status: 200,
    body: buildOpenApiDocument({ serverUrls: [...(request.host ? [`http://${request.host}`] : []), 'https://app.getraze.com'] }),
  }),
}

function maskQuery(path: string, query: string): string {
  return query ? `${path}?${maskQueryApiKeys(query, maskApiKey)}` : path
}

/**
 * The `node:http` adapter: reads the request straight into a `MockRequest` (no Fetch objects,
 * which would cost more than the mock itself), answers CORS preflights, and writes the core's
 * response.
 *
 * @example
 * http.createServer(createRequestListener({ runtime, maxBodyBytes: 1 << 20, cors: { origins: '*' } }))
 */
export function createRequestListener(options: RequestListenerOptions) {
  const { runtime, maxBodyBytes, cors, onRequest } = options
  /** Responses that must close their connection (oversized body, server shutting down). */
  const closeAfter = new WeakSet<ServerResponse>()
  const adminRouter = options.admin ? createAdminRouter(runtime, { extraRoutes: [openApiRoute] }) : undefined
  const adminAccess: AdminAccess = options.admin ? options.admin : {}
  const onUnexpectedError = options.onUnexpectedError ?? ((error: unknown) => console.error(error))
  const maxBodyDigits = String(maxBodyBytes).length

  function corsHeaders(origin: string | undefined): Record<string, string> | undefined {
    if (!cors || origin === undefined) return undefined
    if (cors.origins === '*') return { 'access-control-allow-origin': '*', 'access-control-expose-headers': exposedHeaders }
    if (!cors.origins.includes(origin)) return undefined
    return { 'access-control-allow-origin': origin, 'access-control-expose-headers': exposedHeaders, vary: 'Origin' }
  }

  function write(response: ServerResponse, status: number, headers: Record<string, string>, text: string) {
    // An explicit length lets Node skip chunked encoding.
    headers['content-length'] = String(Buffer.byteLength(text))
    if (closeAfter.has(response)) headers.connection = 'close'
    response.writeHead(status, headers)
    response.end(text)
  }

  function respond(request: IncomingMessage, response: ServerResponse, mockRequest: MockRequest, started: number, answer?: MockResponse, fault?: string) {
    const result = answer ?? runtime.core.handle(mockRequest)
    const cross = corsHeaders(request.headers.origin)
    if (cross) Object.assign(result.headers, cross)
    try {
      write(response, result.status, result.headers, result.text)
    } catch (error) {
      // Writing can only fail on a header Node refuses; answer the envelope if nothing went out.
      if (response.headersSent) response.destroy()
      else {
        const failure = runtime.core.fail(error)
        write(response, failure.status, failure.headers, failure.text)
      }
    }
    if (onRequest) {
      onRequest({
        method: mockRequest.method,
        path: maskQuery(mockRequest.path, mockRequest.query),
        status: result.status,
        durationMs: performance.now() - started,
        apiKey: result.apiKey === undefined ? undefined : maskApiKey(result.apiKey),
        ...(fault === undefined ? {} : { fault }),
      })
    }
  }

  /**
   * Answers a request whose body is over the limit without reading the rest of it, then closes
   * the connection: a client that declares 10 GiB and waits gets its 413 at once instead of at
   * the request timeout.
   */
  function refuseOversized(request: IncomingMessage, response: ServerResponse, mockRequest: MockRequest, started: number) {
    mockRequest.bodyTooLarge = true
    mockRequest.body = undefined
    closeAfter.add(response)
    request.removeAllListeners('data')
    request.pause()
    // Node closes the connection after an answer with `Connection: close` by calling destroySoon;
    // drain what the client still sends first, so that a TCP reset does not swallow the 413.
    const socket = request.socket
    socket.destroySoon = () => closeAfterDraining(socket, request)
    // An admin request gets the admin API's 413, never the pipeline's 404 and a journal entry.
    if (adminRouter && isAdminPath(mockRequest.path)) handleAdminHttp(adminRouter, adminAccess, request, response, mockRequest, onUnexpectedError, true)
    else respond(request, response, mockRequest, started)
  }

  return function requestListener(request: IncomingMessage, response: ServerResponse): void {
    const started = onRequest ? performance.now() : 0
    const method = request.method ?? 'GET'

    // A preflight for the admin API is no CORS request the mock allows: it goes to the admin API,
    // which refuses it for its Origin, so a page never gets to send the request itself (issue 15).
    const preflight = method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined
    if (preflight && !(adminRouter && isAdminPath((request.url ?? '/').split('?', 1)[0]!))) {
      const cross = corsHeaders(request.headers.origin)
      response.writeHead(
        204,
        cross
          ? { ...cross, 'access-control-allow-methods': allowedMethods, 'access-control-allow-headers': allowedHeaders, 'access-control-max-age': '600' }
          : {},
      )
      response.end()
      return
    }

    const url = request.url ?? '/'
    const queryStart = url.indexOf('?')
    const headers = request.headers
    const mockRequest: MockRequest = {
      method,
      path: queryStart === -1 ? url : url.slice(0, queryStart),
      query: queryStart === -1 ? '' : url.slice(queryStart + 1),
      header: (name) => {
        const value = headers[name]
        return Array.isArray(value) ? value[0] : value
      },
      body: undefined,
      headers: request.rawHeaders,
    }

    const declared = headers['content-length']
    // Node only lets digits through; one with fewer digits than the limit is under it, and
    // turning the header into a number cost more than the rest of this function.
    if (declared !== undefined && declared.length >= maxBodyDigits && Number(declared) > maxBodyBytes) {
      refuseOversized(request, response, mockRequest, started)
      return
    }
    if (options.isClosing?.()) closeAfter.add(response)

    const chunks: Buffer[] = []
    let size = 0
    let answered = false
    request.on('data', (chunk: Buffer) => {
      size += chunk.length
      chunks.push(chunk)
      if (size > maxBodyBytes && !answered) {
        // A chunked body crossed the limit: answer now rather than after reading it all.
        answered = true
        refuseOversized(request, response, mockRequest, started)
      }
    })
    request.on('end', () => {
      if (answered) return
      answered = true
      if (size > 0) {
        mockRequest.body = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')
      }
      if (adminRouter && isAdminPath(mockRequest.path)) {
        handleAdminHttp(adminRouter, adminAccess, request, response, mockRequest, onUnexpectedError, closeAfter.has(response))
        return
      }
      const fault = runtime.planFault(mockRequest)
      if (fault) {
        applyFaultOnServer(fault, runtime, response, (answer) => respond(request, response, mockRequest, started, answer, answer ? fault.fault : undefined))
        return
      }
      respond(request, response, mockRequest, started)
    })
    request.on('error', () => response.destroy())
  }
}
