import { readFileSync } from 'node:fs'
import { expect, it, onTestFinished } from 'vitest'
import { connectAdmin } from '../../src/admin/connectAdmin.js'
import { runCli } from '../../src/cli/runCli.js'
import { toServerOptions } from '../../src/cli/toServerOptions.js'
import type { ServeArgs } from '../../src/cli/toServerOptions.js'
import { startMockServer } from '../../src/server/startMockServer.js'
import { sendRaw } from '../support/rawHttp.js'
import { startServeProcess } from '../support/serveProcess.js'
import { writeTempFiles } from '../support/tempFiles.js'
import { docsNow } from '../support/transports.js'

// Issue 15, item 11 (the admin parts): an oversized admin request went through the API pipeline
// (404, journaled); --admin-token took values no request could match and a repeated flag printed
// "This is a bug"; the token could only be given on the command line; Cookie and
// Proxy-Authorization were journaled verbatim; admin errors quoted a mistyped apiKey whole.

async function start(options: Parameters<typeof startMockServer>[0] = {}) {
  const running = await startMockServer({ now: docsNow, port: 0, ...options })
  onTestFinished(() => running.close())
  return running
}

const serveArgs = (overrides: Partial<ServeArgs>): ServeArgs => ({ port: 4010, host: '127.0.0.1', quiet: true, cors: true, maxBodyBytes: 1048576, ...overrides })

