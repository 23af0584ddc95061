import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void

/** What `createConnectionTracker` returns. */
export interface ConnectionTracker {
  /**
   * The server's `'request'` listener: hands each request to the mock's listener once its answer
   * can be written, in the order the requests arrived on their connection.
   */
  serve: RequestListener
  /** Answers being produced now: handed to the listener, not yet sent or abandoned. */
  readonly inFlight: ReadonlySet<ServerResponse>
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
  const inFlight = new Set<ServerResponse>()
  // The last two answers per connection, enough for afterAnswers: answers go out in order, and
  // only the last request can be cut short. Two WeakMaps, not a list: this runs per request.
  const lastAnswer = new WeakMap<Duplex, ServerResponse>()
  const answerBefore = new WeakMap<Duplex, ServerResponse>()
  let closing = false
  // One listener for every answer: a closure and a `once` wrapper per request cost more.
  function forget(this: ServerResponse) {
    inFlight.delete(this)
  }

  function start(request: IncomingMessage, response: ServerResponse): void {
    const socket = response.socket
    if (!socket || socket.destroyed || socket.writableEnded) return
    // Node reads nothing more on a connection after a request asking for an upgrade it does not
    // make (no 'upgrade' listener): the answer says so, instead of leaving pipelined requests
    // waiting on a connection announced as kept alive.
    if (closing || request.headers.upgrade !== undefined) response.setHeader('connection', 'close')
    inFlight.add(response)
    response.on('close', forget)
    listener(request, response)
  }

  return {
    serve(request, response) {
      const socket = request.socket
      const previous = lastAnswer.get(socket)
      if (previous) answerBefore.set(socket, previous)
      lastAnswer.set(socket, response)
      if (response.socket) start(request, response)
      else response.once('socket', () => start(request, response))
    },
    inFlight,
    afterAnswers(socket, then) {
      // The last request is waited for when it is complete or already being answered (an early
      // 413), since its answer then goes out; else the one before it, which is complete.
      const last = lastAnswer.get(socket)
      const waitFor = last && (last.req.complete || last.headersSent) ? last : answerBefore.get(socket)
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
      for (const response of inFlight) if (!response.headersSent) response.setHeader('connection', 'close')
    },
  }
}
