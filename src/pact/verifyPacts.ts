import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { GetRazeMockError } from '../errors/GetRazeMockError.js'
import { createMockServer } from '../server/createMockServer.js'
import { checkExchange } from './checkExchange.js'
import type { Difference } from './checkExchange.js'
import { createExchangeRecorder } from './createExchangeRecorder.js'
import { toPactVerifierOptions } from './toPactVerifierOptions.js'
import { clearProviderStates, providerStateFixtures, seedProviderState } from './seedProviderState.js'
import { forwardStateChanges } from './forwardStateChanges.js'
import { startRecordingProxy } from './startRecordingProxy.js'
import { startBrokerProxy } from './startBrokerProxy.js'
import { createRedactor, redactDeep, redactUrl, splitUrlCredentials } from './redactSecrets.js'
import { startStateServer } from './startStateServer.js'
import type { InteractionReport, VerificationReport } from './VerificationReport.js'

/** Options of `verifyPacts`. Broker options map one to one onto Pact's own verifier options. */
export interface VerifyPactsOptions {
  /**
   * Pact files, folders or URLs to verify.
   * @default every *.json in ./pacts, unless `brokerUrl` is set
   */
  pactUrls?: string[]
  /**
   * The provider to verify.
   * @default an in-process getraze-mock with the built-in provider states
   */
  providerBaseUrl?: string
  /**
   * The provider's own state endpoint (Pact's `POST {state, params, action}`); its JSON answer
   * is injected into the interaction. Only with `providerBaseUrl`.
   * @default undefined (no state setup)
   */
  providerStatesSetupUrl?: string
  /**
   * Headers added to every request to the provider (credentials it needs). Never printed.
   * @default {}
   */
  headers?: Record<string, string>
  /**
   * Provider name, as in the pact and the broker.
   * @default 'getraze-external-api'
   */
  provider?: string
  /** Pact Broker URL; the token comes from `brokerToken`. @default undefined */
  brokerUrl?: string
  /** Pact Broker token. @default process.env.PACT_BROKER_TOKEN */
  brokerToken?: string
  /** Version of the provider being verified (needed to publish). @default undefined */
  providerVersion?: string
  /** Branch of the provider being verified. @default undefined */
  providerBranch?: string
  /** Publish the results to the broker. @default false */
  publish?: boolean
  /**
   * Which consumer versions' pacts to fetch from the broker.
   * @default [{ mainBranch: true }, { deployedOrReleased: true }]
   */
  consumerVersionSelectors?: Record<string, unknown>[]
  /** Let pending pacts fail without failing the run. @default false */
  enablePending?: boolean
  /** Include work-in-progress pacts since this date (YYYY-MM-DD). @default undefined */
  includeWipPactsSince?: string
  /** Pact's log level. @default 'error' */
  logLevel?: 'error' | 'warn' | 'info' | 'debug' | 'trace'
  /** Timeout of each request to the provider, in ms. @default 30000 */
  timeoutMs?: number
}

interface PactFile {
  consumer?: { name?: string }
  provider?: { name?: string }
  interactions?: Array<{ description?: string; providerStates?: Array<{ name?: string }> }>
}

interface PactJsonResult {
  result?: boolean
  interactionResults?: Array<{ description: string; result: string }>
  errors?: Array<{ interaction: string; mismatch: { type: string; message?: string; mismatches?: PactMismatch[] } }>
  pendingErrors?: PactJsonResult['errors']
}

interface PactMismatch {
  type: string
  path?: string
  key?: string
  expected?: unknown
  actual?: unknown
  mismatch?: string
}

const defaultPactDir = 'pacts'

function listPactFiles(dir: string): string[] {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    names = []
  }
  return names.filter((name) => name.endsWith('.json')).sort().map((name) => join(dir, name))
}

function resolvePactUrls(options: VerifyPactsOptions): string[] {
  if (options.pactUrls && options.pactUrls.length > 0) {
    return options.pactUrls.flatMap((url) => {
      if (/^https?:\/\//.test(url)) return [url]
      const path = resolve(url)
      let isDirectory = false
      try {
        isDirectory = statSync(path).isDirectory()
      } catch {
        throw new GetRazeMockError('PACT_NOT_FOUND', `Failed to verify: the pact file ${url} does not exist. Check the path passed to --pact.`)
      }
      return isDirectory ? listPactFiles(path) : [path]
    })
  }
  if (options.brokerUrl) return []
  const files = listPactFiles(resolve(defaultPactDir))
  if (files.length === 0) {
    throw new GetRazeMockError(
      'PACT_NOT_FOUND',
      `Failed to verify: no pact files in ${defaultPactDir}/. Pass --pact FILE_OR_URL, or --broker-url to fetch them from a Pact Broker.`,
    )
  }
  return files
}

function label(consumer: string, provider: string, states: string[], description: string): string {
  const given = states.length > 0 ? ` Given ${states.join(' And ')}` : ''
  return `Verifying a pact between ${consumer} and ${provider}${given} - ${description}`
}

function parseLabel(text: string): { consumer?: string; states: string[] } {
  const match = text.match(/^Verifying a pact between (.+?) and .+?(?: Given (.+?))? - /)
  return { consumer: match?.[1], states: match?.[2] ? match[2].split(' And ') : [] }
}

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value)
}

