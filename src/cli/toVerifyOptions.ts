import { GetRazeMockError } from '../errors/GetRazeMockError.js'
import type { VerifyPactsOptions } from '../pact/verifyPacts.js'

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
}

/** A report file to write after verification. */
export interface ReportTarget {
  format: 'json' | 'junit'
  file: string
}

function invalid(flag: string, shown: string, reason: string, fix: string): never {
  throw new GetRazeMockError('INVALID_OPTION', `Failed to parse ${flag}: ${shown} ${reason}. ${fix}.`)
}

function checkUrl(flag: string, value: string | undefined): void {
  if (value === undefined) return
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {
    url = undefined
  }
  if (!url || !/^https?:$/.test(url.protocol)) invalid(flag, JSON.stringify(value), 'is not an http(s) URL', `Pass e.g. ${flag} http://localhost:3000`)
}

/**
 * Maps parsed `verify` flags to `verifyPacts` options and report targets. Pure; header values
 * (credentials) never appear in its messages.
 *
 * @example
 * toVerifyOptions({ provider: 'getraze-external-api', publish: false, enablePending: false, logLevel: 'error' })
 */
export function toVerifyOptions(args: VerifyArgs, env: Record<string, string | undefined> = {}): {
  options: VerifyPactsOptions
  reports: ReportTarget[]
} {
  checkUrl('--provider-base-url', args.providerBaseUrl)
  checkUrl('--provider-states-setup-url', args.providerStatesSetupUrl)
  checkUrl('--broker-url', args.brokerUrl)
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

  const reports = (args.report ?? []).map((spec): ReportTarget => {
    const match = spec.match(/^(json|junit)=(.+)$/)
    if (!match) invalid('--report', JSON.stringify(spec), 'is not FORMAT=FILE', 'Pass --report json=drift.json or --report junit=drift.xml')
    return { format: match[1] as ReportTarget['format'], file: match[2]! }
  })

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
  return { options, reports }
}
