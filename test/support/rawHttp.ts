import { connect } from 'node:net'

/** What a raw exchange ended with: the bytes the server sent, and how the connection ended. */
export interface RawExchange {
  text: string
  /** The same bytes, undecoded (content lengths count these). */
  bytes: Buffer
  /** The status of the first response, or `undefined` when none came. */
  status: number | undefined
  /** The parsed JSON body of the first response, when it has one. */
  json: unknown
  /** `'closed'` when the server ended the connection, `'timeout'` when we gave up waiting. */
  ended: 'closed' | 'timeout'
}

/**
 * Writes raw bytes to the server (each part after `gapMs`), then reads until the server closes
 * the connection or `timeoutMs` passes. For requests a well-behaved client would never send.
 */
export function sendRaw(
  url: string,
  parts: ReadonlyArray<string | Buffer>,
  options: { gapMs?: number; timeoutMs?: number; keepOpen?: boolean } = {},
): Promise<RawExchange> {
  const { port, hostname } = new URL(url)
  const timeoutMs = options.timeoutMs ?? 3000
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname)
    const received: Buffer[] = []
    let settled = false
    const finish = (ended: RawExchange['ended']) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.destroy()
      const bytes = Buffer.concat(received)
      const text = bytes.toString('utf8')
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]
      const bodyStart = text.indexOf('\r\n\r\n')
      let json: unknown
      try {
        json = bodyStart === -1 ? undefined : JSON.parse(text.slice(bodyStart + 4))
      } catch {
        json = undefined
      }
      resolve({ text, bytes, status: status === undefined ? undefined : Number(status), json, ended })
    }
    const timer = setTimeout(() => finish('timeout'), timeoutMs)
    socket.on('data', (chunk) => received.push(chunk))
    socket.on('close', () => finish('closed'))
    socket.on('error', () => finish('closed'))
    socket.on('connect', async () => {
      for (const part of parts) {
        if (socket.destroyed) return
        socket.write(part)
        if (options.gapMs) await new Promise((wait) => setTimeout(wait, options.gapMs))
      }
      if (!options.keepOpen) socket.end()
    })
  })
}

/** A raw `PATCH` of the docs' opportunity, with the given extra header lines and body. */
export function rawPatch(headerLines: readonly string[], body = ''): string {
  return [
    'PATCH /external/v1/opportunities/opp_abc123def456/stage HTTP/1.1',
    'Host: 127.0.0.1',
    'X-API-Key: YOUR_API_KEY',
    'Content-Type: application/json',
    ...headerLines,
    '',
    body,
  ].join('\r\n')
}
