import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { VerifyPactsOptions } from './VerifyPactsOptions.js'
import { GetRazeMockError } from '../errors/GetRazeMockError.js'
import { createMockServer } from '../server/createMockServer.js'
import { buildFailedRunReport, buildReport } from './buildReport.js'
import type { PactJsonResult } from './buildReport.js'
import { createExchangeRecorder } from './createExchangeRecorder.js'
import { listPactFiles, preparePact, readPact, resolvePactSources, shippedPactDir, writePreparedPacts } from './pactFiles.js'
import type { InteractionFilter, PactFile, PlannedInteraction } from './pactFiles.js'
import { toPactVerifierOptions } from './toPactVerifierOptions.js'
import { runPactVerifier } from './runPactVerifier.js'
import { clearProviderStates, providerStateFixtures, seedProviderState } from '../states/seedProviderState.js'
import { isMockStateEndpointDescription, mockStateEndpointPath } from '../states/mockStateEndpoint.js'
import { answerReason, forwardStateChanges } from './forwardStateChanges.js'
import { startRecordingProxy } from './startRecordingProxy.js'
import { startBrokerProxy } from './startBrokerProxy.js'
import { createRedactor, redactDeep, redactUrl, splitUrlCredentials, urlProblem } from './redactSecrets.js'
import { startStateServer } from './startStateServer.js'
import type { StateChangeHandler } from './startStateServer.js'
import type { VerificationReport } from './VerificationReport.js'


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

/** Names the shipped pacts verify falls back to: "the pact shipped with getraze-mock, a.json" or "the 2 pacts ...". */
function shippedPacts(sources: readonly string[]): string {
  return sources.length === 1
    ? `the pact shipped with getraze-mock, ${sources[0]}`
    : `the ${sources.length} pacts shipped with getraze-mock, ${sources.join(', ')}`
}

