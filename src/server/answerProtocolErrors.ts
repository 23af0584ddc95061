import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import { endpoints } from '../contract/endpoints.js'
import { apiErrorResponse, transportErrorMessages } from '../core/apiError.js'
import type { MockResponse } from '../core/MockRequest.js'
import { closeAfterDraining } from './closeAfterDraining.js'
import type { ConnectionTracker } from './createConnectionTracker.js'

/** What Node's parser reports, mapped to the envelope; anything else is a malformed request. */
function toEnvelope(error: NodeJS.ErrnoException): MockResponse {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return apiErrorResponse('HEADERS_TOO_LARGE', transportErrorMessages.HEADERS_TOO_LARGE)
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return apiErrorResponse('REQUEST_TIMEOUT', transportErrorMessages.REQUEST_TIMEOUT)
    default:
      return apiErrorResponse('VALIDATION_ERROR', `The request is not valid HTTP/1.1 (${error.code ?? 'parse error'}).`)
  }
}

/** The API's methods, for the `Allow` header of a refused `CONNECT`. */
const apiMethods = [...new Set(endpoints.map((endpoint) => endpoint.method))]

/**
 * `CONNECT` asks for a tunnel, which only a proxy makes. 405 rather than 400: the request is
 * well-formed HTTP and the method is what the server does not support, the case the mock already
 * answers `METHOD_NOT_ALLOWED` for.
 */
function connectRefused(): MockResponse {
  const answer = apiErrorResponse(
    'METHOD_NOT_ALLOWED',
    `Method CONNECT is not allowed: the mock serves the GetRaze API and is not a proxy. Use ${apiMethods.join(', ')} on the API's paths.`,
    { allow: apiMethods },
  )
  answer.headers.allow = apiMethods.join(', ')
  return answer
}

function rawResponse(response: MockResponse): string {
  const lines = [`HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ''}`]
  for (const [name, value] of Object.entries(response.headers)) lines.push(`${name}: ${value}`)
  lines.push(`content-length: ${Buffer.byteLength(response.text)}`, 'connection: close', '', response.text)
  return lines.join('\r\n')
}

/**
 * Answers in the envelope what Node's HTTP parser rejects before any request exists (bad
 * framing, a duplicate `Content-Length`, oversized headers, a slow sender), an `Expect` other
 * than `100-continue`, and `CONNECT`. Node's own answers are bare status lines or nothing at all
 * (a `CONNECT` without a listener destroys the connection, with the answers to the requests
 * before it). Each is written after the answers to the requests before it on the connection.
 *
 * @example
 * answerProtocolErrors(server, createConnectionTracker(listener), 1 << 20)
 */
export function answerProtocolErrors(server: Server, tracker: ConnectionTracker, maxBodyBytes: number): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // A reset leaves nothing to say; just let the socket go.
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy()
      return
    }
    const answer = rawResponse(toEnvelope(error))
    // Bytes after complete requests can fail to parse while those are still being answered:
    // the error goes after their answers (a request cut short by the error is never answered).
    tracker.afterAnswers(socket, () => {
      if (socket.writable && !socket.writableEnded) socket.end(answer)
    })
  })

  // Node detaches the connection from its parser for CONNECT; what the client sends after it
  // is read and dropped (closeAfterDraining), so closing cannot reset the answer away.
  server.on('connect', (_request: IncomingMessage, socket: Socket) => {
    // Node took its own error listener off with the parser; a reset must not crash the process.
    socket.on('error', () => socket.destroy())
    tracker.afterAnswers(socket, () => {
      if (socket.writable && !socket.writableEnded) socket.write(rawResponse(connectRefused()))
      closeAfterDraining(socket)
    })
  })

  server.on('checkExpectation', (_request: IncomingMessage, response: ServerResponse) => {
    const answer = apiErrorResponse('EXPECTATION_FAILED', transportErrorMessages.EXPECTATION_FAILED)
    response.writeHead(answer.status, { ...answer.headers, 'content-length': String(Buffer.byteLength(answer.text)), connection: 'close' })
    response.end(answer.text)
  })

  // `Expect: 100-continue`: a body declared over the limit is refused before the client sends it.
  server.on('checkContinue', (request: IncomingMessage, response: ServerResponse) => {
    const declared = request.headers['content-length']
    if (declared === undefined || Number(declared) <= maxBodyBytes) response.writeContinue()
    tracker.serve(request, response)
  })
}
