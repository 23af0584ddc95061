import yargs from 'yargs'
import { GetRazeMockError } from '../errors/GetRazeMockError.js'
import { startMockServer } from '../server/startMockServer.js'
import { formatRequestLog } from './formatRequestLog.js'
import { adminExposureWarning, toServerOptions } from './toServerOptions.js'
import type { ServeArgs } from './toServerOptions.js'
import { addVerifyCommand } from './verifyCommand.js'

/** Where the CLI writes; tests pass their own. */
export interface CliIo {
  out(line: string): void
  err(line: string): void
}

const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
}

/**
 * Runs the `getraze-mock` command line. Resolves to the exit code for one-shot commands; `serve`
 * keeps running until SIGINT/SIGTERM.
 *
 * @example
 * process.exitCode = await runCli(process.argv.slice(2))
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let exitCode = 0
  const usageExitCode = argv[0] === 'verify' ? 2 : 1

  const cli = yargs([...argv])
    .scriptName('getraze-mock')
    .usage('$0 <command> [options]\n\nA mock server and contract-testing kit for the GetRaze external API.')
    .command(
      'serve',
      'Start the mock GetRaze API over HTTP, seeded from fixture files',
      (command) =>
        command
          .option('port', { alias: 'p', requiresArg: true, default: 4010, describe: 'Port to listen on (0 picks a free one)' })
          .option('host', { type: 'string', default: '127.0.0.1', describe: 'Interface to bind' })
          .option('fixtures', {
            alias: 'f',
            type: 'string',
            array: true,
            describe: 'Fixture JSON files to seed the store with, merged in order (default: the bundled fixtures/default.json)',
          })
          .option('now', { type: 'string', describe: 'Freeze the clock at this ISO 8601 instant, e.g. 2024-01-25T10:00:00Z' })
          .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Do not log requests' })
          .option('cors', { type: 'boolean', default: true, describe: 'Answer CORS preflights and send CORS headers (--no-cors to turn off)' })
          .option('cors-origin', { type: 'string', array: true, describe: 'Allowed browser origins (default: any)' })
          .option('max-body-bytes', { requiresArg: true, default: 1048576, describe: 'Largest request body accepted; larger ones get 413' })
          .option('journal-size', { requiresArg: true, describe: 'Requests the journal keeps for /__admin/requests (default 10000; 0 turns it off)' })
          .option('admin', { type: 'boolean', default: true, describe: 'Serve the test-control API under /__admin (--no-admin to turn it off)' })
          .option('admin-token', { type: 'string', requiresArg: true, describe: 'Require Authorization: Bearer <token> on /__admin and allow non-loopback clients' })
          .example('$0 serve', 'Serve the default fixtures on http://127.0.0.1:4010')
          .example('$0 serve --now 2024-01-25T10:00:00Z', "Freeze the clock, so responses match the docs' example")
          .example('$0 serve -p 0 -f fixtures/default.json my-fixtures.json', 'Layer your own fixtures on a free port')
          .example('$0 serve --host 0.0.0.0 --admin-token s3cret', 'Reachable from other machines; /__admin needs the token'),
      async (args) => {
        const options = toServerOptions(args as unknown as ServeArgs)
        const server = await startMockServer({
          ...options,
          onRequest: args.quiet ? undefined : (entry) => io.out(formatRequestLog(entry)),
        })
        const counts = server.mock.fixtureCounts
        const clock = args.now ? `clock frozen at ${args.now}` : 'real clock'
        io.out(`getraze-mock listening on ${server.url}`)
        const warning = adminExposureWarning(options)
        if (warning) io.err(warning)
        io.out(
          `  ${counts.opportunities} opportunities, ${counts.apiKeys} API keys, ${clock}; try:\n` +
            `  curl -X PATCH ${server.url}/external/v1/opportunities/opp_abc123def456/stage -H "X-API-Key: YOUR_API_KEY" -H "Content-Type: application/json" -d '{"status":"won"}'`,
        )
      },
    )
    .strict()
    .demandCommand(1, 'Name a command: serve or verify.')
    .recommendCommands()
    .help()
    .alias('help', 'h')
    .version(false)
    .wrap(Math.min(110, process.stdout.columns || 110))
    .exitProcess(false)
    .fail((message, error) => {
      // yargs reports its own parse errors as YError; everything else came from a command.
      if (error && error.name !== 'YError') throw error
      const reason = (message ?? error?.message ?? 'invalid arguments').replace(/\.$/, '')
      throw new GetRazeMockError('INVALID_OPTION', `Failed to parse the command line: ${reason}. Run getraze-mock --help for the options.`)
    })

  addVerifyCommand(cli, io, (code) => {
    exitCode = code
  })

  try {
    await cli.parseAsync()
  } catch (error) {
    if (error instanceof GetRazeMockError) {
      io.err(error.message)
      return error.code === 'INVALID_OPTION' || error.code === 'PACT_NOT_FOUND' ? usageExitCode : 1
    }
    io.err(`Failed to run getraze-mock: ${(error as Error).message}. This is a bug; please report it with the command you ran.`)
    return 1
  }
  return exitCode
}
