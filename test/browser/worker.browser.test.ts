/**
 * The msw handlers in a real browser: `test/browser/app.ts` is bundled with esbuild, served with
 * msw's worker script from a local server, and loaded in Debian's Chromium through playwright-core.
 * The page starts `setupWorker(...mock.handlers)` and calls the stage endpoint with `fetch`, so the
 * answers below came through the service worker.
 *
 * Needs Chromium at /usr/bin/chromium (`apt-get install -y chromium`; .ci/run installs it). In CI
 * (CI set) a missing browser fails the test; elsewhere it is skipped with a warning, so `npm test`
 * on a fresh machine still runs everything else. GETRAZE_SKIP_BROWSER=1 skips it anywhere.
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { build, stop as stopEsbuild } from 'esbuild'
import { chromium } from 'playwright-core'
import type { Browser } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import type { TestContext } from 'vitest'
import type { ControlResult, PageOutcome, PageResult } from './app.js'
import { documentedResponse } from '../support/documentedResponse.js'
import { createMockServer } from '../../src/server/createMockServer.js'
import type { RunningMockServer } from '../../src/server/createMockServer.js'

const chromiumPath = '/usr/bin/chromium'
const skipBrowser = process.env.GETRAZE_SKIP_BROWSER === '1'

const launchOptions = {
  executablePath: chromiumPath,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
  // Generous: on a loaded 2-core machine (load 13 while npm test ran) Chromium took over 10 s to start.
  timeout: 60_000,
}


const indexHtml = `<!doctype html>
<html>
  <head><meta charset="utf-8"><title>getraze-mock in the browser</title><link rel="icon" href="data:,"></head>
  <body><script type="module" src="/app.js"></script></body>
</html>
`

/** Bundles the page's entry for the browser, in memory. */
async function bundleApp(): Promise<Uint8Array> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./app.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
  })
  const [output] = result.outputFiles
  if (!output) throw new Error('esbuild produced no bundle for test/browser/app.ts')
  return output.contents
}

/** Serves the page, its bundle and msw's worker script on 127.0.0.1 at a free port. */
async function serve(files: Record<string, { type: string; body: string | Uint8Array }>): Promise<Server> {
  const server = createServer((request, response) => {
    const file = files[new URL(request.url ?? '/', 'http://localhost').pathname]
    if (!file) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
      return
    }
    response.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  return server
}

let server: Server | undefined
let attackServer: Server | undefined
let mockServer: RunningMockServer | undefined
let browser: Browser | undefined

afterAll(async () => {
  await browser?.close()
  for (const each of [server, attackServer]) {
    if (!each) continue
    each.closeAllConnections()
    await new Promise<void>((resolve) => each.close(() => resolve()))
  }
  await mockServer?.close()
  await stopEsbuild()
})

/** Skips the test without Chromium (fails in CI), and launches it once for the file. */
async function launchChromium(context: TestContext): Promise<Browser> {
  if (skipBrowser) {
    const note = 'GETRAZE_SKIP_BROWSER=1: skipped the browser test of the msw worker (setupWorker in Chromium)'
    console.warn(note)
    context.skip(note)
  }
  if (!existsSync(chromiumPath) && !process.env.CI) {
    const note = `skipped the browser test: no Chromium at ${chromiumPath} (apt-get install -y chromium to run it)`
    console.warn(note)
    context.skip(note)
  }
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `This test drives Chromium at ${chromiumPath}, which is missing. Install it with ` +
        '`apt-get update && apt-get install -y chromium` (Debian/Ubuntu, as root), ' +
        'or set GETRAZE_SKIP_BROWSER=1 to skip the browser test.',
    )
  }
  browser ??= await chromium.launch(launchOptions)
  return browser
}

/**
 * A page on another origin that tries what a malicious site would (issue 15): plant an API key
 * with `*` permissions and add faults in the standalone server's admin API, with bodies a page
 * may send cross-origin without a preflight (text/plain, a form), and with JSON. It cannot read
 * the answers; it records how each `fetch` ended.
 */
const attackHtml = `<!doctype html>
<html>
  <head><meta charset="utf-8"><title>another origin</title><link rel="icon" href="data:,"></head>
  <body><script type="module">
    const target = new URL(location.href).searchParams.get('target')
    const planted = { accounts: [{ id: 'acc_attacker', name: 'Attacker' }], apiKeys: [{ key: 'gr_attacker', account: 'acc_attacker', permissions: ['*'] }] }
    const attempts = [
      ['fixtures as text/plain', '/__admin/fixtures', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify(planted) }],
      ['fault as text/plain', '/__admin/faults', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify({ error: 'INTERNAL_ERROR' }) }],
      ['fault as a form', '/__admin/faults', { method: 'POST', body: new URLSearchParams({ error: 'INTERNAL_ERROR' }) }],
      ['fault as no-cors', '/__admin/faults', { method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify({ network: 'reset' }) }],
      ['fault as JSON', '/__admin/faults', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ error: 'INTERNAL_ERROR' }) }],
      ['reset', '/__admin/reset', { method: 'POST', mode: 'no-cors' }],
    ]
    const results = {}
    for (const [name, path, init] of attempts) {
      try {
        const response = await fetch(target + path, init)
        results[name] = 'answered ' + response.type + ' ' + response.status
      } catch (error) {
        results[name] = error.name
      }
    }
    window.__attack = results
  </script></body>
</html>
`

