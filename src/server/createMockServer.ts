import { createServer } from 'node:http'
import { networkInterfaces } from 'node:os'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createMockRuntime } from '../runtime/createMockRuntime.js'
import type { MockRuntime, MockRuntimeOptions } from '../runtime/createMockRuntime.js'
import { GetRazeMockError } from '../errors/GetRazeMockError.js'
import { checkAdminToken, checkAllowedHosts, hostName } from '../admin/authorizeAdmin.js'
import type { AdminAccess } from '../admin/authorizeAdmin.js'
import { answerProtocolErrors } from './answerProtocolErrors.js'
import { createConnectionTracker } from './createConnectionTracker.js'
import { createRequestListener } from './createRequestListener.js'
import type { CorsOptions, RequestLogEntry } from './createRequestListener.js'

/** Options of `createMockServer` and `startMockServer`. */
export interface MockServerOptions extends MockRuntimeOptions {
  /**
   * Port to listen on; `0` picks a free one (use it in tests).
   * @default 4010
   */
  port?: number
  /**
   * Interface to bind. The default keeps the mock off the network.
   * @default '127.0.0.1'
   */
  host?: string
  /**
   * CORS for browser apps served from another origin, or `false` to send no CORS headers.
   * @default { origins: '*' }
   */
  cors?: CorsOptions | false
  /**
   * Called after each response, with the API key masked. Leave unset for no logging.
   * @default undefined
   */
  onRequest?: (entry: RequestLogEntry) => void
  /**
   * Close the server on SIGINT and SIGTERM (the CLI turns this on). Requests it then drops are
   * reported on stderr: those still unanswered when the grace period ends, or, on another signal
   * while closing, all in flight (it then stops at once and exits the process: code 1 if it
   * dropped any, else 0).
   * @default false
   */
  handleSignals?: boolean
  /**
   * Milliseconds a client has to send the request headers; slower ones get 408 `REQUEST_TIMEOUT`.
   * @default 10000
   */
  headersTimeoutMs?: number
  /**
   * Milliseconds a client has to send the whole request; slower ones get 408 `REQUEST_TIMEOUT`.
   * @default 30000
   */
  requestTimeoutMs?: number
  /**
   * Milliseconds an idle keep-alive connection stays open.
   * @default 5000
   */
  keepAliveTimeoutMs?: number
  /**
   * On `close()` (and SIGINT/SIGTERM), milliseconds requests in flight get to finish before
   * their connections are closed. `close()` resolves as soon as the last one has finished.
   * @default 5000
   */
  gracePeriodMs?: number
  /**
   * The admin API under `/__admin` (journal, faults, clock, reset, fixtures; see the README's
   * "Test control"), or `false` to turn it off. Without a `token` it answers loopback clients
   * only; with one it requires `Authorization: Bearer <token>` (printable ASCII, no spaces).
   * Either way it answers only requests whose `Host` is a loopback name, the server's `host`, or
   * one of `allowedHosts` (a name a tunnel or proxy forwards; `'*'` for any, with a token only),
   * never a page on another `Origin`, and takes JSON bodies only.
   * @default {} (on, loopback only)
   * @example { token: process.env.GETRAZE_MOCK_ADMIN_TOKEN, allowedHosts: ['mock.example.test'] }
   */
  admin?: AdminAccess | false
}

/** A started mock server. */
export interface RunningMockServer {
  /** Base URL, e.g. `http://127.0.0.1:4010`; API paths go after it. */
  url: string
  /** The store, pipeline and `reset()` behind the server. */
  mock: MockRuntime
  /** Requests being answered right now: received, their answer not yet sent. */
  readonly inFlight: number
  /**
   * Stops listening, closes idle connections, lets requests in flight finish (their answers close
   * their connections) for up to `gracePeriodMs`, then closes what is still open. Resolves as
   * soon as the last connection is closed. Calling it again returns the same promise.
   */
  close(): Promise<void>
}

/** A mock server that is created but not listening yet. */
export interface MockServer {
  server: Server
  mock: MockRuntime
  /**
   * Listens. Requests are answered from the store's indexes, which hold the fixtures from the
   * start; `mock.ready` settles when the `@msw/data` collections hold them too.
   */
  listen(): Promise<RunningMockServer>
}

const requests = (count: number) => (count === 1 ? '1 request' : `${count} requests`)

/**
 * The names the server itself answers to: its `host`, and for a wildcard (`0.0.0.0`, `::`) every
 * address of this machine, since that is what it listens on.
 */
function ownHostNames(host: string): string[] {
  const own = hostName(host)
  if (own !== '0.0.0.0' && own !== '[::]') return own === undefined ? [] : [own]
  const addresses = Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((entry) => entry.address))
  return [own, ...addresses.map(hostName).filter((name): name is string => name !== undefined)]
}