export async function verifyPacts(options: VerifyPactsOptions = {}): Promise<VerificationReport> {
  process.env.PACT_DO_NOT_TRACK ??= 'true'
  checkUrlOptions(options)
  const startedAt = new Date()
  const started = performance.now()
  const provider = options.provider ?? defaultProvider
  const secrets = collectSecrets(options)
  // The path prefix only the run's Pact is given: the kit's proxies refuse requests without it.
  const runSecret = randomBytes(16).toString('hex')
  const redact = createRedactor([...secrets.values, runSecret])
  const notices: string[] = []
  const notice = (message: string) => {
    notices.push(redact(message))
    options.onNotice?.(redact(message))
  }
  const cleanups: Array<() => Promise<void> | void> = []
  const target = options.providerBaseUrl ? redactUrl(options.providerBaseUrl) : 'getraze-mock (in-process)'
  let pactSources: string[] = []
  try {
    // Read once to check the filters and the states before anything starts.
    const { planned: expected, sources } = await planInteractions(options, secrets.tokenAuthorization, notice)
    pactSources = [...sources.map((source) => (isUrl(source) ? redactUrl(source) : source)), ...(options.brokerUrl ? [`${redactUrl(options.brokerUrl)} (Pact Broker)`] : [])]
    const basePath = secrets.providerUrl ? new URL(secrets.providerUrl).pathname.replace(/\/+$/, '') : ''
    const doubled = basePath !== '' ? expected.find((interaction) => interaction.path.startsWith(`${basePath}/`)) : undefined
    if (doubled) {
      notice(
        `The base URL ${target} ends with ${basePath}, and the pacts' paths start with it too, so requests go to ${basePath}${doubled.path}: drop ${basePath} from --provider-base-url.`,
      )
    }
    // A getraze-mock's own state endpoint, when the provider is one and no other is given.
    let mockStates: MockStateEndpoint | undefined
    if (options.providerBaseUrl) {
      await checkProviderAnswers(secrets.providerUrl!, secrets.providerAuthorization, redactUrl(options.providerBaseUrl))
      if (options.providerStatesSetupUrl) await checkStateEndpoint(options.providerStatesSetupUrl)
      else {
        const needsStates = Boolean(options.brokerUrl) || expected.some((interaction) => interaction.states.length > 0)
        mockStates = await findMockStateEndpoint(secrets.providerUrl!, secrets.adminAuthorization, target, needsStates)
        if (mockStates !== undefined) {
          notice(
            `Provider states are set up by the getraze-mock at ${target} (POST ${new URL(mockStates.url).pathname}, found on its admin API); each teardown resets it, as POST /__admin/reset does.`,
          )
        } else warnAboutStates(expected, notice)
      }
    }
    const recorder = createExchangeRecorder()
    // What Pact verifies: prepared copies of the files now, pacts from URLs and the broker as
    // Pact fetches them through the kit's proxies (which also add their credentials).
    const planned: PlannedInteraction[] = []
    const filter: InteractionFilter = { only: options.only, state: options.state }
    const prepared: PactFile[] = []
    for (const source of sources.filter((entry) => !isUrl(entry))) prepared.push(preparePact(await readPact(source), source, filter, planned))
    const written = writePreparedPacts(prepared)
    cleanups.push(written.remove)
    const pactUrls = [...written.files]
    for (const source of sources.filter(isUrl)) {
      const { url, authorization } = splitUrlCredentials(source)
      const target = new URL(url)
      const shown = redactUrl(source)
      const proxy = await startBrokerProxy(target.origin, authorization ?? secrets.tokenAuthorization, runSecret, (pact) => preparePact(pact, shown, filter, planned))
      cleanups.push(proxy.close)
      pactUrls.push(`${proxy.url}${target.pathname}${target.search}`)
    }

    let providerUrl = secrets.providerUrl
    let stateHandler: StateChangeHandler
    if (providerUrl === undefined) {
      const running = await createMockServer({ port: 0, fixtures: [providerStateFixtures] }).listen()
      cleanups.push(running.close)
      providerUrl = running.url
      stateHandler = {
        setup: (state, params) => seedProviderState(running.mock, state, params),
        teardown: () => clearProviderStates(running.mock),
      }
    } else if (options.providerStatesSetupUrl) {
      stateHandler = forwardStateChanges(options.providerStatesSetupUrl)
    } else if (mockStates !== undefined) {
      stateHandler = forwardStateChanges(mockStates.url, { authorization: mockStates.authorization })
    } else {
      // No state endpoint: the kit's own still answers, so calls are attributed to interactions.
      stateHandler = { setup: async () => ({}), teardown: async () => {} }
    }
    const states = await startStateServer(stateHandler, recorder, runSecret)
    cleanups.push(states.close)
    const proxy = await startRecordingProxy(providerUrl, recorder, runSecret, { headers: options.headers, authorization: secrets.providerAuthorization })
    cleanups.push(proxy.close)
    let brokerUrl: string | undefined
    if (options.brokerUrl) {
      const filter: InteractionFilter = { only: options.only, state: options.state }
      const broker = await startBrokerProxy(secrets.brokerUrl!, secrets.brokerAuthorization, runSecret, (pact) => preparePact(pact, `${redactUrl(options.brokerUrl!)} (Pact Broker)`, filter, planned))
      cleanups.push(broker.close)
      brokerUrl = broker.url
    }
    const verifierOptions = toPactVerifierOptions(options, { pactUrls, providerUrl: proxy.url, statesUrl: states.url, brokerUrl })
    const raw = await runPactVerifier(verifierOptions, { redact, onOutput: options.onPactOutput })
    let result: PactJsonResult
    try {
      result = JSON.parse(raw) as PactJsonResult
    } catch {
      throw new GetRazeMockError('VERIFICATION_FAILED', `Failed to verify ${provider}: Pact stopped before verifying (${raw}). Check the options and that the provider is reachable.`)
    }
    if (options.brokerUrl && options.providerBaseUrl && !options.providerStatesSetupUrl && mockStates === undefined) warnAboutStates(planned.filter((entry) => entry.source.endsWith('(Pact Broker)')), notice)
    const report = buildReport(result, planned, recorder, {
      provider,
      target,
      pactSources,
      basePath,
      kitVersion,
      startedAt,
      durationMs: performance.now() - started,
      notices,
      statesSetUp: !options.providerBaseUrl || Boolean(options.providerStatesSetupUrl) || mockStates !== undefined,
      strict: options.strict ?? false,
    })
    return redactDeep(report, redact)
  } catch (error) {
    if (!(error instanceof GetRazeMockError)) throw error
    const message = redact(error.message)
    if (options.reportFailedRuns && (error.code === 'PREFLIGHT_FAILED' || error.code === 'VERIFICATION_FAILED')) {
      const failure = { stage: error.code === 'PREFLIGHT_FAILED' ? ('preflight' as const) : ('verification' as const), code: error.code, message }
      const facts = { provider, target, pactSources, kitVersion, startedAt, durationMs: performance.now() - started, notices }
      return redactDeep(buildFailedRunReport(facts, failure), redact)
    }
    throw new GetRazeMockError(error.code, message)
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup()
  }
}

