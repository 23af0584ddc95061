import { startMockServer } from '/work/main/dist/server/index.js'
import { createGetRazeMock } from '/work/main/dist/index.js'
import { setupServer } from 'msw/node'
const logs=[]
const s = await startMockServer({ port: 0, onRequest: e => logs.push(e) })
const deep = '{"status":' + '['.repeat(5000) + ']'.repeat(5000) + '}'
const h = { 'x-api-key': 'YOUR_API_KEY', 'content-type': 'application/json' }
try { const r = await fetch(s.url + '/external/v1/opportunities/opp_abc123def456/stage', { method: 'PATCH', headers: h, body: deep }); console.log('deep', r.status, (await r.text()).slice(0,200)) } catch (e) { console.log('deep err', e.message) }
const r2 = await fetch(s.url + '/external/v1/opportunities/%E0%A4/stage', { method: 'PATCH', headers: h, body: '{"status":"won"}' }); console.log('pct server', r2.status, await r2.text())
const r3 = await fetch(s.url + '/external/v1/opportunities/opp_abc123def456/stage?api%5Fkey=YOUR_API_KEY', { method: 'PATCH', body: '{"status":"won"}' }); console.log('mask', r3.status, JSON.stringify(logs.at(-1)))
await s.close()
const mock = createGetRazeMock(); const ms = setupServer(...mock.handlers); ms.listen()
const r4 = await fetch('http://x.test/external/v1/opportunities/%E0%A4/stage', { method: 'PATCH', headers: h, body: '{"status":"won"}' }); console.log('pct msw', r4.status, (await r4.text()).slice(0,200))
const r5 = await fetch('http://x.test/external/v1/opportunities/opp_abc123def456/stage', { method: 'PATCH', headers: h, body: deep }); console.log('deep msw', r5.status, (await r5.text()).slice(0,200))
ms.close()
