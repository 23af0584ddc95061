// What `verify` prints and writes, fuzzed (issue 15, item 3): whatever secret the kit is given
// and however a provider echoes it back (as it is, percent- or form-encoded, JSON-escaped,
// base64 anywhere inside a longer base64 text, in basic auth), and however Pact's output is cut
// into chunks, no secret reaches stdout, stderr, the reports or the Pact log whole.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { listen } from '../../src/verify/loopbackHttp.js'
import { createLineFilter, createRedactor } from '../../src/verify/redactSecrets.js'
import { createEchoingProvider } from '../providers/createEchoingProvider.js'
import { runVerifyProcess } from '../pact/runVerifyCli.js'
import { writeTempFiles } from '../support/tempFiles.js'
import { budgetFor, seed, totalRuns } from './arbitraries.js'

const root = join(import.meta.dirname, '../..')
const pactFile = join(root, 'pacts/getraze-stage-client-getraze-external-api.json')

// Printable ASCII, as a header value or a password may hold it (space and quotes included).
const secretArbitrary = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)), minLength: 8, maxLength: 32 }).filter((text) => text.trim() === text)

/** True when any base64 run in the text, read at any alignment, decodes to bytes holding the secret. */
function decodesTo(text: string, secret: string): boolean {
  for (const run of text.match(/[A-Za-z0-9+/_-]{8,}/g) ?? []) {
    for (let offset = 0; offset < 4; offset += 1) {
      const part = run.slice(offset).replace(/-/g, '+').replace(/_/g, '/')
      if (Buffer.from(part.slice(0, part.length - (part.length % 4)), 'base64').includes(secret)) return true
    }
  }
  return false
}

const echoes: Array<[string, (secret: string, filler: string) => string]> = [
  ['as it is', (secret) => secret],
  ['percent-encoded', (secret) => encodeURIComponent(secret)],
  ['form-encoded', (secret) => new URLSearchParams({ v: secret }).toString().slice(2)],
  ['JSON-escaped', (secret) => JSON.stringify(secret).slice(1, -1)],
  ['base64', (secret) => Buffer.from(secret).toString('base64')],
  ['base64url', (secret) => Buffer.from(secret).toString('base64url')],
  ['inside longer base64', (secret, filler) => Buffer.from(`${filler}${secret}${filler}`).toString('base64')],
  ['in basic auth', (secret) => `Basic ${Buffer.from(`ci:${secret}`).toString('base64')}`],
]

const filterRuns = Math.max(200, Math.round(totalRuns * 0.05))

it(`redacts ${filterRuns} generated secrets in every echoed form, however the output is cut into chunks`, () => {
  fc.assert(
    fc.property(
      secretArbitrary,
      fc.constantFrom(...echoes),
      fc.string({ maxLength: 5 }),
      fc.string({ maxLength: 40 }),
      fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 20 }),
      (secret, [, echo], filler, around, cuts) => {
        const redact = createRedactor([secret, `ci:${secret}`, Buffer.from(`ci:${secret}`).toString('base64')])
        const text = `${around}"${echo(secret, filler)}"${around}\nnext line ${echo(secret, filler)}\n`
        const lines: string[] = []
        const filter = createLineFilter(redact, (line) => lines.push(line))
        const bytes = Buffer.from(text)
        let at = 0
        for (const cut of cuts) {
          filter.write(bytes.subarray(at, at + cut))
          at += cut
        }
        filter.write(bytes.subarray(at))
        filter.end()
        const output = lines.join('\n')
        expect(output).not.toContain(secret)
        expect(output).not.toContain(encodeURIComponent(secret))
        expect(output).not.toContain(JSON.stringify(secret).slice(1, -1))
        expect(decodesTo(output, secret)).toBe(false)
      },
    ),
    { numRuns: filterRuns, seed },
  )
}, budgetFor(filterRuns, 20))

let providerUrl = ''
let close: () => Promise<void> = async () => {}

beforeAll(async () => {
  const running = await listen(createEchoingProvider().server)
  providerUrl = running.url
  close = running.close
})

afterAll(async () => close())


const levels = ['error', 'warn', 'info', 'debug', 'trace'] as const
// Each run is a whole `verify` against the echoing provider: a few, one per log level.
const cliRuns = Math.min(20, Math.max(levels.length, Math.round(totalRuns / 2000)))

it(
  `prints no generated secret a provider echoes back in headers, bodies and error messages, at every log level (${cliRuns} runs)`,
  async () => {
    let run = 0
    await fc.assert(
      fc.asyncProperty(secretArbitrary, secretArbitrary, secretArbitrary, async (header, password, statePassword) => {
        const level = levels[run % levels.length]!
        run += 1
        const [json, junit, log] = writeTempFiles({ 'drift.json': '', 'drift.xml': '', 'pact.log': '' })
        const host = new URL(providerUrl).host
        const result = await runVerifyProcess([
          '--pact', pactFile,
          '--provider-base-url', `http://ci:${encodeURIComponent(password)}@${host}`,
          '--provider-states-setup-url', `http://ci:${encodeURIComponent(statePassword)}@${host}/_pact/provider-states`,
          '--header', `X-Gateway-Key: ${header}`,
          '--report', `json=${json}`,
          '--report', `junit=${junit}`,
          '--pact-log', log!,
          '--log-level', level,
        ])
        const everything = [result.stdout, result.stderr, readFileSync(json!, 'utf8'), readFileSync(junit!, 'utf8'), readFileSync(log!, 'utf8')].join('\n')
        for (const secret of [header, password, statePassword]) {
          expect(everything).not.toContain(secret)
          expect(everything).not.toContain(encodeURIComponent(secret))
          expect(decodesTo(everything, secret)).toBe(false)
        }
        expect(result.code).toBe(1)
      }),
      { numRuns: cliRuns, seed },
    )
  },
  cliRuns * 60_000,
)
