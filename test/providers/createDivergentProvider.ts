// A provider that drifts from the docs on purpose, in four ways the drift report must name:
// 1. a different error code: NOT_FOUND comes back as OPPORTUNITY_NOT_FOUND;
// 2. extra fields in the success body: deal_value and pipeline_id;
// 3. a missing timestamp: moving to won sends no won_at;
// 4. a status it rejects: `lost` gets 400 INVALID_STATUS.
// It wraps the example provider (accepting the pact's ids) and rewrites its answers.
import { createServer } from 'node:http'
import { createExampleProvider } from '../../examples/provider/createExampleProvider.js'
import { listen as startProvider } from '../../src/verify/loopbackHttp.js'

export async function startDivergentProvider() {
  const inner = createExampleProvider({ ids: 'accept' })
  const upstream = await startProvider(inner.server)
  const seenHeaders: Array<Record<string, string | string[] | undefined>> = []

  const server = createServer(async (request, response) => {
    let text = ''
    for await (const chunk of request) text += chunk
    if (request.method === 'PATCH') seenHeaders.push({ ...request.headers })
    const body = text ? (JSON.parse(text) as { status?: string }) : undefined
    if (request.method === 'PATCH' && body?.status === 'lost') {
      response.writeHead(400, { 'Content-Type': 'application/json', 'X-RateLimit-Limit': '1000', 'X-RateLimit-Remaining': '999', 'X-RateLimit-Reset': '1706184000' })
      response.end(JSON.stringify({ success: false, error: { code: 'INVALID_STATUS', message: 'Status value is not valid' } }))
      return
    }
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(request.headers)) {
      if (typeof value === 'string' && name !== 'host' && name !== 'content-length') headers[name] = value
    }
    const answer = await fetch(`${upstream.url}${request.url}`, { method: request.method, headers, body: text || undefined })
    const json = (await answer.json()) as { success: boolean; data?: Record<string, unknown>; error?: { code: string } }
    if (json.error?.code === 'NOT_FOUND') json.error.code = 'OPPORTUNITY_NOT_FOUND'
    if (json.data) {
      delete json.data.won_at
      json.data.deal_value = 50000
      json.data.pipeline_id = 'pl_default'
    }
    const outHeaders: Record<string, string> = {}
    answer.headers.forEach((value, name) => {
      if (name !== 'content-length' && name !== 'transfer-encoding' && name !== 'connection' && name !== 'keep-alive') outHeaders[name] = value
    })
    response.writeHead(answer.status, outHeaders)
    response.end(JSON.stringify(json))
  })
  const front = await startProvider(server)
  return {
    url: front.url,
    seenHeaders,
    async close() {
      await front.close()
      await upstream.close()
    },
  }
}
