import { request as httpRequest } from 'node:http'
import type { Agent, IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib'
import type { CapturedExchange } from './createMirror.js'

/** Where requests go: the target's origin and base path, and the credentials its URL carried. */
export interface ForwardTarget {
  url: URL
  /** The URL's path without its trailing slash: put before every request's path. */
  basePath: string
  /** `Basic ...` from the URL's `user:password@`, for requests without an `Authorization` of their own. */
  authorization: string | undefined
  /** The target as it may be printed. */
  shown: string
  agent: Agent
}

/** Limits of one forwarded exchange. */
export interface ForwardLimits {
  maxBodyBytes: number
  targetTimeoutMs: number
}

/** Headers of one connection, not of the message: never forwarded (RFC 9110, 7.6.1). */
const hopByHop = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade'])

function endToEnd(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const named = String(headers.connection ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
  const kept: OutgoingHttpHeaders = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || hopByHop.has(name) || named.includes(name)) continue
    kept[name] = value
  }
  return kept
}

function flatten(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return flat
}

/** Collects a body up to a limit; past it, keeps nothing (the body is forwarded, not recorded). */
function createCapture(limit: number) {
  let chunks: Buffer[] = []
  let size = 0
  let over = false
  return {
    push(chunk: Buffer) {
      if (over) return
      size += chunk.length
      if (size > limit) {
        over = true
        chunks = []
        return
      }
      chunks.push(chunk)
    },
    get over() {
      return over
    },
    bytes(): Buffer | undefined {
      return over ? undefined : Buffer.concat(chunks, size)
    },
  }
}

/** The answer's bytes as text, decoded per `Content-Encoding` (bounded); `undefined` when they cannot be. */
function decode(bytes: Buffer, encoding: string | undefined, limit: number): string | undefined {
  const name = (encoding ?? '').trim().toLowerCase()
  try {
    if (name === '' || name === 'identity') return bytes.toString('utf8')
    if (name === 'gzip' || name === 'x-gzip') return gunzipSync(bytes, { maxOutputLength: limit }).toString('utf8')
    if (name === 'deflate') return inflateSync(bytes, { maxOutputLength: limit }).toString('utf8')
    if (name === 'br') return brotliDecompressSync(bytes, { maxOutputLength: limit }).toString('utf8')
  } catch {
    return undefined
  }
  return undefined
}

/** How to make the recorder trust a target's certificate: Node's own setting, read when the process starts. */
const trustFix = "Start the recorder with NODE_EXTRA_CA_CERTS set to a PEM file of the certificate's CA (or of the certificate itself, when it signed itself)"

/** Node's codes for a certificate that does not verify (self-signed, unknown CA, expired, another host's). */
function isCertificateProblem(code: string | undefined): boolean {
  return code !== undefined && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ALTNAME/.test(code)
}

/** The recorder's own answers (the target did not answer), in the API's envelope. */
function answerSelf(response: ServerResponse, status: number, code: string, message: string) {
  if (response.headersSent) {
    response.destroy()
    return
  }
  const body = JSON.stringify({ success: false, error: { code, message } })
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) })
  response.end(body)
}

/** Why the exchange was not recorded, when it was forwarded but not kept. */
export type Unrecorded = 'too large' | 'not decodable' | 'not answered' | 'aborted'

/**
 * Forwards one request to the target as it came (method, path, query, headers but the
 * connection's own, the body as a stream) and streams the answer back as it comes, keeping a
 * copy of each body up to `maxBodyBytes` for the recording. Calls `done` once with the exchange
 * (or why it was not kept). When the target does not answer, the client gets 502 `BAD_GATEWAY`
 * or 504 `GATEWAY_TIMEOUT` in the API's envelope.
 *
 * @example
 * forwardRequest(request, response, target, limits, (exchange) => record(exchange))
 */
