import { expect, it, onTestFinished } from 'vitest'
import { formatRequestLog } from '../../src/cli/formatRequestLog.js'
import { startMockServer } from '../../src/server/startMockServer.js'
import { sendRaw } from '../support/rawHttp.js'

// Issue 15, item 11: the request log let U+2028, U+2029 and U+202E (and other invisible format
// characters) through, so a client could break or disguise a log line.

const entry = { method: 'PATCH', status: 404, durationMs: 0.25, apiKey: undefined }

it.each([
  ['LINE SEPARATOR', '\u2028', '\\u2028'],
  ['PARAGRAPH SEPARATOR', '\u2029', '\\u2029'],
  ['RIGHT-TO-LEFT OVERRIDE', '\u202e', '\\u202e'],
  ['LEFT-TO-RIGHT ISOLATE', '\u2066', '\\u2066'],
  ['ZERO WIDTH SPACE', '\u200b', '\\u200b'],
  ['BYTE ORDER MARK', '\ufeff', '\\ufeff'],
  ['SOFT HYPHEN', '\u00ad', '\\xad'],
  ['NO-BREAK SPACE', '\u00a0', '\\xa0'],
  ['a tag character beyond the BMP', '\u{e0041}', '\\u{e0041}'],
  ['CR LF', '\r\n', '\\x0d\\x0a'],
])('escapes %s in the request log', (_name, char, escaped) => {
  const line = formatRequestLog({ ...entry, path: `/external/v1/a${char}b`, apiKey: `k${char}` })

  expect(line).toBe(`PATCH /external/v1/a${escaped}b 404 0.3ms key=k${escaped}`)
})

it('keeps the log line of a request whose key carries a Latin-1 soft hyphen visible', async () => {
  const lines: string[] = []
  const running = await startMockServer({ port: 0, onRequest: (logged) => lines.push(formatRequestLog(logged)) })
  onTestFinished(() => running.close())
  const request = Buffer.concat([
    Buffer.from('PATCH /external/v1/opportunities/opp_abc123def456/stage HTTP/1.1\r\nHost: x\r\nX-API-Key: '),
    Buffer.from([0xad]),
    Buffer.from('YOUR_API_KEY\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'),
  ])

  await sendRaw(running.url, [request])

  expect(lines).toHaveLength(1)
  expect(lines[0]).toMatch(/ key=\\xad/)
  expect(lines[0]).not.toMatch(/[^\x20-\x7e]/)
})
