// Issue 18, item 10: a scripted 500 (an INTERNAL_ERROR fault, `Prefer: code=500`) was worded like
// a real crash ("An unexpected error occurred in the mock. See its log for details.") and the
// request log did not say it was scripted.
import { expect, it, onTestFinished } from 'vitest'
import { formatRequestLog } from '../../src/cli/formatRequestLog.js'
import { startMockServer } from '../../src/server/startMockServer.js'
import { stagePath } from '../support/transports.js'

it('says a scripted 500 was scripted, in the answer and in the request log', async () => {
  const lines: string[] = []
  const running = await startMockServer({ port: 0, onRequest: (entry) => lines.push(formatRequestLog(entry)) })
  onTestFinished(() => running.close())
  const faultId = running.mock.faults.add({ error: 'INTERNAL_ERROR', times: 1 })
  const send = (headers: Record<string, string> = {}) =>
    fetch(`${running.url}${stagePath('opp_abc123def456')}`, {
      method: 'PATCH',
      headers: { 'x-api-key': 'YOUR_API_KEY', 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ status: 'won' }),
    })

  const byFault = (await (await send()).json()) as { error: { code: string; message: string } }
  const byPrefer = (await (await send({ prefer: 'code=500' })).json()) as { error: { code: string; message: string } }
  await send()

  expect(byFault.error).toEqual({ code: 'INTERNAL_ERROR', message: `A scripted 500 (fault ${faultId}): the mock did not fail. Remove the fault to get the documented answer.` })
  expect(byPrefer.error).toEqual({ code: 'INTERNAL_ERROR', message: 'A scripted 500 (the Prefer header): the mock did not fail. Remove the header to get the documented answer.' })
  expect(lines).toHaveLength(3)
  expect(lines[0]).toMatch(new RegExp(` 500 \\S+ms key=YOUR\\*\\*\\* scripted=${faultId}$`))
  expect(lines[1]).toMatch(/ 500 \S+ms key=YOUR\*\*\* scripted=Prefer$/)
  expect(lines[2]).toMatch(/ 200 \S+ms key=YOUR\*\*\*$/)
})