/**
 * The interactions `verifyPacts` would run with these options, without running anything
 * (`verify --list`). Pacts from a broker are not listed: they are fetched by Pact during the run.
 *
 * @example
 * for (const interaction of await listInteractions({ state: 'an opportunity exists' })) console.log(interaction.description)
 */
export async function listInteractions(options: VerifyPactsOptions = {}): Promise<PlannedInteraction[]> {
  checkUrlOptions(options)
  const token = options.brokerToken ?? process.env.PACT_BROKER_TOKEN
  return (await planInteractions(options, token ? `Bearer ${token}` : undefined)).planned
}

const isUrl = (source: string) => /^https?:\/\//.test(source)

const defaultProvider = 'getraze-external-api'

/** Refuses a URL option that is not an http(s) URL, quoting it without its credentials. */
function checkUrlOptions(options: VerifyPactsOptions): void {
  const urls = { providerBaseUrl: options.providerBaseUrl, providerStatesSetupUrl: options.providerStatesSetupUrl, brokerUrl: options.brokerUrl }
  for (const [name, value] of Object.entries(urls)) {
    if (value === undefined) continue
    const problem = urlProblem(value) ?? (/^https?:\/\//.test(value) ? undefined : 'is not an http(s) URL')
    if (problem !== undefined) throw new GetRazeMockError('INVALID_OPTION', `Failed to verify: ${name} ${JSON.stringify(redactUrl(value))} ${problem}. Pass an http(s) URL, e.g. http://localhost:3000.`)
  }
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`
}

function quoteList(items: string[], limit = 12): string {
  const shown = items.slice(0, limit).map((item) => JSON.stringify(item))
  return `${shown.join(', ')}${items.length > limit ? ` and ${items.length - limit} more` : ''}`
}

/**
 * Reads every pact source, keeps those whose provider is the one verified (a `pacts/` folder
 * may hold other services' pacts), and plans their interactions through the filter. When the
 * default `pacts/` folder has nothing for the kit's provider, the pact the package ships is
 * used; either way the notices say what was found and skipped.
 */
async function planInteractions(options: VerifyPactsOptions, tokenAuthorization: string | undefined, notice: (message: string) => void = () => {}) {
  const provider = options.provider ?? defaultProvider
  const resolved = resolvePactSources(options)
  const shown = (source: string) => (isUrl(source) ? redactUrl(source) : source)
  const read = async (sources: string[]) => {
    const kept: Array<{ source: string; pact: PactFile }> = []
    const skipped: string[] = []
    for (const source of sources) {
      const pact = await readPact(source, tokenAuthorization)
      const name = pact.provider?.name
      if (typeof name === 'string' && name !== provider) skipped.push(`${shown(source)} (provider ${JSON.stringify(name)})`)
      else kept.push({ source, pact })
    }
    return { kept, skipped }
  }
  let { kept, skipped } = await read(resolved.sources)
  let shipped = resolved.shipped
  const where = resolved.defaultFolder ? 'pacts/' : '--pact'
  if (skipped.length > 0 && kept.length === 0 && resolved.defaultFolder && provider === defaultProvider) {
    shipped = true
    const fallback = await read(listPactFiles(shippedPactDir))
    kept = fallback.kept
    notice(`pacts/ here has no pact for ${provider} (skipped ${skipped.join(', ')}): verifying ${shippedPacts(kept.map((entry) => entry.source))}.`)
    skipped = []
  } else if (skipped.length > 0 && kept.length === 0) {
    throw new GetRazeMockError(
      'PACT_NOT_FOUND',
      `Failed to verify ${provider}: none of the pacts from ${where} is for it (${skipped.join(', ')}). Pass --pact with a pact for ${provider}, or --provider NAME to verify another provider.`,
    )
  } else if (skipped.length > 0) {
    notice(`Skipped ${plural(skipped.length, 'pact')} from ${where} for other providers: ${skipped.join(', ')}. Verifying ${kept.map((entry) => shown(entry.source)).join(', ')}.`)
  } else if (shipped) {
    notice(`No pacts/ folder here: verifying ${shippedPacts(kept.map((entry) => entry.source))}.`)
  }
  const planned: PlannedInteraction[] = []
  const filter: InteractionFilter = { only: options.only, state: options.state }
  for (const { source, pact } of kept) preparePact(pact, shown(source), filter, planned)
  if (kept.length > 0 && planned.length === 0 && (filter.only !== undefined || filter.state !== undefined)) {
    const all: PlannedInteraction[] = []
    for (const { source, pact } of kept) preparePact(pact, shown(source), {}, all)
    const flags = [filter.only !== undefined ? `--only ${JSON.stringify(filter.only)}` : '', filter.state !== undefined ? `--state ${JSON.stringify(filter.state)}` : ''].filter(Boolean)
    const what = `${flags.join(' and ')} ${flags.length > 1 ? 'together match' : 'matches'} none of the ${plural(all.length, 'interaction')} in ${plural(kept.length, 'pact file')}`
    const states = [...new Set(all.flatMap((interaction) => interaction.states.map((state) => state.name)))]
    const listed =
      filter.only === undefined
        ? states.length > 0
          ? `The states they use are ${quoteList(states)}.`
          : 'They use no provider state.'
        : `They are ${quoteList(all.map((interaction) => interaction.description))}.`
    throw new GetRazeMockError('INVALID_OPTION', `Failed to select interactions: ${what}. ${listed} Run getraze-mock verify --list to see each with its states.`)
  }
  // An empty pact verifies nothing, so "passed" would say nothing true (issue 18, item 9).
  if (!options.brokerUrl && kept.length > 0 && planned.length === 0) {
    throw new GetRazeMockError(
      'PACT_EMPTY',
      `Failed to verify ${provider}: ${quoteList(kept.map((entry) => shown(entry.source)))} ${kept.length === 1 ? 'holds' : 'hold'} no interactions, so a verification would prove nothing. Record or write the pact's interactions first (recordPact writes none unless the tests reached the mock).`,
    )
  }
  return { planned, sources: kept.map((entry) => entry.source), shipped }
}

