import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { GetRazeMockError } from '../errors/GetRazeMockError.js'
import type { Difference } from './checkExchange.js'
import { reviewInteraction } from '../consumer/reviewPact.js'
import { redactUrl, splitUrlCredentials, urlProblem } from './redactSecrets.js'

/** The parts of a pact file the kit reads. */
export interface PactFile {
  consumer?: { name?: string }
  provider?: { name?: string }
  interactions?: PactInteraction[]
  [key: string]: unknown
}

export interface PactInteraction {
  description?: string
  providerStates?: Array<{ name?: string; params?: Record<string, unknown> }>
  request?: { method?: string; path?: string; generators?: { path?: unknown } }
  [key: string]: unknown
}

/** One interaction the run verifies, as the pact states it. */
export interface PlannedInteraction {
  /** Position in the run, which is also the order Pact verifies in. */
  index: number
  /** Pact file or URL (credentials redacted) it comes from. */
  source: string
  consumer: string
  description: string
  states: Array<{ name: string; params: Record<string, unknown> }>
  method: string
  /** The example path in the pact. */
  path: string
  /** Whether the path takes its id from a provider state (`fromProviderState`). */
  pathFromState: boolean
  /** What the pact review (`reviewInteraction`) says of it: warnings, failures with `--strict`. */
  review: Difference[]
  /**
   * The response headers the pact matches by a rule rather than exactly, by lower-case name:
   * the rule in words with the pact's example ("digits, e.g. 3600").
   * @default {}
   */
  headerMatchers?: Record<string, string>
}

/** Which interactions to run: description containing `only`, or using the state `state`. */
export interface InteractionFilter {
  only?: string
  state?: string
}

/**
 * The provider-state param the kit adds to every state of every interaction it verifies, so that
 * each state call names its interaction; the kit's state endpoint removes it before anything else
 * sees the params.
 */
export const interactionMarker = 'getraze-mock:interaction'

const defaultPactDir = 'pacts'

/** The pact this package ships, used when the current folder has no pacts/ folder. */
export const shippedPactDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../pacts')

/** The `*.json` files of a folder, sorted; none when the folder cannot be read. */
export function listPactFiles(dir: string): string[] {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    names = []
  }
  return names.filter((name) => name.endsWith('.json')).sort().map((name) => join(dir, name))
}