function toDifference(mismatch: PactMismatch): Difference {
  const path =
    mismatch.type === 'StatusMismatch' ? 'status' : mismatch.type === 'HeaderMismatch' ? `header ${mismatch.key}` : mismatch.path ?? '$'
  return { path, expected: show(mismatch.expected), actual: show(mismatch.actual), message: mismatch.mismatch ?? mismatch.type }
}

async function loadPactModule() {
  try {
    return await import('@pact-foundation/pact')
  } catch (error) {
    throw new GetRazeMockError(
      'PACT_NOT_INSTALLED',
      'Failed to load @pact-foundation/pact: it is not installed. Run npm install --save-dev @pact-foundation/pact@16.',
      { cause: error },
    )
  }
}

/**
 * Verifies pacts against the in-process mock (the kit's conformance check) or a real provider,
 * and returns a drift report: per interaction, Pact's verdict with each mismatch's path,
 * expected and actual values, plus where the provider's answers differ from the documented
 * schemas.
 *
 * @example
 * const report = await verifyPacts({ providerBaseUrl: 'http://localhost:3000', providerStatesSetupUrl: 'http://localhost:3000/_pact/states' })
 * if (!report.passed) console.log(formatDriftReport(report))
 */
export async function verifyPacts(options: VerifyPactsOptions = {}): Promise<VerificationReport> {
  process.env.PACT_DO_NOT_TRACK ??= 'true'
  const pactUrls = resolvePactUrls(options)
  const provider = options.provider ?? 'getraze-external-api'
  const secrets = collectSecrets(options)
  const redact = createRedactor(secrets.values)
  const { Verifier } = await loadPactModule()
  const recorder = createExchangeRecorder()
  const cleanups: Array<() => Promise<void>> = []
  try {
    let providerUrl = secrets.providerUrl
    let statesUrl: string | undefined
    if (providerUrl === undefined) {
      const running = await createMockServer({ port: 0, fixtures: [providerStateFixtures] }).listen()
      cleanups.push(running.close)
      providerUrl = running.url
      const states = await startStateServer(
        {
          setup: (state, params) => seedProviderState(running.mock, state, params),
          teardown: () => clearProviderStates(running.mock),
        },
        recorder,
      )
      cleanups.push(states.close)
      statesUrl = states.url
    } else if (options.providerStatesSetupUrl) {
      const states = await startStateServer(forwardStateChanges(options.providerStatesSetupUrl), recorder)
      cleanups.push(states.close)
      statesUrl = states.url
    }
    const proxy = await startRecordingProxy(providerUrl, recorder, { headers: options.headers, authorization: secrets.providerAuthorization })
    cleanups.push(proxy.close)
    let brokerUrl: string | undefined
    if (options.brokerUrl) {
      const broker = await startBrokerProxy(secrets.brokerUrl!, secrets.brokerAuthorization)
      cleanups.push(broker.close)
      brokerUrl = broker.url
    }
    const verifierOptions = toPactVerifierOptions(options, { pactUrls, providerUrl: proxy.url, statesUrl, brokerUrl })
    let raw: string
    const restoreEnv = hideBrokerEnv()
    try {
      raw = await new Verifier(verifierOptions as ConstructorParameters<typeof Verifier>[0]).verifyProvider()
    } catch (error) {
      raw = (error as Error).message
    } finally {
      restoreEnv()
    }
    let result: PactJsonResult
    try {
      result = JSON.parse(raw) as PactJsonResult
    } catch {
      throw new GetRazeMockError('VERIFICATION_FAILED', `Failed to verify ${provider}: Pact stopped before verifying (${raw}). Check the options and that the provider is reachable.`)
    }
    const target = options.providerBaseUrl ? redactUrl(options.providerBaseUrl) : 'getraze-mock (in-process)'
    return redactDeep(buildReport(result, pactUrls, provider, target, recorder), redact)
  } catch (error) {
    if (error instanceof GetRazeMockError) throw new GetRazeMockError(error.code, redact(error.message))
    throw error
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup()
  }
}

