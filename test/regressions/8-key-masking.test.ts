import { expect, it, onTestFinished } from 'vitest'
import { formatRequestLog, printable } from '../../src/cli/formatRequestLog.js'
import { maskQueryApiKeys, readQueryApiKey } from '../../src/core/queryApiKey.js'
import type { RequestLogEntry } from '../../src/server/createRequestListener.js'
import { startMockServer } from '../../src/server/startMockServer.js'
import { docsNow } from '../support/transports.js'

// Issue 8, defect 6: a percent-encoded `api_key` name was accepted but printed whole in the log.

it.each(['api%5Fkey', '%61pi_key', 'api_k%65y', 'api_key'])(
  'accepts the key sent as ?%s= and logs it masked',
  async (name) => {
    const lines: string[] = []
    const running = await startMockServer({
      now: docsNow,
      port: 0,
      onRequest: (entry: RequestLogEntry) => lines.push(formatRequestLog(entry)),
    })
    onTestFinished(() => running.close())

    const response = await fetch(`${running.url}/external/v1/opportunities/opp_abc123def456/stage?${name}=YOUR_API_KEY&x=1`, {
      method: 'PATCH',
      body: '{"status":"won"}',
    })

    expect(response.status).toBe(200)
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`^PATCH /external/v1/opportunities/opp_abc123def456/stage\\?${name}=YOUR\\*\\*\\*&x=1 200 [\\d.]+ms key=YOUR\\*\\*\\*$`)),
    ])
    expect(lines.join('\n')).not.toContain('YOUR_API_KEY')
  },
)

it('reads and masks the query key with the same parsing', () => {
  const query = 'a=1&api%5Fkey=gr_live_secret_value&api_key=second'
  expect(readQueryApiKey(query)).toBe('gr_live_secret_value')
  expect(maskQueryApiKeys(query, () => '***')).toBe('a=1&api%5Fkey=***&api_key=***')
  expect(maskQueryApiKeys('api_key=%E0', () => '***')).toBe('api_key=***')
})

it('escapes control characters in every logged value', () => {
  const line = formatRequestLog({
    method: 'PATCH',
    path: '/x\r\nFAKE 200\u001b[31m',
    status: 404,
    durationMs: 0.1,
    apiKey: 'ab\n***',
  })
  expect(line).toBe('PATCH /x\\x0d\\x0aFAKE 200\\x1b[31m 404 0.1ms key=ab\\x0a***')
  expect(printable('plain')).toBe('plain')
})
