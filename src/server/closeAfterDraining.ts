import type { Readable } from 'node:stream'
import type { Socket } from 'node:net'

/** How long, and how much, a closing connection is drained. */
export interface DrainLimits {
  /** Bytes read and discarded at most. */
  maxBytes: number
  /** Milliseconds spent draining at most. */
  maxMs: number
  /** Milliseconds without a byte from the client after which draining stops. */
  idleMs: number
}

/**
 * The defaults: enough for a client that uploads tens of MiB over a local connection before it
 * reads (50 MiB drains in well under a second on loopback), small enough that a client cannot
 * hold a connection open for long.
 */
export const drainLimits: DrainLimits = { maxBytes: 64 * 1024 * 1024, maxMs: 3000, idleMs: 1000 }

/** How often the bytes read are checked against the limits. */
const checkEveryMs = 50

/** Sockets being drained; a second call for one changes nothing. */
const draining = new WeakSet<Socket>()

/**
 * Closes a connection without losing the answer just written to it. Closing a socket while the
 * client's bytes are still arriving makes the kernel send a TCP reset, and a client that sends its
 * whole body before reading (most raw clients, sometimes `fetch`) then loses the answer it has
 * not read yet. So: end our side (the client sees the answer, then end of stream), read and
 * discard what it still sends, and close once it closes its side, goes quiet, or a limit is hit.
 *
 * `source` is what to keep flowing: the socket itself, or the request when Node's HTTP parser
 * still reads the socket (which then drops the body of an answered request). Bytes are counted on
 * the socket (`bytesRead`), which sees them either way.
 *
 * @example
 * socket.end(answer)
 * closeAfterDraining(socket)
 */
export function closeAfterDraining(socket: Socket, source: Readable = socket, limits: DrainLimits = drainLimits): void {
  if (socket.destroyed || draining.has(socket)) return
  draining.add(socket)
  const first = socket.bytesRead
  let last = first
  let quietMs = 0
  const stop = () => {
    clearTimeout(total)
    clearInterval(check)
    socket.destroy()
  }
  const total = setTimeout(stop, limits.maxMs)
  const check = setInterval(() => {
    const read = socket.bytesRead
    if (read - first > limits.maxBytes) return stop()
    quietMs = read === last ? quietMs + checkEveryMs : 0
    last = read
    if (quietMs >= limits.idleMs) stop()
  }, checkEveryMs)
  source.resume()
  socket.once('close', stop)
  // The client closing its side ends the exchange; with allowHalfOpen (Node's HTTP server sets it)
  // the socket would otherwise wait for us.
  socket.once('end', stop)
  if (!socket.writableEnded) socket.end()
}
