import type { Argv } from 'yargs'
import { GetRazeMockError } from '../errors/GetRazeMockError.js'
import { formatJUnitReport } from '../verify/formatJUnitReport.js'
import { redactUrl } from '../verify/redactSecrets.js'
import type { CliIo } from './CliIo.js'
import { toRecorderOptions } from './toRecorderOptions.js'
import type { RecordArgs } from './toRecorderOptions.js'

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`

/**
 * Adds `record` to the CLI. It runs until SIGINT or SIGTERM, then writes what it recorded and
 * resolves with the exit code: 1 when the shadow found differences, else 0. The recorder is
 * loaded only when the command runs, so `serve` starts as fast as before.
 */
export function addRecordCommand(cli: Argv, io: CliIo, setExitCode: (code: number) => void): void {
  cli.command(
    'record',
    'Forward requests to a real provider, recording fixtures and a pact from its answers (--shadow: compare each answer with the mock)',
    (command) =>
      command
        .option('target', { type: 'string', requiresArg: true, describe: "The provider's base URL (http or https) every request is forwarded to, the caller's key included" })
        .option('port', { alias: 'p', requiresArg: true, default: 4010, describe: 'Port to listen on (0 picks a free one)' })
        .option('host', { type: 'string', default: '127.0.0.1', describe: 'Interface to bind' })
        .option('out', { alias: 'o', type: 'string', requiresArg: true, default: 'recorded', describe: 'Folder to write fixtures.json and the pact to on stop' })
        .option('shadow', { type: 'boolean', default: false, describe: 'Compare every answer with what the mock, holding the same records, answers; print each difference and a report on stop' })
        .option('consumer', { type: 'string', requiresArg: true, default: 'recorded-consumer', describe: 'Consumer name in the pact (<consumer>-getraze-external-api.json)' })
        .option('redact', {
          type: 'string',
          array: true,
          requiresArg: true,
          describe: 'Record fields written as stable fake values, comma-separated or repeated (default email,phone,linkedin_url,notes; none for no field)',
        })
        .option('report', {
          type: 'string',
          array: true,
          describe: 'With --shadow, also write the report: json=FILE or junit=FILE, as verify writes them (repeatable; FILE - is standard output)',
        })
        .option('max-records', { requiresArg: true, describe: 'Most records held; later ones are forwarded but not recorded or shadowed (default 10000)' })
        .example('$0 record --target https://sandbox.getraze.example', 'Point your app at http://127.0.0.1:4010; Ctrl-C writes recorded/fixtures.json and the pact')
        .example('$0 record --target $STAGING_URL --shadow --report junit=reports/shadow.xml', "Shadow a staging deployment with a smoke test's traffic")
        .epilog(
          'Keys are never written: each becomes a placeholder (gr_recorded_1, ...). An https target must send a certificate Node trusts: for a private CA or a self-signed one, start with NODE_EXTRA_CA_CERTS=ca.pem. Exit code 1 when --shadow found differences, else 0.',
        ),
    async (args) => {
      const { options, reports } = toRecorderOptions(args as unknown as RecordArgs)
      const toStdout = reports.some((report) => report.file === '-')
      const say = toStdout ? io.err : io.out
      const { startRecorder } = await import('../record/index.js')
      const recorder = await startRecorder({ ...options, onDifference: say, onNotice: (message) => io.err(`getraze-mock record: ${message}`) }).catch((error: unknown) => {
        if (error instanceof GetRazeMockError && error.code === 'PORT_IN_USE') {
          throw new GetRazeMockError('PORT_IN_USE', `Failed to start the recorder: port ${options.port} on ${options.host} is already in use. Stop the other process or pick another port with --port (0 picks a free one).`, { cause: error })
        }
        throw error
      })
      say(`getraze-mock record listening on ${recorder.url}, forwarding to ${redactUrl(options.target)}${options.shadow ? ' and shadowing every answer' : ''}`)
      say(`  Point your app at ${recorder.url} instead of GetRaze; stop with Ctrl-C (SIGINT) or SIGTERM to write ${options.out}/.`)
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        process.once('SIGINT', resolve)
        process.once('SIGTERM', resolve)
      })
      // Writing takes a moment; another signal then stops at once, writing nothing more.
      const again = (second: NodeJS.Signals) => {
        io.err(`getraze-mock record: ${second} while writing: stopping at once; what is not written yet is lost.`)
        process.exit(1)
      }
      process.once('SIGINT', again)
      process.once('SIGTERM', again)
      try {
        const result = await recorder.close()
        say(`Stopped on ${signal}: ${plural(result.requests, 'request')} recorded.`)
        const { accounts, apiKeys, records, referenced } = result.fixtures
        const named = referenced > 0 ? ` and ${referenced} ${records === 1 ? 'it refers' : 'they refer'} to` : ''
        say(`Wrote ${result.fixturesFile}: ${plural(accounts, 'account')}, ${plural(apiKeys, 'API key')}, ${plural(records, 'record')}${named}.`)
        say(result.pactFile ? `Wrote ${result.pactFile}: ${plural(result.interactions, 'interaction')}.` : 'Wrote no pact: no request showed a documented behaviour.')
        for (const [placeholder, masked] of Object.entries(result.keys)) say(`  ${placeholder} stands for the key ${masked}`)
        if (result.reportText !== undefined) say(`\n${result.reportText}`)
        for (const target of reports) {
          if (target.file === '-') io.out(target.format === 'json' ? JSON.stringify(result.report, null, 2) : formatJUnitReport(result.report!).replace(/\n$/, ''))
        }
        for (const file of result.reportFiles) say(`Wrote the report to ${file}`)
        setExitCode(result.report && !result.report.passed ? 1 : 0)
      } finally {
        process.off('SIGINT', again)
        process.off('SIGTERM', again)
      }
    },
  )
}