function warnAboutStates(planned: PlannedInteraction[], notice: (message: string) => void): void {
  const withStates = planned.filter((interaction) => interaction.states.length > 0).length
  if (withStates === 0) return
  notice(
    `${withStates} of ${plural(planned.length, 'interaction')} ${withStates === 1 ? 'uses' : 'use'} provider states, but no --provider-states-setup-url was given: they run against whatever data the provider has, so their failures are likely missing data, not drift. Pass --provider-states-setup-url (see "A provider team's guide" in the README).`,
  )
}

function reasonOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause
  return cause?.code ?? cause?.message ?? (error as Error).message
}

async function checkProviderAnswers(url: string, authorization: string | undefined, shown: string): Promise<void> {
  try {
    const response = await fetch(url, { headers: authorization ? { authorization } : {}, signal: AbortSignal.timeout(10_000) })
    await response.arrayBuffer()
  } catch (error) {
    throw new GetRazeMockError(
      'PREFLIGHT_FAILED',
      `Failed to verify: the provider at ${shown} is not answering (${reasonOf(error)}). Start the provider, or fix --provider-base-url.`,
    )
  }
}

async function checkStateEndpoint(setupUrl: string): Promise<void> {
  const { url, authorization } = splitUrlCredentials(setupUrl)
  const shown = redactUrl(setupUrl)
  let response: Response
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify({ state: '', params: {}, action: 'setup' }),
      signal: AbortSignal.timeout(10_000),
    })
  } catch (error) {
    throw new GetRazeMockError(
      'PREFLIGHT_FAILED',
      `Failed to verify: the provider-state endpoint at ${shown} is not answering (${reasonOf(error)}). Start it, or fix --provider-states-setup-url.`,
    )
  }
  const reason = answerReason(await response.text(), response.headers.get('content-type'))
  if (!response.ok) {
    const fix =
      response.status === 404
        ? `Check the path in --provider-states-setup-url: nothing answers state changes there (the README's example provider serves /_pact/provider-states)`
        : `Make it answer 200 with {} for an empty state, as the README's state-endpoint contract says`
    throw new GetRazeMockError(
      'PREFLIGHT_FAILED',
      `Failed to verify: the provider-state endpoint at ${shown} answered ${response.status}${reason ? ` (${reason})` : ''} to the empty-state call POST {"state":"","params":{},"action":"setup"}. ${fix}.`,
    )
  }
}

/** The admin API's refusals: a getraze-mock that will not let this run set up states. */
const adminRefusals = ['ADMIN_TOKEN_REQUIRED', 'ADMIN_TOKEN_INVALID', 'ADMIN_FORBIDDEN']

/** A getraze-mock's state endpoint, and the `Authorization` its admin API asked for. */
interface MockStateEndpoint {
  url: string
  authorization?: string
}