/**
 * Pact's core falls back to PACT_BROKER_TOKEN, _USERNAME, _PASSWORD and _BASE_URL from the
 * environment and prints its options at trace level; the kit has already taken what it needs
 * from them, so they are hidden from Pact while it runs and put back afterwards.
 */
function hideBrokerEnv(): () => void {
  const hidden = Object.entries(process.env).filter(([name]) => name.startsWith('PACT_BROKER_'))
  for (const [name] of hidden) delete process.env[name]
  return () => {
    for (const [name, value] of hidden) process.env[name] = value
  }
}

/**
 * Every credential the run holds, and the URLs without them. Each value is hidden from the
 * report; header values are also hidden word by word, since a provider may echo just the token.
 */
function collectSecrets(options: VerifyPactsOptions) {
  const values: string[] = []
  for (const value of Object.values(options.headers ?? {})) {
    values.push(value, ...value.split(/\s+/).filter((word) => word.length >= 6))
  }
  const providerSplit = options.providerBaseUrl ? splitUrlCredentials(options.providerBaseUrl) : undefined
  const statesSplit = options.providerStatesSetupUrl ? splitUrlCredentials(options.providerStatesSetupUrl) : undefined
  const brokerSplit = options.brokerUrl ? splitUrlCredentials(options.brokerUrl) : undefined
  const token = options.brokerToken ?? process.env.PACT_BROKER_TOKEN
  if (options.brokerUrl && token) values.push(token)
  values.push(...(providerSplit?.secrets ?? []), ...(statesSplit?.secrets ?? []), ...(brokerSplit?.secrets ?? []))
  return {
    values,
    providerUrl: providerSplit?.url,
    providerAuthorization: providerSplit?.authorization,
    brokerUrl: brokerSplit?.url,
    brokerAuthorization: token ? `Bearer ${token}` : brokerSplit?.authorization,
  }
}

function buildReport(
  result: PactJsonResult,
  pactUrls: string[],
  provider: string,
  target: string,
  recorder: ReturnType<typeof createExchangeRecorder>,
): VerificationReport {
  // Local pact files give each interaction's consumer and states; URLs and broker pacts fall
  // back to what Pact's labels say.
  const known: Array<{ consumer: string; description: string; states: string[]; used: boolean }> = []
  for (const url of pactUrls) {
    if (/^https?:\/\//.test(url)) continue
    const pact = JSON.parse(readFileSync(url, 'utf8')) as PactFile
    for (const interaction of pact.interactions ?? []) {
      known.push({
        consumer: pact.consumer?.name ?? '',
        description: interaction.description ?? '',
        states: (interaction.providerStates ?? []).map((state) => state.name ?? ''),
        used: false,
      })
    }
  }

  const errors = result.errors ?? []
  const pending = result.pendingErrors ?? []
  const rows: InteractionReport[] = (result.interactionResults ?? []).map((run, index) => {
    const local = known.find((entry) => !entry.used && entry.description === run.description)
    if (local) local.used = true
    const matches = (entry: { interaction: string }) =>
      local ? entry.interaction === label(local.consumer, provider, local.states, local.description) : entry.interaction.endsWith(` - ${run.description}`)
    const failed = errors.find(matches)
    const pendingFailure = pending.find(matches)
    const fromLabel = parseLabel((failed ?? pendingFailure)?.interaction ?? '')
    const recorded = recorder.interactions[index]

    const failures: Difference[] = []
    for (const entry of [failed, pendingFailure]) {
      if (!entry) continue
      if (entry.mismatch.type === 'error') {
        failures.push({ path: '-', expected: '-', actual: '-', message: entry.mismatch.message ?? 'error' })
      }
      const sorted = [...(entry.mismatch.mismatches ?? [])].sort((a, b) => toDifference(a).path.localeCompare(toDifference(b).path))
      failures.push(...sorted.map(toDifference))
    }
    for (const stateFailure of recorded?.stateFailures ?? []) {
      failures.push({ path: `state "${stateFailure.state}"`, expected: `${stateFailure.action} succeeds`, actual: 'failed', message: stateFailure.message })
    }
    const warnings = (recorded?.exchanges ?? []).flatMap(checkExchange)
    return {
      consumer: local?.consumer ?? fromLabel.consumer,
      description: run.description,
      states: local?.states ?? fromLabel.states,
      verdict: failed ? 'failed' : pendingFailure ? 'pending' : run.result === 'OK' && failures.length === 0 ? 'passed' : 'failed',
      failures,
      warnings,
    }
  })
  return {
    passed: result.result === true && rows.every((row) => row.verdict !== 'failed'),
    provider,
    target,
    interactions: rows,
  }
}
