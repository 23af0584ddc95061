import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import type { Argv } from 'yargs'
import { GetRazeMockError } from '../errors/GetRazeMockError.js'
import { buildOpenApiDocument } from '../openapi/buildOpenApiDocument.js'
import { toYaml } from '../openapi/toYaml.js'
import type { CliIo } from './CliIo.js'

/** The `openapi` flags as yargs parses them. */
export interface OpenApiArgs {
  format: 'json' | 'yaml'
  out?: string
}

/**
 * Renders the OpenAPI document as the flags ask: JSON (2-space indent) or YAML. Pure.
 *
 * @example
 * renderOpenApi({ format: 'yaml' }) // 'openapi: 3.1.0\n...'
 */
export function renderOpenApi(args: OpenApiArgs): string {
  const document = buildOpenApiDocument()
  return args.format === 'yaml' ? toYaml(document) : `${JSON.stringify(document, null, 2)}\n`
}

/** Adds `openapi` to the CLI: writes the OpenAPI 3.1 description to stdout or a file. */
export function addOpenApiCommand(cli: Argv, io: CliIo): void {
  cli.command(
    'openapi',
    'Write an OpenAPI 3.1 description of the API, generated from the same contract the mock serves',
    (command) =>
      command
        .option('format', { choices: ['json', 'yaml'] as const, default: 'json' as const, describe: 'Output format' })
        .option('out', { alias: 'o', type: 'string', requiresArg: true, describe: 'Write to this file instead of stdout' })
        .example('$0 openapi > openapi.json', 'Print the description as JSON')
        .example('$0 openapi --format yaml --out openapi.yaml', 'Write it as YAML, e.g. for Prism, Schemathesis or a client generator'),
    (args) => {
      const text = renderOpenApi(args as unknown as OpenApiArgs)
      if (args.out === undefined) {
        // One write, without the trailing newline io.out adds.
        io.out(text.slice(0, -1))
        return
      }
      try {
        mkdirSync(dirname(args.out), { recursive: true })
        writeFileSync(args.out, text)
      } catch (error) {
        throw new GetRazeMockError(
          'INVALID_OPTION',
          `Failed to write the OpenAPI document: ${args.out} cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). Pass a writable path to --out.`,
          { cause: error },
        )
      }
      io.out(`Wrote the OpenAPI ${args.format} document to ${args.out}`)
    },
  )
}
