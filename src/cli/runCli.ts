import { readFileSync } from 'node:fs'
import type { CliIo } from './CliIo.js'
import { endpoints } from '../contract/endpoints.js'
import type { EndpointDefinition } from '../contract/EndpointDefinition.js'
import yargs from 'yargs'
import { GetRazeMockError } from '../errors/GetRazeMockError.js'
import { startMockServer } from '../server/startMockServer.js'
import { defaultMaxFixtureBytes } from '../store/readFixtureFiles.js'
import { formatRequestLog } from './formatRequestLog.js'
import { adminExposureWarning, adminTokenVariable, readAdminTokenFile, toServerOptions } from './toServerOptions.js'
import type { ServeArgs } from './toServerOptions.js'
import { addVerifyCommand } from './verifyCommand.js'
import { addOpenApiCommand } from './openapiCommand.js'
import { addRecordCommand } from './recordCommand.js'
import { skipHelpCaching } from './skipHelpCaching.js'


const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
}

/** The endpoint whose docs' example the banner offers: the first that changes something, as the kit began with. */
const bannerEndpoint: EndpointDefinition = (endpoints as readonly EndpointDefinition[]).find((endpoint) => endpoint.body !== undefined) ?? endpoints[0]

/**
 * The docs' example request of an endpoint as a one-line curl against `origin`.
 *
 * @example
 * exampleCurl(updateOpportunityStageContract, 'http://127.0.0.1:4010')
 */
export function exampleCurl(endpoint: EndpointDefinition, origin: string): string {
  const params: Readonly<Record<string, string>> = endpoint.example.params
  const path = endpoint.path.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params[name] ?? ''))
  const body = endpoint.example.body === undefined ? '' : ` -H "Content-Type: application/json" -d '${JSON.stringify(endpoint.example.body)}'`
  return `curl -X ${endpoint.method} ${origin}${path} -H "X-API-Key: YOUR_API_KEY"${body}`
}

/**
 * The package's version for `--version`. Both dist/cli/ and the bundle in dist/bundle/ sit two
 * levels below the package root, so one relative path serves both.
 */
function readVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  return manifest.version
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`
}

/**
 * Rewrites the library's listen errors with the flags to change: a library user passes `port`,
 * a CLI user `--port`.
 */
function withFlagHint(error: unknown, host: string, port: number): unknown {
  if (!(error instanceof GetRazeMockError)) return error
  if (error.code === 'PORT_IN_USE') {
    return new GetRazeMockError(
      'PORT_IN_USE',
      `Failed to start the mock server: port ${port} on ${host} is already in use. Stop the other process or pick another port with --port (0 picks a free one).`,
      { cause: error },
    )
  }
  if (error.code === 'SERVER_START_FAILED') {
    return new GetRazeMockError('SERVER_START_FAILED', error.message.replace(/ Check the host and port options\.$/, ' Check --host and --port.'), {
      cause: error,
    })
  }
  return error
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
  // verify and record exit 1 for drift they found, so a usage error is 2.
  const usageExitCode = argv[0] === 'verify' || argv[0] === 'record' ? 2 : 1

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
            describe:
              'Fixture JSON files to seed the store with, in order; a later file replaces records with the same id (API keys: key). ' +
              '"default" is the bundled fixtures/default.json (also the default)',
          })
          .option('now', { type: 'string', describe: 'Freeze the clock at this ISO 8601 instant, e.g. 2024-01-25T10:00:00Z' })
          .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Do not log requests' })
          .option('cors', { type: 'boolean', default: true, describe: 'Answer CORS preflights and send CORS headers (--no-cors to turn off)' })
          .option('cors-origin', { type: 'string', array: true, describe: 'Allowed browser origins (default: any)' })
          .option('max-body-bytes', { requiresArg: true, default: 1048576, describe: 'Largest request body accepted; larger ones get 413' })
          .option('headers-timeout', { requiresArg: true, describe: 'Milliseconds a client has to send its headers, else 408 (default 10000)' })
          .option('request-timeout', { requiresArg: true, describe: 'Milliseconds a client has to send the whole request, else 408 (default 30000)' })
          .option('keep-alive-timeout', { requiresArg: true, describe: 'Milliseconds an idle keep-alive connection stays open (default 5000)' })
          .option('grace-period', {
            requiresArg: true,
            describe: 'On SIGINT/SIGTERM, milliseconds requests in flight get to finish (default 5000); a second signal stops at once',
          })
          .option('max-fixture-bytes', {
            requiresArg: true,
            default: defaultMaxFixtureBytes,
            describe: 'Largest fixture file read (1 GiB); larger files, and anything not a regular file, are refused',
          })
          .option('journal-size', { requiresArg: true, describe: 'Requests the journal keeps for /__admin/requests (default 10000; 0 turns it off)' })
          .option('seed', {
            type: 'string',
            requiresArg: true,
            describe: 'Make the ids of created contacts and opportunities reproducible (the same seed gives the same ids; default random)',
          })
          .option('admin', { type: 'boolean', default: true, describe: 'Serve the test-control API under /__admin (--no-admin to turn it off)' })
          .option('admin-token', {
            type: 'string',
            requiresArg: true,
            describe: `Require Authorization: Bearer <token> on /__admin and allow non-loopback clients (printable ASCII, no spaces). Other processes can read it from the command line: prefer ${adminTokenVariable} or --admin-token-file`,
          })
          .option('admin-token-file', { type: 'string', requiresArg: true, describe: 'Read the admin token from this file (surrounding whitespace dropped)' })
          .option('admin-allowed-host', {
            type: 'string',
            array: true,
            requiresArg: true,
            describe:
              'Also answer /__admin requests addressed to this host name (a tunnel or proxy that forwards to the mock); by default only localhost, 127.x, [::1] and --host. Use with an admin token',
          })
          .example('$0 serve', 'Serve the default fixtures on http://127.0.0.1:4010')
          .example('$0 serve --now 2024-01-25T10:00:00Z', "Freeze the clock, so responses match the docs' example")
          .example('$0 serve -p 0 -f default my-fixtures.json', 'Layer your own fixtures over the bundled ones on a free port')
          .example(`${adminTokenVariable}=s3cret $0 serve --host 0.0.0.0`, 'Reachable from other machines; /__admin needs the token (kept off the command line)')
          .epilog(`Environment: ${adminTokenVariable} holds the admin token when neither --admin-token nor --admin-token-file is given.`),
      async (args) => {
        const options = toServerOptions(args as unknown as ServeArgs, { env: process.env, readTokenFile: readAdminTokenFile })
        const server = await startMockServer({
          ...options,
          onRequest: args.quiet ? undefined : (entry) => io.out(formatRequestLog(entry)),
        }).catch((error: unknown) => {
          throw withFlagHint(error, options.host ?? '127.0.0.1', options.port ?? 4010)
        })
        const counts = server.mock.fixtureCounts
        // options.now is --now normalised to UTC, so the banner shows the instant the mock uses.
        const clock = options.now !== undefined ? `clock frozen at ${String(options.now)}` : 'real clock'
        io.out(`getraze-mock listening on ${server.url}`)
        const warning = adminExposureWarning(options)
        if (warning) io.err(warning)
        io.out(
          `  ${plural(counts.opportunities, 'opportunity', 'opportunities')}, ${plural(counts.apiKeys, 'API key', 'API keys')}, ${clock}; try:\n` +
            `  ${exampleCurl(bannerEndpoint, server.url)}`,
        )
        // The server closes itself on the signal (handleSignals, which also reports what a grace
        // period that runs out or a second signal drops); this says what it is doing.
        const gracePeriodMs = options.gracePeriodMs ?? 5000
        const onStop = (signal: NodeJS.Signals) => {
          process.off('SIGINT', onStop)
          process.off('SIGTERM', onStop)
          const inFlight = server.inFlight
          const requests = plural(inFlight, 'request', 'requests')
          if (inFlight > 0) io.out(`Stopping on ${signal}: finishing ${requests} in flight (up to ${gracePeriodMs} ms; ${signal} again stops at once).`)
          void server.close().then(() => io.out(`getraze-mock stopped on ${signal}; ${inFlight === 0 ? 'no requests were' : `${requests} ${inFlight === 1 ? 'was' : 'were'}`} in flight.`))
        }
        process.on('SIGINT', onStop)
        process.on('SIGTERM', onStop)
      },
    )
    .strict()
    .demandCommand(1, 'Name a command: serve, record, verify or openapi.')
    .recommendCommands()
    .help()
    .alias('help', 'h')
    .version('version', 'Show the version number', readVersion())
    .wrap(Math.min(110, process.stdout.columns || 110))
    .exitProcess(false)
    .fail((message, error) => {
      // yargs reports its own parse errors as YError; everything else came from a command.
      if (error && error.name !== 'YError') throw error
      const text = message ?? error?.message ?? 'invalid arguments'
      // recommendCommands words a mistyped command as a question; keep it one, as the fix.
      const suggestion = /^Did you mean (\S+)\?$/.exec(text)
      if (suggestion) {
        throw new GetRazeMockError(
          'INVALID_OPTION',
          `Failed to parse the command line: ${JSON.stringify(argv[0])} is not a command. Did you mean ${suggestion[1]}? Run getraze-mock --help for the commands.`,
        )
      }
      throw new GetRazeMockError('INVALID_OPTION', `Failed to parse the command line: ${text.replace(/\.$/, '')}. Run getraze-mock --help for the options.`)
    })

  addVerifyCommand(cli, io, (code) => {
    exitCode = code
  })
  addOpenApiCommand(cli, io)
  addRecordCommand(cli, io, (code) => {
    exitCode = code
  })
  // A command's help is formatted only when asked for (--help): see skipHelpCaching.
  skipHelpCaching(cli)

  try {
    await cli.parseAsync()
  } catch (error) {
    if (error instanceof GetRazeMockError) {
      io.err(error.message)
      return error.code === 'INVALID_OPTION' || error.code === 'PACT_NOT_FOUND' || error.code === 'PACT_EMPTY' ? usageExitCode : 1
    }
    io.err(`Failed to run getraze-mock: ${(error as Error).message}. This is a bug; please report it with the command you ran.`)
    return 1
  }
  return exitCode
}