export function forwardRequest(
  request: IncomingMessage,
  response: ServerResponse,
  target: ForwardTarget,
  limits: ForwardLimits,
  done: (exchange: CapturedExchange | Unrecorded, problem?: string) => void,
): void {
  let finished = false
  const finish = (exchange: CapturedExchange | Unrecorded, problem?: string) => {
    if (finished) return
    finished = true
    done(exchange, problem)
  }
  const url = request.url ?? '/'
  if (!url.startsWith('/')) {
    answerSelf(response, 400, 'VALIDATION_ERROR', 'Failed to forward the request: its target is not a path (the recorder is not an HTTP proxy for absolute URLs). Send requests to the recorder as to the API, with the API\'s paths.')
    finish('not answered')
    return
  }
  const question = url.indexOf('?')
  const path = question === -1 ? url : url.slice(0, question)
  const query = question === -1 ? '' : url.slice(question + 1)
  const headers = endToEnd(request.headers)
  headers.host = target.url.host
  if (target.authorization !== undefined && headers.authorization === undefined) headers.authorization = target.authorization
  const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest
  const upstream = send({
    protocol: target.url.protocol,
    hostname: target.url.hostname.replace(/^\[|\]$/g, ''),
    port: target.url.port || undefined,
    method: request.method,
    path: `${target.basePath}${url}`,
    headers,
    agent: target.agent,
    timeout: limits.targetTimeoutMs,
  })
  const sent = createCapture(limits.maxBodyBytes)
  const answered = createCapture(limits.maxBodyBytes)

  upstream.on('timeout', () => upstream.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })))
  upstream.on('error', (error: NodeJS.ErrnoException) => {
    if (finished) return
    const timedOut = error.code === 'TIMEOUT'
    const certificate = !timedOut && isCertificateProblem(error.code)
    answerSelf(
      response,
      timedOut ? 504 : 502,
      timedOut ? 'GATEWAY_TIMEOUT' : 'BAD_GATEWAY',
      timedOut
        ? `Failed to forward the request: the target ${target.shown} did not answer within ${limits.targetTimeoutMs} ms. Check that it is up, or raise the timeout.`
        : certificate
          ? `Failed to forward the request: the target ${target.shown} sent a TLS certificate this machine does not trust (${error.code}). ${trustFix}.`
          : `Failed to forward the request: the target ${target.shown} did not answer (${error.code ?? error.message}). Check --target and that the provider is running.`,
    )
    finish('not answered', certificate ? `${error.code}: its TLS certificate is not trusted; ${trustFix.charAt(0).toLowerCase()}${trustFix.slice(1)}` : (error.code ?? error.message))
  })
  upstream.on('response', (answer) => {
    response.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEnd(answer.headers))
    answer.on('data', (chunk: Buffer) => {
      answered.push(chunk)
      if (!response.write(chunk)) {
        answer.pause()
        response.once('drain', () => answer.resume())
      }
    })
    answer.on('end', () => {
      response.end()
      const requestBytes = sent.bytes()
      const answerBytes = answered.bytes()
      if (requestBytes === undefined || answerBytes === undefined) return finish('too large')
      const body = answerBytes.length === 0 ? undefined : decode(answerBytes, answer.headers['content-encoding'], limits.maxBodyBytes)
      if (answerBytes.length > 0 && body === undefined) return finish('not decodable')
      finish({
        method: request.method ?? 'GET',
        path,
        query,
        requestHeaders: flatten(request.headers),
        requestBody: requestBytes.length === 0 ? undefined : requestBytes.toString('utf8'),
        status: answer.statusCode ?? 0,
        responseHeaders: flatten(answer.headers),
        responseBody: body,
        at: new Date(),
      })
    })
    answer.on('error', () => {
      response.destroy()
      finish('aborted')
    })
  })
  // The client went away: nothing more to send it, so nothing more to ask the target.
  response.on('close', () => {
    if (!response.writableFinished) {
      upstream.destroy()
      finish('aborted')
    }
  })
  request.on('data', (chunk: Buffer) => {
    sent.push(chunk)
    if (!upstream.write(chunk)) {
      request.pause()
      upstream.once('drain', () => request.resume())
    }
  })
  request.on('end', () => upstream.end())
  request.on('error', () => upstream.destroy())
}
