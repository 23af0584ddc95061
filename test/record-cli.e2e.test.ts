// `getraze-mock record` as a team runs it: the real binary, stopped with Ctrl-C (SIGINT).
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterEach, expect, it } from 'vitest'
import { startMockServer } from '../src/server/index.js'
import { listen } from '../src/verify/loopbackHttp.js'
import { createExampleProvider } from '../examples/provider/createExampleProvider.js'
import { createDriftingTarget, driftingRow } from './providers/createDriftingTarget.js'
import { listenTls, targetCertificate } from './providers/listenTls.js'

const bin = join(import.meta.dirname, '../bin/getraze-mock.js')
const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'getraze-record-cli-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** Starts `getraze-mock record ARGS`; resolves with its URL once it listens, and a way to stop it with a signal. */
async function startRecordProcess(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const child = spawn(process.execPath, [bin, 'record', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env })
  cleanups.push(() => {
    child.kill('SIGKILL')
  })
  let stdout = ''
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      stdout += `${line}\n`
      const match = /listening on (http:\/\/\S+?),/.exec(line)
      if (match) resolve(match[1]!)
    })
    void exited.then((code) => reject(new Error(`record exited (${code}) before listening: ${stderr}`)))
  })
  return {
    url,
    async stop(signal: NodeJS.Signals = 'SIGINT') {
      child.kill(signal)
      const code = await exited
      return { code, stdout, stderr }
    },
  }
}

it('records until SIGINT, then writes the fixtures and the pact, says where, and which placeholder stands for which key', async () => {
  const target = await startMockServer({ port: 0 })
  cleanups.push(() => target.close())
  const out = tempDir()
  const recorder = await startRecordProcess(['--target', target.url, '--out', out, '--consumer', 'crm-sync'])

  const response = await fetch(`${recorder.url}/external/v1/opportunities/opp_abc123def456`, { headers: { 'X-API-Key': 'YOUR_API_KEY' } })
  expect(response.status).toBe(200)
  const { code, stdout, stderr } = await recorder.stop()

  expect(stderr).toBe('')
  expect(code).toBe(0)
  expect(stdout.split('\n').slice(2)).toEqual([
    'Stopped on SIGINT: 1 request recorded.',
    `Wrote ${join(out, 'fixtures.json')}: 1 account, 1 API key, 1 record and 2 it refers to.`,
    `Wrote ${join(out, 'crm-sync-getraze-external-api.json')}: 1 interaction.`,
    '  gr_recorded_1 stands for the key YOUR***',
    '',
  ])
  expect(JSON.parse(readFileSync(join(out, 'fixtures.json'), 'utf8')).opportunities[0].id).toBe('opp_abc123def456')
})

it('prints each difference as it happens, the report on stop, and exits 1 when the shadow found differences', async () => {
  const staging = createDriftingTarget()
  staging.addKey('prod_cli_key')
  staging.addRow(driftingRow('opp_1'))
  const target = await listen(staging.server)
  cleanups.push(() => target.close())
  const out = tempDir()
  const recorder = await startRecordProcess(['--target', target.url, '--out', out, '--shadow', '--report', `json=${join(out, 'shadow.json')}`])

  await (await fetch(`${recorder.url}/external/v1/opportunities/opp_1/stage`, { method: 'PATCH', headers: { 'X-API-Key': 'prod_cli_key', 'Content-Type': 'application/json' }, body: '{"status":"closed"}' })).text()
  const { code, stdout } = await recorder.stop('SIGTERM')

  expect(code).toBe(1)
  expect(stdout).toContain(
    'shadow: PATCH /external/v1/opportunities/opp_1/stage: $.error.code: expected INVALID_STATUS, got "VALIDATION_ERROR" (the target answered VALIDATION_ERROR "status must be one of: new, contacted, qualified, proposal, negotiation, won, lost")\n',
  )
  expect(stdout).toContain('Stopped on SIGTERM: 1 request recorded.')
  expect(stdout).toContain('FAIL  a request with a status that is not valid (1 answer, 1 differing)')
  expect(stdout).toContain('1 difference in 1 of 1 behaviour.')
  expect(stdout).toContain(`Wrote the report to ${join(out, 'shadow.json')}`)
  expect(stdout).not.toContain('prod_cli_key')
  expect(JSON.parse(readFileSync(join(out, 'shadow.json'), 'utf8')).passed).toBe(false)
})

it('refuses a target that is not http(s) without printing its password, and exits 2 before listening', async () => {
  const out = tempDir()
  const child = spawn(process.execPath, [bin, 'record', '--target', 'ftp://deploy:hunter2-secret@files.example/api', '--out', join(out, 'never')], { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (chunk) => (output += chunk))
  child.stderr.on('data', (chunk) => (output += chunk))
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))

  expect(code).toBe(2)
  expect(output).toBe('Failed to parse --target: "ftp://***:***@files.example/api" is not an http(s) URL. Pass e.g. --target https://sandbox.getraze.example.\n')
  expect(existsSync(join(out, 'never'))).toBe(false)
})

it('records and shadows an https target whose self-signed certificate NODE_EXTRA_CA_CERTS names', async () => {
  const sandbox = createExampleProvider({ ids: 'accept' })
  // The provider team sets the sandbox up over http; the recorder reaches it over https only.
  const setUp = await listen(sandbox.server)
  cleanups.push(() => setUp.close())
  const state = (name: string, params: object) =>
    fetch(`${setUp.url}/_pact/provider-states`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ state: name, params, action: 'setup' }) })
  await state('an API key exists', { key: 'tls_sandbox_key', permissions: ['contacts:read'] })
  await state('a contact exists', { id: 'cnt_tls_1', name: 'Carla Reis' })
  const target = await listenTls(sandbox.server)
  cleanups.push(() => target.close())
  const out = tempDir()
  // Trust scoped to the recorder's process, as a user starts it: NODE_EXTRA_CA_CERTS=cert.pem getraze-mock record ...
  const recorder = await startRecordProcess(['--target', target.url, '--out', out, '--shadow'], { ...process.env, NODE_EXTRA_CA_CERTS: targetCertificate })

  for (const path of ['/external/v1/contacts', '/external/v1/contacts/cnt_tls_1']) {
    const response = await fetch(`${recorder.url}${path}`, { headers: { 'X-API-Key': 'tls_sandbox_key' } })
    expect(response.status, path).toBe(200)
  }
  const { code, stdout, stderr } = await recorder.stop()

  expect(stderr).toBe('')
  expect(code).toBe(0)
  expect(stdout).toContain(`forwarding to ${target.url} and shadowing every answer`)
  expect(stdout).toContain('No differences: every answer was what the mock, holding the same records, answers.')
  expect(JSON.parse(readFileSync(join(out, 'fixtures.json'), 'utf8')).contacts.map((contact: { id: string }) => contact.id)).toEqual(['cnt_tls_1'])
})
