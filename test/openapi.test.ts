// The OpenAPI description from the outside: the CLI command in both formats and to a file, and
// the standalone server's /__admin/openapi.json.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Validator } from '@seriousme/openapi-schema-validator'
import { parse } from 'yaml'
import { expect, it, onTestFinished } from 'vitest'
import { runCli } from '../src/cli/index.js'
import { endpoints } from '../src/contract/index.js'
import { buildOpenApiDocument } from '../src/openapi/index.js'
import { startMockServer } from '../src/server/startMockServer.js'

async function cli(args: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await runCli(args, { out: (line) => out.push(line), err: (line) => err.push(line) })
  return { code, out: out.join('\n'), err }
}

function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'getraze-openapi-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

it('prints the OpenAPI document as JSON by default', async () => {
  const { code, out } = await cli(['openapi'])
  expect(code).toBe(0)
  expect(JSON.parse(out)).toEqual(buildOpenApiDocument())
})

it('prints it as YAML with --format yaml, which a validator accepts', async () => {
  const { code, out } = await cli(['openapi', '--format', 'yaml'])
  expect(code).toBe(0)
  expect(out.startsWith('openapi: 3.1.0\n')).toBe(true)
  expect(parse(out)).toEqual(buildOpenApiDocument())
  expect((await new Validator().validate(out)).valid).toBe(true)
})

it('writes it to --out, creating the folder, and says where', async () => {
  const file = join(tempDir(), 'nested', 'openapi.yaml')
  const { code, out } = await cli(['openapi', '--format', 'yaml', '--out', file])
  expect(code).toBe(0)
  expect(out).toBe(`Wrote the OpenAPI yaml document to ${file}`)
  expect(parse(readFileSync(file, 'utf8'))).toEqual(buildOpenApiDocument())
})

it('rejects an unknown --format with one line and exit code 1', async () => {
  const { code, err } = await cli(['openapi', '--format', 'xml'])
  expect(code).toBe(1)
  expect(err).toHaveLength(1)
  expect(err[0]).toMatch(/^Failed to parse the command line: Invalid values:.*xml.*Run getraze-mock --help for the options\.$/s)
})

it('names the path when --out cannot be written', async () => {
  const dir = tempDir()
  const { code, err } = await cli(['openapi', '--out', dir])
  expect(code).toBe(1)
  expect(err[0]).toMatch(new RegExp(`^Failed to write the OpenAPI document: ${dir} cannot be written \\(EISDIR\\)\\. Pass a writable path to --out\\.$`))
})

it('serves the document at GET /__admin/openapi.json, listing itself as the first server', async () => {
  const server = await startMockServer({ port: 0 })
  onTestFinished(() => server.close())
  const response = await fetch(`${server.url}/__admin/openapi.json`)
  expect(response.status).toBe(200)
  expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8')
  const document = (await response.json()) as { servers: Array<{ url: string }>; paths: Record<string, unknown> }
  expect(document.servers[0]).toEqual({ url: server.url })
  // Every endpoint's path once, in OpenAPI's template syntax.
  const paths = [...new Set(endpoints.map((endpoint) => endpoint.path.replace(/:(\w+)/g, '{$1}')))]
  expect(Object.keys(document.paths).sort()).toEqual(paths.sort())
  expect(paths).toContain('/external/v1/opportunities/{id}/stage')
  expect((await new Validator().validate(document as Record<string, unknown>)).valid).toBe(true)
})
