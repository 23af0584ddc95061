import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import type { Argv } from 'yargs'
import { GetRazeMockError } from '../errors/GetRazeMockError.js'
import type { CliIo } from './CliIo.js'
import { toVerifyOptions } from './toVerifyOptions.js'
import type { VerifyArgs } from './toVerifyOptions.js'

/**
 * Adds `verify` to the CLI. Pact is loaded only when the command runs, so `serve` works where
 * `@pact-foundation/pact` is not installed.
 */
export function addVerifyCommand(cli: Argv, io: CliIo, setExitCode: (code: number) => void): void {
  cli.command(
    'verify',
    'Verify pacts against the mock (default) or a real provider, and print a drift report',
    (command) =>
      command
        .option('pact', { type: 'string', array: true, describe: 'Pact file, folder or URL (repeatable; default: pacts/*.json, else the pact this package ships)' })
        .option('provider-base-url', { type: 'string', describe: 'Verify this provider instead of the in-process mock (user:pass@ in the URL is sent as basic auth, never printed)' })
        .option('provider-states-setup-url', {
          type: 'string',
          describe: "The provider's state endpoint (Pact POSTs {state, params, action}; its JSON answer is injected)",
        })
        .option('header', { type: 'string', array: true, describe: 'Header sent to the provider, "Name: value" (repeatable; values are never printed)' })
        .option('provider', { type: 'string', default: 'getraze-external-api', describe: 'Provider name in the pacts and the broker' })
        .option('broker-url', { type: 'string', describe: 'Fetch pacts from this Pact Broker (token from PACT_BROKER_TOKEN)' })
        .option('provider-version', { type: 'string', describe: 'Version of the provider being verified' })
        .option('provider-branch', { type: 'string', describe: 'Branch of the provider being verified' })
        .option('publish', { type: 'boolean', default: false, describe: 'Publish verification results to the broker' })
        .option('consumer-version-selector', {
          type: 'string',
          array: true,
          describe: 'Consumer version selector as JSON (repeatable; default with a broker: {"mainBranch":true} and {"deployedOrReleased":true})',
        })
        .option('enable-pending', { type: 'boolean', default: false, describe: 'Pending pacts may fail without failing the run' })
        .option('include-wip-pacts-since', { type: 'string', describe: 'Include work-in-progress pacts since this date (YYYY-MM-DD)' })
        .option('report', { type: 'string', array: true, describe: 'Also write the report: json=FILE or junit=FILE (repeatable)' })
        .option('strict', { type: 'boolean', default: false, describe: 'Fail when the pact review finds anything (literal ids, exact generated values, undefined states, undocumented fields)' })
        .option('only', { type: 'string', describe: 'Run only interactions whose description contains this text' })
        .option('state', { type: 'string', describe: 'Run only interactions that use this provider state' })
        .option('list', { type: 'boolean', default: false, describe: 'List the interactions with their states and params; run nothing' })
        .option('log-level', { choices: ['error', 'warn', 'info', 'debug', 'trace'] as const, default: 'error' as const, describe: "Pact's log level" })
        .example('$0 verify', "Check the mock against the committed pacts (the kit's own conformance check)")
        .example('$0 verify --list', 'List the interactions and their provider states')
        .example(
          '$0 verify --provider-base-url http://localhost:3000 --provider-states-setup-url http://localhost:3000/_pact/provider-states',
          'Verify your provider, with its own provider-state endpoint',
        )
        .example(
          '$0 verify --provider-base-url $URL --broker-url $BROKER --provider-version $SHA --provider-branch main --publish --consumer-version-selector \'{"mainBranch":true}\'',
          'Verify pacts from a Pact Broker in CI and publish the results',
        ),
    async (args) => {
      const verifyArgs = args as unknown as VerifyArgs
      const { options, reports } = toVerifyOptions(verifyArgs, process.env)
      const { verifyPacts, listInteractions, formatDriftReport, formatInteractionList, formatJUnitReport } = await import('../pact/index.js')
      if (verifyArgs.list) {
        if (options.brokerUrl && !options.pactUrls) {
          throw new GetRazeMockError('INVALID_OPTION', 'Failed to parse --list: it reads pact files, and --broker-url pacts are fetched only during a run. Pass --pact FILE_OR_URL.')
        }
        io.out(formatInteractionList(await listInteractions(options)))
        setExitCode(0)
        return
      }
      let report
      try {
        report = await verifyPacts({ ...options, onNotice: (message) => io.err(`Note: ${message}`) })
      } catch (error) {
        // A provider or state endpoint that is not there is a setup problem, not drift.
        if (error instanceof GetRazeMockError && error.code === 'PREFLIGHT_FAILED') {
          io.err(error.message)
          setExitCode(2)
          return
        }
        throw error
      }
      io.out(formatDriftReport(report))
      for (const target of reports) {
        mkdirSync(dirname(target.file), { recursive: true })
        writeFileSync(target.file, target.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatJUnitReport(report))
        io.out(`Wrote the ${target.format} report to ${target.file}`)
      }
      setExitCode(report.passed ? 0 : 1)
    },
  )
}
