import type { IncomingMessage } from 'node:http'

/**
 * The request's body as JSON, or `undefined` when it is not JSON: how the test providers read
 * what they are sent.
 *
 * @example
 * const body = (await readJson(request)) as { status?: string } | undefined
 */
export async function readJson(request: IncomingMessage): Promise<unknown> {
  let text = ''
  for await (const chunk of request) text += chunk
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
