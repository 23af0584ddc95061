import { accessSync, closeSync, constants, mkdirSync, openSync, statSync, writeFileSync, writeSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import type { Argv } from 'yargs'
import { GetRazeMockError } from '../errors/GetRazeMockError.js'
import type { CliIo } from './CliIo.js'
import { adminTokenVariable, readAdminTokenFile } from './toServerOptions.js'
import { toVerifyOptions } from './toVerifyOptions.js'
import type { VerifyArgs } from './toVerifyOptions.js'

/**
 * Refuses a file the run could not write (a folder, a folder that is a file, no permission), with
 * the flag that named it, so the problem shows before Pact runs rather than after.
 */
function checkWritableFile(flag: string, shown: string, file: string, example: string): void {
  const refuse = (reason: string, fix: string): never => {
    throw new GetRazeMockError('INVALID_OPTION', `Failed to parse ${flag}: ${JSON.stringify(shown)} ${reason}. ${fix}.`)
  }
  const path = resolve(file)
  let stats
  try {
    stats = statSync(path)
  } catch {
    stats = undefined
  }
  if (stats?.isDirectory()) refuse('names a folder', `Name a file in it, e.g. ${example}`)
  if (stats) {
    try {
      accessSync(path, constants.W_OK)
    } catch {
      refuse('names a file you cannot write to', 'Pass a file you can write to')
    }
    return
  }
  // The nearest folder that exists must be a folder you can write to; the rest is created.
  let parent = dirname(path)
  for (;;) {
    let parentStats
    try {
      parentStats = statSync(parent)
    } catch {
      parentStats = undefined
    }
    if (parentStats) {
      if (!parentStats.isDirectory()) refuse(`is inside ${parent}, which is a file`, 'Pass a path in a folder')
      try {
        accessSync(parent, constants.W_OK | constants.X_OK)
      } catch {
        refuse(`is in the folder ${parent}, which you cannot write to`, 'Pass a file in a folder you can write to')
      }
      return
    }
    if (dirname(parent) === parent) return
    parent = dirname(parent)
  }
}

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
        .option('admin-token-file', {
          type: 'string',
          requiresArg: true,
          describe: `When --provider-base-url is a getraze-mock started with an admin token: read that token from this file (default: ${adminTokenVariable}; never printed)`,
        })
        .option('provider', { type: 'string', default: 'getraze-external-api', describe: 'Provider name in the pacts and the broker; pacts for other providers are skipped, with a note' })
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
        .option('report', {
          type: 'string',
          array: true,
          describe: 'Also write the report: json=FILE or junit=FILE (repeatable; FILE - is standard output, the text report then goes to standard error). Written even when the run cannot start',
        })
        .option('strict', { type: 'boolean', default: false, describe: 'Fail when the pact review finds anything (literal ids, exact generated values, undefined states, undocumented fields)' })
        .option('only', { type: 'string', describe: 'Run only interactions whose description contains this text' })
        .option('state', { type: 'string', describe: 'Run only interactions that use this provider state' })
        .option('list', { type: 'boolean', default: false, describe: 'List the interactions with their states and params; run nothing' })
        .option('log-level', {
          choices: ['error', 'warn', 'info', 'debug', 'trace'] as const,
          default: 'error' as const,
          describe: "Pact's log level. Pact's own output (secrets redacted, no colour) is printed to standard error at debug and trace only",
        })
        .option('pact-log', { type: 'string', requiresArg: true, describe: "Write Pact's own output at --log-level to this file (secrets redacted, no colour)" })
        .example('$0 verify', "Check the mock against the committed pacts (the kit's own conformance check)")
        .example('$0 verify --list', 'List the interactions and their provider states')
        .example(
          '$0 verify --provider-base-url http://localhost:3000 --provider-states-setup-url http://localhost:3000/_pact/provider-states',
          'Verify your provider, with its own provider-state endpoint',
        )
        .example('$0 verify --provider-base-url http://127.0.0.1:4010', "Verify the pacts against a running getraze-mock serve, its provider states set up on its admin API")
        .example(
          '$0 verify --provider-base-url $URL --broker-url $BROKER --provider-version $SHA --provider-branch main --publish --consumer-version-selector \'{"mainBranch":true}\'',
          'Verify pacts from a Pact Broker in CI and publish the results',
        ),
    async (args) => {
      const verifyArgs = args as unknown as VerifyArgs
      const { options, reports, pactLog } = toVerifyOptions(verifyArgs, process.env, readAdminTokenFile)
      const { verifyPacts, listInteractions, formatDriftReport, formatInteractionList, formatJUnitReport } = await import('../pact/index.js')
      if (verifyArgs.list) {
        if (options.brokerUrl && !options.pactUrls) {
          throw new GetRazeMockError('INVALID_OPTION', 'Failed to parse --list: it reads pact files, and --broker-url pacts are fetched only during a run. Pass --pact FILE_OR_URL.')
        }
        io.out(formatInteractionList(await listInteractions(options)))
        setExitCode(0)
        return
      }
      // Checked before the run, so a bad path cannot throw away a finished verification.
      for (const { format, file } of reports) {
        if (file !== '-') checkWritableFile('--report', `${format}=${file}`, file, `--report ${format}=${join(file, format === 'json' ? 'report.json' : 'report.xml')}`)
      }
      if (pactLog !== undefined) checkWritableFile('--pact-log', pactLog, pactLog, `--pact-log ${join(pactLog, 'pact.log')}`)
      // With a report on standard output, the text report goes to standard error.
      const toStdout = reports.some((target) => target.file === '-')
      const say = toStdout ? io.err : io.out
      const printPact = options.logLevel === 'debug' || options.logLevel === 'trace'
      let log: number | undefined
      if (pactLog !== undefined) {
        mkdirSync(dirname(pactLog), { recursive: true })
        log = openSync(pactLog, 'w')
      }
      const onPactOutput =
        printPact || log !== undefined
          ? (line: string) => {
              if (log !== undefined) writeSync(log, `${line}\n`)
              if (printPact) io.err(line)
            }
          : undefined
      let report
      try {
        report = await verifyPacts({ ...options, onNotice: (message) => io.err(`Note: ${message}`), onPactOutput, reportFailedRuns: true })
      } finally {
        if (log !== undefined) closeSync(log)
      }
      if (report.failure) io.err(report.failure.message)
      else say(formatDriftReport(report))
      for (const target of reports) {
        const text = target.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatJUnitReport(report)
        if (target.file === '-') {
          io.out(text.replace(/\n$/, ''))
          continue
        }
        try {
          mkdirSync(dirname(target.file), { recursive: true })
          writeFileSync(target.file, text)
        } catch (error) {
          throw new GetRazeMockError(
            'INVALID_OPTION',
            `Failed to write the ${target.format} report to ${target.file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. Pass a file you can write to --report.`,
          )
        }
        say(`Wrote the ${target.format} report to ${target.file}`)
      }
      // A provider or state endpoint that is not there is a setup problem, not drift.
      setExitCode(report.failure?.code === 'PREFLIGHT_FAILED' ? 2 : report.passed ? 0 : 1)
    },
  )
}
