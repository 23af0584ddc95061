import { checkAdminToken } from '../admin/authorizeAdmin.js'
import { GetRazeMockError } from '../errors/GetRazeMockError.js'
import { redactUrl, urlProblem } from '../verify/redactSecrets.js'
import type { VerifyPactsOptions } from '../verify/VerifyPactsOptions.js'

/** The `verify` flags as yargs parses them. */
export interface VerifyArgs {
  pact?: string[]
  providerBaseUrl?: string
  providerStatesSetupUrl?: string
  header?: string[]
  provider: string
  brokerUrl?: string
  providerVersion?: string
  providerBranch?: string
  publish: boolean
  consumerVersionSelector?: string[]
  enablePending: boolean
  includeWipPactsSince?: string
  report?: string[]
  only?: string
  state?: string
  list?: boolean
  logLevel: 'error' | 'warn' | 'info' | 'debug' | 'trace'
  strict?: boolean
  pactLog?: string
  adminTokenFile?: string | string[]
}

/** A report file to write after verification; `-` is standard output. */
export interface ReportTarget {
  format: 'json' | 'junit'
  file: string
}

const reportFormats = ['json', 'junit'] as const

function invalid(flag: string, shown: string, reason: string, fix: string): never {
  throw new GetRazeMockError('INVALID_OPTION', `Failed to parse ${flag}: ${shown} ${reason}. ${fix}.`)
}

/**
 * Refuses a URL flag that is not an http(s) URL, quoting it with credentials and credential-named
 * query values as ***.
 *
 * @example
 * checkUrl('--target', 'ftp://u:pw@host') // throws: Failed to parse --target: "ftp://***:***@host" is not an http(s) URL. ...
 */
export function checkUrl(flag: string, value: string | undefined, example = 'http://localhost:3000'): void {
  if (value === undefined) return
  const shown = JSON.stringify(redactUrl(value))
  const problem = urlProblem(value)
  if (problem !== undefined) invalid(flag, shown, problem, `Pass e.g. ${flag} ${example}`)
  if (!/^https?:$/.test(new URL(value).protocol)) invalid(flag, shown, 'is not an http(s) URL', `Pass e.g. ${flag} ${example}`)
}

/**
 * Parses `--report FORMAT=FILE` values: each a known format and a file, at most one on standard
 * output (`-`), no file twice.
 *
 * @example
 * parseReportTargets(['json=out/drift.json']) // [{ format: 'json', file: 'out/drift.json' }]
 */
export function parseReportTargets(specs: readonly string[]): ReportTarget[] {
  const reports = specs.map((spec): ReportTarget => {
    const equals = spec.indexOf('=')
    const format = equals === -1 ? '' : spec.slice(0, equals)
    const file = spec.slice(equals + 1)
    const fix = 'Pass --report json=FILE or --report junit=FILE (FILE - is standard output)'
    if (equals === -1 || file === '') invalid('--report', JSON.stringify(spec), 'is not FORMAT=FILE', fix)
    if (!(reportFormats as readonly string[]).includes(format)) {
      invalid('--report', JSON.stringify(format), `is not a report format; the formats are ${reportFormats.join(' and ')}`, fix)
    }
    return { format: format as ReportTarget['format'], file }
  })
  const toStdout = reports.filter((report) => report.file === '-')
  if (toStdout.length > 1) invalid('--report', `${toStdout.map((report) => `${report.format}=-`).join(' and ')}`, 'both write to standard output', 'Send at most one report to -, the others to files')
  const seen = new Set<string>()
  for (const report of reports) {
    if (report.file !== '-' && seen.has(report.file)) invalid('--report', JSON.stringify(report.file), 'is named twice', 'Give each report its own file')
    seen.add(report.file)
  }
  return reports
}

/**
 * Maps parsed `verify` flags to `verifyPacts` options and report targets. Pure; header values
 * (credentials) never appear in its messages.
 *
 * @example
 * toVerifyOptions({ provider: 'getraze-external-api', publish: false, enablePending: false, logLevel: 'error' })
 */
