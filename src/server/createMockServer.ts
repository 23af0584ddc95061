import { createServer } from 'node:http'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createMockRuntime } from '../core/createMockRuntime.js'
import type { MockRuntime, MockRuntimeOptions } from '../core/createMockRuntime.js'
import { GetRazeMockError } from '../errors/GetRazeMockError.js'
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
   * Close the server on SIGINT and SIGTERM (the CLI turns this on).
   * @default false
   */
  handleSignals?: boolean
  /**
   * The admin API under `/__admin` (journal, faults, clock, reset, fixtures; see the README's
   * "Test control"), or `false` to turn it off. Without a `token` it answers loopback clients
   * only; with one it requires `Authorization: Bearer <token>`.
   * @default {} (on, loopback only)
   */
  admin?: { token?: string } | false
}

/** A started mock server. */
export interface RunningMockServer {
  /** Base URL, e.g. `http://127.0.0.1:4010`; API paths go after it. */
  url: string
  /** The store, pipeline and `reset()` behind the server. */
  mock: MockRuntime
  /** Stops listening and closes open connections. */
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

/** Defaults, resolved once. */
function resolveOptions(options: MockServerOptions) {
  return {
    port: options.port ?? 4010,
    host: options.host ?? '127.0.0.1',
    cors: options.cors ?? { origins: '*' as const },
    maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
    handleSignals: options.handleSignals ?? false,
    admin: options.admin ?? {},
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
  const server = createServer(
    { keepAliveTimeout: 5000 },
    createRequestListener({
      runtime: mock,
      maxBodyBytes: resolved.maxBodyBytes,
      cors: resolved.cors,
      onRequest: options.onRequest,
      admin: resolved.admin,
      onUnexpectedError: options.onUnexpectedError,
    }),
  )

  async function listen(): Promise<RunningMockServer> {
    await new Promise<void>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => {
        const where = `${resolved.host}:${resolved.port}`
        reject(
          error.code === 'EADDRINUSE'
            ? new GetRazeMockError(
                'PORT_IN_USE',
                `Failed to start the mock server: port ${resolved.port} on ${resolved.host} is already in use. Stop the other process or pick another port with --port (0 picks a free one).`,
                { cause: error },
              )
            : new GetRazeMockError(
                'SERVER_START_FAILED',
                `Failed to start the mock server: cannot listen on ${where} (${error.code ?? error.message}). Check --host and --port.`,
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

    let closing: Promise<void> | undefined
    const close = () => {
      closing ??= new Promise<void>((resolve) => {
        process.off('SIGINT', close)
        process.off('SIGTERM', close)
        server.close(() => resolve())
        server.closeAllConnections()
      })
      return closing
    }
    if (resolved.handleSignals) {
      process.once('SIGINT', close)
      process.once('SIGTERM', close)
    }
    return { url: `http://${host}:${port}`, mock, close }
  }

  return { server, mock, listen }
}