it('answers 413 from the admin API to an oversized admin request, declared or chunked, and journals neither', async () => {
  const { url, mock } = await start({ maxBodyBytes: 100 })
  const body = JSON.stringify({ accounts: [{ id: 'acc_big', name: 'x'.repeat(500) }] })

  const declared = await fetch(`${url}/__admin/fixtures`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
  const chunked = await sendRaw(url, [
    `POST /__admin/fixtures HTTP/1.1\r\nHost: ${new URL(url).host}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`,
  ])

  expect(declared.status).toBe(413)
  expect(await declared.json()).toEqual({
    success: false,
    error: {
      code: 'PAYLOAD_TOO_LARGE',
      message: 'Failed to read the admin request: its body exceeds the size limit (--max-body-bytes). Send a smaller body.',
    },
  })
  expect(chunked).toMatchObject({ status: 413, json: { error: { code: 'PAYLOAD_TOO_LARGE' } } })
  expect(mock.journal.count()).toBe(0)
})

it('refuses an admin token that no request could ever match, naming the flag and never the token', () => {
  const fix = 'Use printable ASCII without spaces, e.g. the output of `openssl rand -hex 16`.'

  expect(() => toServerOptions(serveArgs({ adminToken: 'my token' }))).toThrow(
    `Failed to parse --admin-token: the token holds a space or a character an Authorization header cannot carry, so no request could ever match it. ${fix}`,
  )
  expect(() => toServerOptions(serveArgs({ adminToken: '' }))).toThrow(`Failed to parse --admin-token: the token is empty. ${fix}`)
  expect(() => toServerOptions(serveArgs({ adminToken: '   ' }))).toThrow(`Failed to parse --admin-token: the token is empty. ${fix}`)
  expect(() => toServerOptions(serveArgs({ adminToken: 'tökén' }))).toThrow(/^Failed to parse --admin-token: the token holds a space or a character/)
})

it('refuses the same token in code, before the server listens', async () => {
  await expect(startMockServer({ port: 0, admin: { token: 'my token' } })).rejects.toThrow(
    /^Failed to create the mock server \(admin\.token\): the token holds a space/,
  )
})

it('refuses a repeated --admin-token with a message instead of "This is a bug"', async () => {
  const lines: string[] = []

  const code = await runCli(['serve', '--port', '0', '--admin-token', 'first-token', '--admin-token', 'second-token'], {
    out: (line) => lines.push(line),
    err: (line) => lines.push(line),
  })

  expect(code).toBe(1)
  expect(lines).toEqual(['Failed to parse --admin-token: it is given 2 times. Pass it once.'])
})

it('takes the admin token from GETRAZE_MOCK_ADMIN_TOKEN, keeping it off the command line', async () => {
  const served = await startServeProcess(['--now', docsNow], { GETRAZE_MOCK_ADMIN_TOKEN: 'env-token-1234' })

  const without = await fetch(`${served.url}/__admin/clock`)
  const withToken = await connectAdmin(served.url, { token: 'env-token-1234' }).clock.now()

  expect(without.status).toBe(401)
  expect(withToken.toISOString()).toBe('2024-01-25T10:00:00.000Z')
  // What `ps` shows every user of the machine (Linux).
  if (process.platform === 'linux') expect(readFileSync(`/proc/${served.pid}/cmdline`, 'utf8')).not.toContain('env-token-1234')
})

it('takes the admin token from --admin-token-file, trimming the newline echo adds', async () => {
  const [tokenFile] = writeTempFiles({ token: 'file-token-5678\n' }) as [string]
  const served = await startServeProcess(['--now', docsNow, '--admin-token-file', tokenFile])

  const without = await fetch(`${served.url}/__admin/clock`)
  const withToken = await connectAdmin(served.url, { token: 'file-token-5678' }).clock.now()

  expect(without.status).toBe(401)
  expect(withToken.toISOString()).toBe('2024-01-25T10:00:00.000Z')
  expect(served.stderr()).toBe('')
})

it('masks Cookie, Proxy-Authorization and token headers in the journal', async () => {
  const { url, mock } = await start()

  await sendRaw(url, [
    [
      'PATCH /external/v1/opportunities/opp_abc123def456/stage HTTP/1.1',
      `Host: ${new URL(url).host}`,
      'X-API-Key: YOUR_API_KEY',
      'Cookie: session=cookie-secret-value; theme=dark',
      'Proxy-Authorization: Basic cHJveHk6cHJveHktc2VjcmV0',
      'X-Auth-Token: auth-token-secret-value',
      'X-Api-Token: api-token-secret-value',
      'Set-Cookie: sid=set-cookie-secret; Path=/',
      'Accept: application/json',
      'Content-Type: application/json',
      'Content-Length: 16',
      'Connection: close',
      '',
      '{"status":"won"}',
    ].join('\r\n'),
  ])
  const [entry] = mock.journal.list()

  expect(entry!.headers).toMatchObject({
    cookie: 'session=***; theme=***',
    'proxy-authorization': 'Basic cHJveH***',
    'x-auth-token': 'auth-t***',
    'x-api-token': 'api-to***',
    'set-cookie': 'sid=***',
    accept: 'application/json',
  })
  expect(JSON.stringify(entry)).not.toMatch(/secret|cHJveHk6cHJveHktc2VjcmV0|dark/)
})

it('never quotes an apiKey given with the wrong type or in the wrong place in an admin error', async () => {
  const { url } = await start()
  const post = (path: string, body: unknown) =>
    fetch(`${url}/__admin${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(
      async (response) => ({ status: response.status, text: await response.text() }),
    )

  const answers = [
    await post('/faults', { error: 'CONFLICT', match: { apiKey: ['gr_live_secretkey'] } }),
    await post('/faults', { error: 'CONFLICT', match: { apiKey: { key: 'gr_live_secretkey' } } }),
    await post('/faults', 'gr_live_secretkey'),
    await post('/requests/count', { apiKey: ['gr_live_secretkey'] }),
    await post('/requests/find', { apiKey: { value: 'gr_live_secretkey' } }),
    await post('/requests/verify', { filter: { apiKey: ['gr_live_secretkey'] }, times: 1 }),
  ]

  expect(answers.map((answer) => answer.status)).toEqual([400, 400, 400, 400, 400, 400])
  for (const answer of answers) expect(answer.text).not.toContain('secretkey')
  expect(JSON.parse(answers[0]!.text).error.message).toBe(
    'Failed to add the fault: "match.apiKey" (an array) is not a string. Pass the exact value to match.',
  )
  expect(JSON.parse(answers[3]!.text).error.message).toBe('Failed to count requests: filter field "apiKey" must be a string, got (an array). Fix the filter.')
})
