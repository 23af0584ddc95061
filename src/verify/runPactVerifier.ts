import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { GetRazeMockError } from '../errors/GetRazeMockError.js'
import { createLineFilter } from './redactSecrets.js'

/** Options of `runPactVerifier`. */
export interface RunPactVerifierOptions {
  /** Replaces every secret in a line of Pact's output before anyone sees it. */
  redact: (text: string) => string
  /**
   * Called with each line Pact prints, secrets redacted and colour codes removed.
   * @default undefined (Pact's output is dropped)
   */
  onOutput?: (line: string) => void
}

// Runs in the child. Pact's core is called directly: pact-js's Verifier would put its own open
// loopback proxy in front of the kit's, relaying anyone's requests to it. Without its parent
// (the kit's proxies gone with it), the child stops at once.
const childSource = `
process.once('disconnect', () => process.exit(1))
process.once('message', async ({ corePath, options }) => {
  let raw
  try {
    raw = await require(corePath).default.verifyPacts(options)
  } catch (error) {
    raw = String((error && error.message) || error)
  }
  process.send({ raw }, () => process.exit(0))
})
`

function resolvePactCore(): string {
  try {
    const fromKit = createRequire(import.meta.url)
    const pact = fromKit.resolve('@pact-foundation/pact')
    return createRequire(pact).resolve('@pact-foundation/pact-core')
  } catch (error) {
    throw new GetRazeMockError(
      'PACT_NOT_INSTALLED',
      'Failed to load @pact-foundation/pact: it is not installed. Run npm install --save-dev @pact-foundation/pact@16.',
      { cause: error },
    )
  }
}

// ANSI colour and cursor codes: Pact colours its output whether or not it goes to a terminal.
// eslint-disable-next-line no-control-regex
const ansi = /\u001b\[[0-9;?]*[ -/]*[@-~]/g

/**
 * Runs Pact's verifier in a child process and returns its JSON result (or the error it gave).
 * Pact's native core writes its log and its mismatch output straight to the process's file
 * descriptors 1 and 2, where nothing in Node can filter it; in a child, both are pipes the kit
 * reads, so every line is redacted and stripped of colour before it is passed on, or dropped.
 * The child gets no `PACT_BROKER_*` variable: the kit's proxies hold the credentials.
 *
 * @example
 * const raw = await runPactVerifier(verifierOptions, { redact, onOutput: (line) => log.write(`${line}\n`) })
 */
export async function runPactVerifier(verifierOptions: Record<string, unknown>, options: RunPactVerifierOptions): Promise<string> {
  const corePath = resolvePactCore()
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !name.startsWith('PACT_BROKER_')) env[name] = value
  }
  env.PACT_DO_NOT_TRACK ??= 'true'
  env.NO_COLOR = '1'
  const child = spawn(process.execPath, ['-e', childSource], { env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] })
  // The last lines, redacted, to explain a Pact that stopped without a result.
  const tail: string[] = []
  const emit = (line: string) => {
    const clean = line.replace(ansi, '')
    tail.push(clean)
    if (tail.length > 20) tail.shift()
    options.onOutput?.(clean)
  }
  const out = createLineFilter(options.redact, emit)
  const err = createLineFilter(options.redact, emit)
  child.stdout!.on('data', (chunk: Buffer) => out.write(chunk))
  child.stderr!.on('data', (chunk: Buffer) => err.write(chunk))
  let raw: string | undefined
  child.on('message', (message: { raw?: unknown }) => {
    if (typeof message?.raw === 'string') raw = message.raw
  })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code, signal }))
  })
  child.send({ corePath, options: verifierOptions })
  let result: { code: number | null; signal: NodeJS.Signals | null }
  try {
    result = await exited
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill()
  }
  out.end()
  err.end()
  if (raw !== undefined) return raw
  const how = result.signal ? `was stopped by ${result.signal}` : `exited with code ${result.code}`
  const last = tail.filter((line) => line.trim() !== '').slice(-5).join(' | ')
  throw new GetRazeMockError(
    'VERIFICATION_FAILED',
    `Failed to verify: Pact's verifier ${how} before giving a result${last ? ` (its last lines: ${last})` : ''}. Run with --log-level debug to see its output.`,
  )
}