/** `GET` of a candidate: its status and JSON body, or `undefined` when it does not answer JSON. */
async function probe(url: string, authorization: string | undefined): Promise<{ status: number; body: unknown } | undefined> {
  try {
    const response = await fetch(url, { headers: authorization ? { authorization } : {}, signal: AbortSignal.timeout(10_000) })
    return { status: response.status, body: JSON.parse(await response.text()) }
  } catch {
    return undefined
  }
}

/** The admin API's refusal code in an answer, if it is one. */
function refusalOf(body: unknown): { code: string; message: unknown } | undefined {
  const answer = body as { success?: unknown; error?: { code?: unknown; message?: unknown } } | null
  const code = answer?.error?.code
  return answer?.success === false && typeof code === 'string' && adminRefusals.includes(code) ? { code, message: answer.error!.message } : undefined
}

/**
 * The state endpoint of a getraze-mock (`serve`) verified as the provider: its admin API describes
 * it at `GET /__admin/provider-states`, and only an answer with that description counts, so a real
 * provider that serves the same path (an HTML page, its own JSON, a 404) is verified as any other.
 * Tried under the base URL's path (a mock behind a proxy), then at its root. The admin token goes
 * only to a server that asked for it (`ADMIN_TOKEN_REQUIRED`), never to a real provider. When the
 * mock's admin API refuses the run (no or a wrong token, a `Host` it does not answer) and the pacts
 * need states, the run stops with the mock's reason and the fix, rather than fail every
 * interaction for missing data.
 */
async function findMockStateEndpoint(providerUrl: string, adminAuthorization: string | undefined, shown: string, needed: boolean): Promise<MockStateEndpoint | undefined> {
  const candidates = [...new Set([`${providerUrl.replace(/\/+$/, '')}${mockStateEndpointPath}`, `${new URL(providerUrl).origin}${mockStateEndpointPath}`])]
  for (const url of candidates) {
    let answer = await probe(url, undefined)
    let authorization: string | undefined
    if (answer && adminAuthorization !== undefined && refusalOf(answer.body)?.code === 'ADMIN_TOKEN_REQUIRED') {
      authorization = adminAuthorization
      answer = await probe(url, authorization)
    }
    if (!answer) continue
    if (answer.status === 200 && isMockStateEndpointDescription(answer.body)) return authorization === undefined ? { url } : { url, authorization }
    const refusal = refusalOf(answer.body)
    if (!refusal) continue
    if (!needed) return undefined
    const fix =
      refusal.code === 'ADMIN_FORBIDDEN'
        ? String(refusal.message)
        : `${refusal.code === 'ADMIN_TOKEN_REQUIRED' ? 'It needs its admin token' : 'It refused the admin token given'}. Set GETRAZE_MOCK_ADMIN_TOKEN (or pass --admin-token-file FILE) to the token it was started with.`
    throw new GetRazeMockError(
      'PREFLIGHT_FAILED',
      `Failed to verify: the provider at ${shown} is a getraze-mock, and its admin API, which sets up the pacts' provider states, refused this run (${refusal.code}). ${fix}`,
    )
  }
  return undefined
}

const kitVersion = (() => {
  try {
    // Two levels up from src/pact, dist/pact and dist/bundle alike.
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version
  } catch {
    return 'unknown'
  }
})()

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
  if (token) values.push(token)
  const adminToken = options.adminToken || process.env.GETRAZE_MOCK_ADMIN_TOKEN || undefined
  if (adminToken) values.push(adminToken)
  values.push(...(providerSplit?.secrets ?? []), ...(statesSplit?.secrets ?? []), ...(brokerSplit?.secrets ?? []))
  for (const url of options.pactUrls ?? []) {
    // A URL that does not parse is refused (quoted redacted) when the sources are resolved.
    if (/^https?:\/\//.test(url) && urlProblem(url) === undefined) values.push(...splitUrlCredentials(url).secrets)
  }
  return {
    values,
    providerUrl: providerSplit?.url,
    providerAuthorization: providerSplit?.authorization,
    brokerUrl: brokerSplit?.url,
    brokerAuthorization: token ? `Bearer ${token}` : brokerSplit?.authorization,
    /** For a getraze-mock's admin API, when the provider is one. */
    adminAuthorization: adminToken ? `Bearer ${adminToken}` : undefined,
    // Pact sent PACT_BROKER_TOKEN with pacts fetched from URLs too; the kit's proxy does instead.
    tokenAuthorization: token ? `Bearer ${token}` : undefined,
  }
}