export function toVerifyOptions(
  args: VerifyArgs,
  env: Record<string, string | undefined> = {},
  readTokenFile?: (path: string) => string,
): {
  options: VerifyPactsOptions
  reports: ReportTarget[]
  /** Where Pact's own output goes besides the terminal at debug and trace. */
  pactLog?: string
} {
  checkUrl('--provider-base-url', args.providerBaseUrl)
  checkUrl('--provider-states-setup-url', args.providerStatesSetupUrl)
  checkUrl('--broker-url', args.brokerUrl, 'https://broker.example')
  // A --pact value with a scheme is a URL; anything else is a file or folder.
  for (const pact of args.pact ?? []) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(pact)) checkUrl('--pact', pact, 'https://broker.example/pacts/provider/P/consumer/C/latest')
  }
  if (args.providerStatesSetupUrl && !args.providerBaseUrl) {
    invalid('--provider-states-setup-url', 'given', 'without --provider-base-url', 'The mock uses its built-in states; pass --provider-base-url to verify a real provider')
  }
  if (args.publish && !args.providerVersion) {
    invalid('--publish', 'given', 'without --provider-version', 'Pass the version being verified, e.g. --provider-version $(git rev-parse HEAD)')
  }
  if (args.publish && !args.brokerUrl) {
    invalid('--publish', 'given', 'without --broker-url', 'Results are published to a Pact Broker; pass --broker-url')
  }
  if (args.publish && (args.only !== undefined || args.state !== undefined)) {
    invalid('--publish', 'given', `with ${args.only !== undefined ? '--only' : '--state'}`, 'Publish results only from a run of whole pacts; drop the filter or --publish')
  }
  if (args.includeWipPactsSince !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(args.includeWipPactsSince)) {
    invalid('--include-wip-pacts-since', JSON.stringify(args.includeWipPactsSince), 'is not a date', 'Pass e.g. --include-wip-pacts-since 2024-01-01')
  }

  const headers: Record<string, string> = {}
  for (const header of args.header ?? []) {
    const colon = header.indexOf(':')
    const name = colon === -1 ? '' : header.slice(0, colon).trim()
    // Only the name is ever shown: the value is usually a credential.
    if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) {
      invalid('--header', colon === -1 ? 'a value' : JSON.stringify(name), 'is not "Name: value"', 'Pass e.g. --header "X-API-Key: $PROVIDER_KEY"')
    }
    headers[name] = header.slice(colon + 1).trim()
  }

  const selectors = (args.consumerVersionSelector ?? []).map((text) => {
    let selector: unknown
    try {
      selector = JSON.parse(text)
    } catch {
      selector = undefined
    }
    if (typeof selector !== 'object' || selector === null || Array.isArray(selector)) {
      invalid('--consumer-version-selector', JSON.stringify(text), 'is not a JSON object', `Pass e.g. --consumer-version-selector '{"mainBranch":true}'`)
    }
    return selector as Record<string, unknown>
  })

  const reports = parseReportTargets(args.report ?? [])
  const seen = new Set(reports.map((report) => report.file))
  if (args.pactLog !== undefined && (args.pactLog === '' || args.pactLog === '-')) {
    invalid('--pact-log', JSON.stringify(args.pactLog), 'is not a file', "Pass a file, e.g. --pact-log pact.log, or use --log-level debug to print Pact's output")
  }
  if (args.pactLog !== undefined && seen.has(args.pactLog)) invalid('--pact-log', JSON.stringify(args.pactLog), 'is also a --report file', 'Give the log its own file')
  const adminToken = resolveAdminToken(args, env, readTokenFile)

  const options: VerifyPactsOptions = { provider: args.provider, logLevel: args.logLevel }
  if (args.pact && args.pact.length > 0) options.pactUrls = [...args.pact]
  if (args.providerBaseUrl) options.providerBaseUrl = args.providerBaseUrl
  if (args.providerStatesSetupUrl) options.providerStatesSetupUrl = args.providerStatesSetupUrl
  if (Object.keys(headers).length > 0) options.headers = headers
  if (args.brokerUrl) options.brokerUrl = args.brokerUrl
  if (args.brokerUrl && env.PACT_BROKER_TOKEN) options.brokerToken = env.PACT_BROKER_TOKEN
  if (args.providerVersion) options.providerVersion = args.providerVersion
  if (args.providerBranch) options.providerBranch = args.providerBranch
  if (args.publish) options.publish = true
  if (selectors.length > 0) options.consumerVersionSelectors = selectors
  if (args.enablePending) options.enablePending = true
  if (args.includeWipPactsSince) options.includeWipPactsSince = args.includeWipPactsSince
  if (args.strict) options.strict = true
  if (args.only !== undefined) options.only = args.only
  if (args.state !== undefined) options.state = args.state
  if (adminToken !== undefined) options.adminToken = adminToken
  return args.pactLog !== undefined ? { options, reports, pactLog: args.pactLog } : { options, reports }
}

/**
 * The admin token of a getraze-mock verified as the provider: `--admin-token-file`, else
 * `GETRAZE_MOCK_ADMIN_TOKEN` (as `serve` reads them), checked without repeating it.
 */
function resolveAdminToken(args: VerifyArgs, env: Record<string, string | undefined>, readTokenFile: ((path: string) => string) | undefined): string | undefined {
  const file = args.adminTokenFile
  if (Array.isArray(file)) invalid('--admin-token-file', 'given', `${file.length} times`, 'Pass it once')
  if (typeof file === 'string') {
    if (!args.providerBaseUrl) invalid('--admin-token-file', 'given', 'without --provider-base-url', "It is the token of a getraze-mock verified as the provider; pass that mock's URL as --provider-base-url")
    if (!readTokenFile) invalid('--admin-token-file', 'given', 'where files cannot be read', 'Set GETRAZE_MOCK_ADMIN_TOKEN instead')
    return checkAdminToken(readTokenFile(file), `read --admin-token-file ${file}`)
  }
  const fromEnv = env.GETRAZE_MOCK_ADMIN_TOKEN
  // An empty variable counts as unset, as shells leave it; without a provider it is not used.
  if (fromEnv === undefined || fromEnv === '' || !args.providerBaseUrl) return undefined
  return checkAdminToken(fromEnv, 'read GETRAZE_MOCK_ADMIN_TOKEN')
}
