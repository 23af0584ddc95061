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

/** Sockets being drained; a second call for one changes nothing. */
const draining = new WeakSet<Socket>()

/**
 * Closes a connection without losing the answer just written to it. Closing a socket while the
 * client's bytes are still arriving makes the kernel send a TCP reset, and a client that sends its
 * whole body before reading (most raw clients, sometimes `fetch`) then loses the answer it has
 * not read yet. So: end our side (the client sees the answer, then end of stream), read and
 * discard what it still sends, and close once it closes its side, goes quiet, or a limit is hit.
 *
 * `source` is where the bytes come out: the socket itself, or the request when Node's HTTP
 * parser still reads the socket (its bytes then arrive as the request's body).
 *
 * @example
 * socket.end(answer)
 * closeAfterDraining(socket)
 */
export function closeAfterDraining(socket: Socket, source: Readable = socket, limits: DrainLimits = drainLimits): void {
  if (socket.destroyed || draining.has(socket)) return
  draining.add(socket)
  let drained = 0
  const stop = () => {
    clearTimeout(total)
    clearTimeout(idle)
    source.off('data', onData)
    socket.destroy()
  }
  const total = setTimeout(stop, limits.maxMs)
  let idle = setTimeout(stop, limits.idleMs)
  const onData = (chunk: Buffer) => {
    drained += chunk.length
    if (drained > limits.maxBytes) return stop()
    clearTimeout(idle)
    idle = setTimeout(stop, limits.idleMs)
  }
  source.on('data', onData)
  source.resume()
  socket.once('close', stop)
  // The client closing its side ends the exchange; with allowHalfOpen (Node's HTTP server sets it)
  // the socket would otherwise wait for us.
  socket.once('end', stop)
  if (!socket.writableEnded) socket.end()
}
