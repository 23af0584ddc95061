import type { IncomingMessage, ServerResponse } from 'node:http'
import { authorizeAdmin } from '../admin/authorizeAdmin.js'
import type { AdminAccess } from '../admin/authorizeAdmin.js'
import { adminBasePath } from '../admin/createAdminRouter.js'
import type { AdminResponse, AdminRouter } from '../admin/createAdminRouter.js'
import type { MockRequest } from '../core/MockRequest.js'

/** Whether a path belongs to the admin API. */
export function isAdminPath(path: string): boolean {
  return path.startsWith(adminBasePath) && (path.length === adminBasePath.length || path[adminBasePath.length] === '/')
}

const internalError: AdminResponse = {
  status: 500,
  body: { success: false, error: { code: 'INTERNAL_ERROR', message: 'An unexpected error occurred in the mock. See its log for details.' } },
}

/**
 * Answers an admin request on the standalone server: checks who may call (`Host`, `Origin`,
 * loopback or the admin token), routes it, serialises and writes the JSON. Every step, writing
 * included, runs inside one guard: whatever fails is logged and answered with the 500 envelope
 * (or, once the headers are out, the connection is closed); nothing escapes as an unhandled
 * rejection (a journal answer that could not be serialised once killed the server, issue 15).
 * Never touches the pipeline, so admin requests are neither journaled nor rate limited.
 *
 * @example
 * if (isAdminPath(path)) return handleAdminHttp(router, { token }, request, response, mockRequest, console.error)
 */
export function handleAdminHttp(
  router: AdminRouter,
  access: AdminAccess,
  request: IncomingMessage,
  response: ServerResponse,
  mockRequest: MockRequest,
  onUnexpectedError: (error: unknown) => void,
  closeConnection = false,
): void {
  const write = (answer: AdminResponse) => {
    const headers: Record<string, string> = { ...answer.headers }
    if (closeConnection) headers.connection = 'close'
    if (answer.body === undefined) {
      response.writeHead(answer.status, headers).end()
      return
    }
    // Serialised before anything is written, so a failure here can still be answered.
    const json = JSON.stringify(answer.body)
    headers['content-type'] = 'application/json; charset=utf-8'
    headers['content-length'] = String(Buffer.byteLength(json))
    response.writeHead(answer.status, headers).end(json)
  }

  const decide = async (): Promise<AdminResponse> => {
    const refused = authorizeAdmin(
      {
        remoteAddress: request.socket.remoteAddress,
        authorization: mockRequest.header('authorization') ?? undefined,
        host: mockRequest.header('host') ?? undefined,
        origin: mockRequest.header('origin') ?? undefined,
      },
      access,
    )
    if (refused) return refused
    return router({
      method: mockRequest.method,
      path: mockRequest.path.slice(adminBasePath.length),
      query: mockRequest.query,
      body: mockRequest.body,
      bodyTooLarge: mockRequest.bodyTooLarge,
      contentType: mockRequest.header('content-type') ?? undefined,
      host: request.headers.host,
    })
  }

  const report = (error: unknown) => {
    try {
      onUnexpectedError(error)
    } catch {
      // A failing logger must not take the answer with it.
    }
  }

  void (async () => {
    let answer: AdminResponse
    try {
      answer = await decide()
    } catch (error) {
      report(error)
      answer = internalError
    }
    try {
      write(answer)
    } catch (error) {
      report(error)
      try {
        if (response.headersSent) response.destroy()
        else write(internalError)
      } catch {
        response.destroy()
      }
    }
  })()
}