describe('the msw handlers in a real browser (setupWorker)', () => {
  it("answers the page's fetch through the service worker as documented, and journals and faults it", { timeout: 180_000 }, async (context) => {
    const browser = await launchChromium(context)

    const workerPath = createRequire(import.meta.url).resolve('msw/mockServiceWorker.js')
    const [bundle, workerScript] = await Promise.all([bundleApp(), readFile(workerPath, 'utf8')])
    server = await serve({
      '/': { type: 'text/html; charset=utf-8', body: indexHtml },
      '/app.js': { type: 'text/javascript; charset=utf-8', body: bundle },
      '/mockServiceWorker.js': { type: 'text/javascript; charset=utf-8', body: workerScript },
    })
    const { port } = server.address() as AddressInfo

    const page = await browser.newPage()
    const pageLog: string[] = []
    page.on('console', (message) => pageLog.push(`console.${message.type()}: ${message.text()}`))
    page.on('pageerror', (error) => pageLog.push(`page error: ${error.message}`))

    await page.goto(`http://127.0.0.1:${port}/`)
    let outcome: PageOutcome | undefined
    try {
      await page.waitForFunction(() => window.__results !== undefined, null, { timeout: 60_000 })
      outcome = await page.evaluate(() => window.__results)
    } catch (error) {
      throw new Error(`The page did not finish: ${(error as Error).message}\n${pageLog.join('\n')}`, { cause: error })
    }
    if (!outcome?.ok) {
      throw new Error(`The page failed: ${outcome?.error ?? 'no outcome'}\n${pageLog.join('\n')}`)
    }

    const { won, readonly, control, read, contact }: { won: PageResult; readonly: PageResult; control: ControlResult; read: PageResult; contact: PageResult } = outcome
    expect(won).toEqual({
      status: 200,
      body: documentedResponse,
      rateLimitRemaining: '999',
      contentType: expect.stringMatching(/^application\/json/),
    })
    expect(readonly).toEqual({
      status: 403,
      body: {
        success: false,
        error: {
          code: 'INSUFFICIENT_PERMISSIONS',
          message: expect.stringMatching(/\S/),
          details: { required: 'opportunities:write', granted: ['contacts:read', 'opportunities:read'] },
        },
      },
      rateLimitRemaining: '999',
      contentType: expect.stringMatching(/^application\/json/),
    })
    expect(read).toMatchObject({ status: 200, body: { success: true, data: { id: 'opp_demo_won', status: 'won' } } })
    // The docs' contact as the get page shows it, read with the read-only key: one budget across endpoints, so its refused stage update counted.
    expect(contact).toMatchObject({
      status: 200,
      body: { success: true, data: { id: 'cnt_abc123def456', name: 'John Doe', tags: ['prospect', 'decision-maker'], custom_fields: { industry: 'Technology', company_size: '50-200' } } },
      rateLimitRemaining: '998',
    })
    // Test control in the browser: the journal and faults of the same mock, through the worker.
    expect(control).toEqual({
      journaled: 2,
      limited: { status: 429, code: 'RATE_LIMIT_EXCEEDED', retryAfter: '3600', remaining: '0' },
      afterFault: 200,
      resetError: 'TypeError',
      statuses: [403, 200, 429, 200, 0],
      expectPassed: true,
      mismatch: {
        code: 'CALLS_MISMATCH',
        message: expect.stringMatching(/^Failed to verify calls: expected 2 requests matching status 429, found 1\.\nNear misses/),
      },
    })
  })
  it('refuses every admin request a page on another origin sends to the standalone server, and changes nothing', { timeout: 180_000 }, async (context) => {
    const browser = await launchChromium(context)
    const created = createMockServer({ port: 0, now: '2024-01-25T10:00:00Z' })
    // What the server answered each admin request: the page itself cannot read it.
    const answered: string[] = []
    created.server.on('request', (request, response) => {
      if (request.url?.startsWith('/__admin')) response.once('finish', () => answered.push(`${request.method} ${request.url} ${response.statusCode}`))
    })
    mockServer = await created.listen()
    attackServer = await serve({ '/': { type: 'text/html; charset=utf-8', body: attackHtml } })
    const attackOrigin = `http://127.0.0.1:${(attackServer.address() as AddressInfo).port}`
    expect(attackOrigin).not.toBe(mockServer.url)

    const page = await browser.newPage()
    await page.goto(`${attackOrigin}/?target=${encodeURIComponent(mockServer.url)}`)
    await page.waitForFunction(() => (window as { __attack?: unknown }).__attack !== undefined, null, { timeout: 60_000 })
    const attempts = await page.evaluate(() => (window as unknown as { __attack: Record<string, string> }).__attack)

    // Chromium sent the simple requests, each refused; the JSON one stopped at its refused preflight.
    expect(attempts).toEqual({
      'fixtures as text/plain': 'TypeError',
      'fault as text/plain': 'TypeError',
      'fault as a form': 'TypeError',
      'fault as no-cors': 'answered opaque 0',
      'fault as JSON': 'TypeError',
      reset: 'answered opaque 0',
    })
    expect(answered.sort()).toEqual([
      'OPTIONS /__admin/faults 403',
      'POST /__admin/faults 403',
      'POST /__admin/faults 403',
      'POST /__admin/faults 403',
      'POST /__admin/fixtures 403',
      'POST /__admin/reset 403',
    ])
    expect(mockServer.mock.store.findApiKey('gr_attacker')).toBeUndefined()
    expect(mockServer.mock.faults.list()).toEqual([])
    const api = await fetch(`${mockServer.url}/external/v1/opportunities/opp_abc123def456/stage`, {
      method: 'PATCH',
      headers: { 'x-api-key': 'YOUR_API_KEY', 'content-type': 'application/json' },
      body: '{"status":"won"}',
    })
    expect(api.status).toBe(200)
  })
})