function folderExists(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

/**
 * Where the pacts come from: `--pact` files, folders and URLs; nothing with a broker; else
 * `pacts/*.json` in the current folder; else, when there is no `pacts/` folder, the pact this
 * package ships (`shipped: true`, so the caller can say which file was used). `defaultFolder`
 * says the sources are the current folder's `pacts/`.
 *
 * @example
 * resolvePactSources({ pactUrls: ['pacts/'] }) // { sources: ['/abs/pacts/a.json'], shipped: false, defaultFolder: false }
 */
export function resolvePactSources(options: { pactUrls?: string[]; brokerUrl?: string }): { sources: string[]; shipped: boolean; defaultFolder: boolean } {
  if (options.pactUrls && options.pactUrls.length > 0) {
    const sources = options.pactUrls.flatMap((url) => {
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
        const problem = urlProblem(url) ?? (/^https?:\/\//.test(url) ? undefined : 'is not an http(s) URL')
        if (problem !== undefined) throw new GetRazeMockError('PACT_NOT_FOUND', `Failed to read the pact at ${JSON.stringify(redactUrl(url))}: it ${problem}. Check the URL passed to --pact.`)
        return [url]
      }
      const path = resolve(url)
      let isDirectory = false
      try {
        isDirectory = statSync(path).isDirectory()
      } catch {
        throw new GetRazeMockError('PACT_NOT_FOUND', `Failed to verify: the pact file ${url} does not exist. Check the path passed to --pact.`)
      }
      return isDirectory ? listPactFiles(path) : [path]
    })
    return { sources, shipped: false, defaultFolder: false }
  }
  if (options.brokerUrl) return { sources: [], shipped: false, defaultFolder: false }
  if (!folderExists(resolve(defaultPactDir))) return { sources: listPactFiles(shippedPactDir), shipped: true, defaultFolder: false }
  const sources = listPactFiles(resolve(defaultPactDir))
  if (sources.length === 0) {
    throw new GetRazeMockError(
      'PACT_NOT_FOUND',
      `Failed to verify: no pact files in ${defaultPactDir}/. Pass --pact FILE_OR_URL, or --broker-url to fetch them from a Pact Broker.`,
    )
  }
  return { sources, shipped: false, defaultFolder: true }
}

/**
 * Reads one pact source: a file, or a URL fetched with its credentials as basic auth (else
 * `fallbackAuthorization`, the broker token).
 *
 * @example
 * const pact = await readPact('pacts/getraze-stage-client-getraze-external-api.json')
 */
export async function readPact(source: string, fallbackAuthorization?: string): Promise<PactFile> {
  const shown = /^https?:\/\//.test(source) ? redactUrl(source) : source
  let text: string
  if (/^https?:\/\//.test(source)) {
    const { url, authorization } = splitUrlCredentials(source)
    let response: Response
    try {
      const header = authorization ?? fallbackAuthorization
      response = await fetch(url, { headers: header ? { authorization: header } : {} })
    } catch (error) {
      throw new GetRazeMockError('PACT_NOT_FOUND', `Failed to read the pact at ${shown}: ${(error as Error).message}. Check the URL passed to --pact.`)
    }
    if (!response.ok) throw new GetRazeMockError('PACT_NOT_FOUND', `Failed to read the pact at ${shown}: it answered ${response.status}. Check the URL passed to --pact.`)
    text = await response.text()
  } else {
    text = readFileSync(source, 'utf8')
  }
  try {
    const pact = JSON.parse(text) as PactFile
    if (!Array.isArray(pact.interactions)) throw new Error('no interactions array')
    return pact
  } catch (error) {
    throw new GetRazeMockError('PACT_NOT_FOUND', `Failed to read the pact ${shown}: ${(error as Error).message}. Pass a Pact file (JSON with "interactions").`)
  }
}

function matchesFilter(interaction: PactInteraction, filter: InteractionFilter): boolean {
  if (filter.only !== undefined && !(interaction.description ?? '').toLowerCase().includes(filter.only.toLowerCase())) return false
  if (filter.state !== undefined && !(interaction.providerStates ?? []).some((state) => state.name === filter.state)) return false
  return true
}

/** A matcher in words: what a value must be, rather than the example the pact shows. */
function describeMatcher(matcher: { match?: string; regex?: string; value?: unknown; min?: number; max?: number }): string | undefined {
  switch (matcher.match) {
    case 'regex':
      if (matcher.regex === undefined) return undefined
      if (/^\^?\\d[+*]\$?$/.test(matcher.regex) || /^\^?\[0-9\][+*]\$?$/.test(matcher.regex)) return 'digits'
      return `a value matching /${matcher.regex}/`
    case 'type':
      return 'any value'
    case 'integer':
      return 'an integer'
    case 'number':
    case 'decimal':
      return 'a number'
    case 'include':
      return `a value containing ${JSON.stringify(matcher.value)}`
    case 'datetime':
    case 'timestamp':
      return 'a timestamp'
    default:
      return undefined
  }
}

/** The response header matchers of an interaction (pact v3/v4 `header`, v2 `$.headers.`). */
function describeHeaderMatchers(interaction: PactInteraction): Record<string, string> {
  const response = interaction.response as
    | { headers?: Record<string, unknown>; matchingRules?: Record<string, unknown> }
    | undefined
  const rules = response?.matchingRules ?? {}
  const entries: Array<[string, unknown]> = Object.entries((rules.header as Record<string, unknown> | undefined) ?? {})
  for (const [path, rule] of Object.entries(rules)) {
    const v2 = /^\$\.headers\.(.+)$/.exec(path)
    if (v2) entries.push([v2[1]!, rule])
  }
  const described: Record<string, string> = {}
  for (const [name, rule] of entries) {
    const matchers = ((rule as { matchers?: unknown[] }).matchers ?? [rule]) as Array<Parameters<typeof describeMatcher>[0]>
    const words = matchers.map(describeMatcher)
    if (words.length === 0 || words.some((word) => word === undefined)) continue
    const example = Object.entries(response?.headers ?? {}).find(([header]) => header.toLowerCase() === name.toLowerCase())?.[1]
    const shown = Array.isArray(example) ? example.join(', ') : example
    described[name.toLowerCase()] = `${words.join(' and ')}${shown !== undefined ? `, e.g. ${String(shown)}` : ''}`
  }
  return described
}

/**
 * Keeps the interactions the filter selects, adds the interaction marker to each of their
 * states, and appends them to `planned`. Returns the pact to hand to Pact (a copy).
 *
 * @example
 * const planned: PlannedInteraction[] = []
 * const marked = preparePact(pact, 'pacts/a.json', { only: 'won' }, planned)
 */
export function preparePact(pact: PactFile, source: string, filter: InteractionFilter, planned: PlannedInteraction[]): PactFile {
  const consumer = pact.consumer?.name ?? ''
  const interactions = (pact.interactions ?? []).filter((interaction) => matchesFilter(interaction, filter))
  return {
    ...pact,
    interactions: interactions.map((interaction) => {
      const index = planned.length
      const states = (interaction.providerStates ?? []).map((state) => ({ name: state.name ?? '', params: { ...(state.params ?? {}) } }))
      planned.push({
        index,
        source,
        consumer,
        description: interaction.description ?? '',
        states,
        method: interaction.request?.method ?? 'GET',
        path: interaction.request?.path ?? '/',
        pathFromState: interaction.request?.generators?.path !== undefined,
        review: reviewInteraction(interaction as Parameters<typeof reviewInteraction>[0]),
        headerMatchers: describeHeaderMatchers(interaction),
      })
      return {
        ...interaction,
        providerStates: states.map((state) => ({ name: state.name, params: { ...state.params, [interactionMarker]: String(index) } })),
      }
    }),
  }
}

/**
 * Writes prepared pacts to a temporary folder for Pact to read. Returns the files and a cleanup.
 *
 * @example
 * const { files, remove } = writePreparedPacts([marked])
 */
export function writePreparedPacts(pacts: PactFile[]): { files: string[]; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'getraze-mock-verify-'))
  const files = pacts
    .filter((pact) => (pact.interactions ?? []).length > 0)
    .map((pact, position) => {
      const file = join(dir, `pact-${position}.json`)
      writeFileSync(file, JSON.stringify(pact))
      return file
    })
  return { files, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/**
 * The interactions of a run as text, for `verify --list`: each with its states and their params.
 *
 * @example
 * console.log(formatInteractionList(planned))
 */
export function formatInteractionList(planned: PlannedInteraction[]): string {
  const lines: string[] = []
  let source = ''
  for (const interaction of planned) {
    if (interaction.source !== source) {
      source = interaction.source
      lines.push(`${source} (consumer ${interaction.consumer || 'unnamed'})`)
    }
    lines.push(`  ${interaction.description}`)
    for (const state of interaction.states) lines.push(`      given ${state.name} ${JSON.stringify(state.params)}`)
  }
  lines.push(`${planned.length} interaction${planned.length === 1 ? '' : 's'}`)
  return lines.join('\n')
}
