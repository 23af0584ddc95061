import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void

/** What the tracker knows of one open connection. */
interface ConnectionAnswers {
  /** The answer to the last request received. */
  last: ServerResponse | undefined
  /** The answer to the request before it. */
  before: ServerResponse | undefined
  /** The answer handed to the listener last. */
  handed: ServerResponse | undefined
}

/** What `createConnectionTracker` returns. */
export interface ConnectionTracker {
  /**
   * The server's `'request'` listener: hands each request to the mock's listener once its answer
   * can be written, in the order the requests arrived on their connection.
   */
  serve: RequestListener
  /** How many answers are being produced now: handed to the listener, not yet sent or abandoned. */
  readonly inFlight: number
  /**
   * Calls `then` once every answer to a request received so far on `socket` has gone out (a
   * request cut short, that nobody answers, is not waited for). Never called when the connection
   * closes first.
   */
  afterAnswers(socket: Duplex, then: () => void): void
  /** From now on every answer closes its connection, the ones in flight included. */
  closeAfterAnswers(): void
}

/**
 * Tracks requests per connection so that every request that is processed is answered.
 *
 * Node parses pipelined requests as soon as their bytes arrive, but gives a request's answer the
 * socket only once the answers before it on the connection are out; when one of those closes
 * the connection (`Connection: close`: an oversized body, an unmet `Expect`, shutdown), the later
 * answers are never written. Processing a request therefore waits until its answer has the
 * socket, and is skipped when the connection is already ending: a request behind a closing
 * answer is not processed, as RFC 9112 (section 9.6) requires, so it cannot change the store
 * unanswered.
 *
 * @example
 * const tracker = createConnectionTracker(createRequestListener(options))
 * const server = http.createServer(tracker.serve)
 */
export function createConnectionTracker(listener: RequestListener): ConnectionTracker {
  /**
   * Per open connection: the last two answers (enough for afterAnswers: answers go out in order,
   * and only the last request can be cut short) and the one handed to the listener. One object
   * per connection, forgotten when it closes, rather than listeners and set entries per request:
   * this runs on every request, and a `'close'` listener per answer cost more than the rest of
   * the tracking together (decisions/0152).
   */
  const connections = new Map<Duplex, ConnectionAnswers>()
  let closing = false

  function start(request: IncomingMessage, response: ServerResponse, connection: ConnectionAnswers): void {
    const socket = response.socket
    if (!socket || socket.destroyed || socket.writableEnded) return
    // Node reads nothing more on a connection after a request asking for an upgrade it does not
    // make (no 'upgrade' listener): the answer says so, instead of leaving pipelined requests
    // waiting on a connection announced as kept alive.
    if (closing || request.headers.upgrade !== undefined) response.setHeader('connection', 'close')
    // Node hands a connection's answers the socket one at a time, so at most one is in flight.
    connection.handed = response
    listener(request, response)
  }

  /** Answers handed to the listener and neither sent in full nor cut off with their connection. */
  function answersInFlight(): ServerResponse[] {
    const answers: ServerResponse[] = []
    for (const { handed } of connections.values()) if (handed && !handed.writableFinished) answers.push(handed)
    return answers
  }

  return {
    serve(request, response) {
      const socket = request.socket
      let connection = connections.get(socket)
      if (!connection) {
        const created: ConnectionAnswers = { last: undefined, before: undefined, handed: undefined }
        connections.set(socket, (connection = created))
        socket.once('close', () => connections.delete(socket))
      }
      connection.before = connection.last
      connection.last = response
      const current = connection
      if (response.socket) start(request, response, current)
      else response.once('socket', () => start(request, response, current))
    },
    get inFlight() {
      return answersInFlight().length
    },
    afterAnswers(socket, then) {
      // The last request is waited for when it is complete or already being answered (an early
      // 413), since its answer then goes out; else the one before it, which is complete.
      const connection = connections.get(socket)
      const last = connection?.last
      const waitFor = last && (last.req.complete || last.headersSent) ? last : connection?.before
      if (!waitFor || waitFor.writableFinished) {
        then()
        return
      }
      if (waitFor.destroyed) return
      const onClose = () => waitFor.off('finish', onFinish)
      const onFinish = () => {
        socket.off('close', onClose)
        then()
      }
      waitFor.once('finish', onFinish)
      socket.once('close', onClose)
    },
    closeAfterAnswers() {
      closing = true
      for (const response of answersInFlight()) if (!response.headersSent) response.setHeader('connection', 'close')
    },
  }
}
