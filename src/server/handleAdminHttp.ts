import type { IncomingMessage, ServerResponse } from 'node:http'
import { authorizeAdmin } from '../admin/authorizeAdmin.js'
import { adminBasePath } from '../admin/createAdminRouter.js'
import type { AdminRouter } from '../admin/createAdminRouter.js'
import type { MockRequest } from '../core/MockRequest.js'

/** Whether a path belongs to the admin API. */
export function isAdminPath(path: string): boolean {
  return path.startsWith(adminBasePath) && (path.length === adminBasePath.length || path[adminBasePath.length] === '/')
}

/**
 * Answers an admin request on the standalone server: checks who may call (loopback, or the
 * admin token), routes it, writes the JSON. Never touches the pipeline, so admin requests are
 * neither journaled nor rate limited.
 *
 * @example
 * if (isAdminPath(path)) return handleAdminHttp(router, token, request, response, mockRequest)
 */
export function handleAdminHttp(
  router: AdminRouter,
  token: string | undefined,
  request: IncomingMessage,
  response: ServerResponse,
  mockRequest: MockRequest,
  onUnexpectedError: (error: unknown) => void,
): void {
  const write = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    if (body === undefined) {
      response.writeHead(status, headers).end()
      return
    }
    const json = JSON.stringify(body)
    response
      .writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(json)) })
      .end(json)
  }
  const refused = authorizeAdmin({ remoteAddress: request.socket.remoteAddress, authorization: mockRequest.header('authorization') ?? undefined }, token)
  if (refused) {
    write(refused.status, refused.body)
    return
  }
  router({
    method: mockRequest.method,
    path: mockRequest.path.slice(adminBasePath.length),
    query: mockRequest.query,
    body: mockRequest.body,
    bodyTooLarge: mockRequest.bodyTooLarge,
    host: request.headers.host,
  }).then(
    (answer) => write(answer.status, answer.body, answer.headers),
    (error: unknown) => {
      onUnexpectedError(error)
      write(500, { success: false, error: { code: 'INTERNAL_ERROR', message: 'An unexpected error occurred in the mock. See its log for details.' } })
    },
  )
}