/** The admin option checked, with the server's own host names allowed. */
function resolveAdmin(admin: MockServerOptions['admin'], host: string): AdminAccess | false {
  if (admin === false) return false
  const given = admin ?? {}
  const token = given.token === undefined ? undefined : checkAdminToken(given.token, 'create the mock server (admin.token)')
  const allowedHosts = [...ownHostNames(host), ...checkAllowedHosts(given.allowedHosts ?? [], token !== undefined, 'create the mock server (admin.allowedHosts)')]
  return token === undefined ? { allowedHosts } : { token, allowedHosts }
}

/** Defaults, resolved once. */
function resolveOptions(options: MockServerOptions) {
  const host = options.host ?? '127.0.0.1'
  return {
    port: options.port ?? 4010,
    host,
    cors: options.cors ?? { origins: '*' as const },
    maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
    handleSignals: options.handleSignals ?? false,
    headersTimeoutMs: options.headersTimeoutMs ?? 10_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    keepAliveTimeoutMs: options.keepAliveTimeoutMs ?? 5_000,
    gracePeriodMs: options.gracePeriodMs ?? 5_000,
    admin: resolveAdmin(options.admin, host),
  }
}

/**
 * Creates the standalone mock server without starting it: validates the fixtures (throwing
 * before anything listens) and builds the `node:http` server.
 *
 * @example
 * const { listen } = createMockServer({ port: 0 })
 * const { url, close } = await listen()
 * @see startMockServer
 */
export function createMockServer(options: MockServerOptions = {}): MockServer {
  const resolved = resolveOptions(options)
  const mock = createMockRuntime(options)
  let closing: Promise<void> | undefined
  const listener = createRequestListener({
    runtime: mock,
    maxBodyBytes: resolved.maxBodyBytes,
    cors: resolved.cors,
    onRequest: options.onRequest,
    isClosing: () => closing !== undefined,
    admin: resolved.admin,
    onUnexpectedError: options.onUnexpectedError,
  })
  const tracker = createConnectionTracker(listener)
  const server = createServer(
    {
      keepAliveTimeout: resolved.keepAliveTimeoutMs,
      // Node requires headersTimeout <= requestTimeout.
      headersTimeout: Math.min(resolved.headersTimeoutMs, resolved.requestTimeoutMs),
      requestTimeout: resolved.requestTimeoutMs,
      // Node checks the two timeouts every 30 s by default, far coarser than they are.
      connectionsCheckingInterval: Math.max(50, Math.min(1000, resolved.headersTimeoutMs / 4)),
      // Node answers an HTTP/1.1 request without Host with a bare 400 of its own, outside the
      // envelope; the mock does not route by host, so it answers such a request like any other.
      requireHostHeader: false,
    },
    tracker.serve,
  )
  answerProtocolErrors(server, tracker, resolved.maxBodyBytes)

  async function listen(): Promise<RunningMockServer> {
    await new Promise<void>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => {
        const where = `${resolved.host}:${resolved.port}`
        reject(
          error.code === 'EADDRINUSE'
            ? new GetRazeMockError(
                'PORT_IN_USE',
                `Failed to start the mock server: port ${resolved.port} on ${resolved.host} is already in use. Stop the other process or pass another port (port: 0 picks a free one).`,
                { cause: error },
              )
            : new GetRazeMockError(
                'SERVER_START_FAILED',
                `Failed to start the mock server: cannot listen on ${where} (${error.code ?? error.message}). Check the host and port options.`,
                { cause: error },
              ),
        )
      }
      server.once('error', onError)
      server.listen(resolved.port, resolved.host, () => {
        server.off('error', onError)
        resolve()
      })
    })
    const { port } = server.address() as AddressInfo
    const host = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host

    // Stop accepting and close idle connections; requests in flight finish, and their answers
    // close their connections. Whatever is still open when the grace period ends is closed.
    const close = () => {
      closing ??= new Promise<void>((resolve) => {
        tracker.closeAfterAnswers()
        const grace = setTimeout(() => {
          const dropped = tracker.inFlight
          if (resolved.handleSignals && dropped > 0) {
            process.stderr.write(`getraze-mock: the ${resolved.gracePeriodMs} ms grace period is over; ${requests(dropped)} in flight dropped unanswered.\n`)
          }
          server.closeAllConnections()
        }, resolved.gracePeriodMs)
        server.close(() => {
          clearTimeout(grace)
          process.off('SIGINT', onSignal)
          process.off('SIGTERM', onSignal)
          resolve()
        })
        server.closeIdleConnections()
      })
      return closing
    }
    // The first signal closes gracefully; one more while closing stops at once, saying what it drops.
    const onSignal = (signal: NodeJS.Signals) => {
      if (!closing) {
        void close()
        return
      }
      const dropped = tracker.inFlight
      process.stderr.write(`getraze-mock: ${signal} while stopping: stopping at once; ${requests(dropped)} in flight dropped unanswered.\n`)
      server.closeAllConnections()
      process.exit(dropped > 0 ? 1 : 0)
    }
    if (resolved.handleSignals) {
      process.on('SIGINT', onSignal)
      process.on('SIGTERM', onSignal)
    }
    return {
      url: `http://${host}:${port}`,
      mock,
      close,
      get inFlight() {
        return tracker.inFlight
      },
    }
  }

  return { server, mock, listen }
}
