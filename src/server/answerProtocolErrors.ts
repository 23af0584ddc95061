import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'
import { apiErrorResponse, transportErrorMessages } from '../core/apiError.js'
import type { MockResponse } from '../core/MockRequest.js'

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

function rawResponse(response: MockResponse): string {
  const lines = [`HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ''}`]
  for (const [name, value] of Object.entries(response.headers)) lines.push(`${name}: ${value}`)
  lines.push(`content-length: ${Buffer.byteLength(response.text)}`, 'connection: close', '', response.text)
  return lines.join('\r\n')
}

/**
 * Answers in the envelope what Node's HTTP parser rejects before any request exists (bad
 * framing, a duplicate `Content-Length`, oversized headers, a slow sender), and an `Expect`
 * other than `100-continue`. Node's own answers are bare status lines or nothing at all.
 *
 * @example
 * answerProtocolErrors(server, (request, response) => listener(request, response), 1 << 20)
 */
export function answerProtocolErrors(
  server: Server,
  listener: (request: IncomingMessage, response: ServerResponse) => void,
  maxBodyBytes: number,
): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // A reset leaves nothing to say; just let the socket go.
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy()
      return
    }
    const answer = rawResponse(toEnvelope(error))
    // Bytes after a complete request can fail to parse while that request is still being
    // answered (its 'end' event comes a tick later). Writing now would put the error before the
    // answer of a request that then still runs and changes data: send it after that answer
    // instead. Node keeps the response in progress on the socket as `_httpMessage` (its own
    // clientError handler reads it too). A request cut short by the error is never answered.
    const inProgress = (socket as { _httpMessage?: ServerResponse | null })._httpMessage
    if (inProgress && !inProgress.writableFinished && inProgress.req.complete) inProgress.once('finish', () => socket.end(answer))
    else socket.end(answer)
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
    listener(request, response)
  })
}
