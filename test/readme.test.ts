/**
 * README.md's code blocks, run as a reader would run them (issue 18, item 12), so the README
 * cannot drift from the kit again. Every fenced block carries a marker on the line before it,
 * `<!-- readme-test: KIND ... -->` (test/support/readmeBlocks.ts lists the kinds):
 *
 * - `run NAME.ts` / `typecheck NAME.ts`: the block is written to NAME.ts in a scratch project under
 *   .tmp/ whose node_modules/getraze-mock links to this checkout, so `getraze-mock/...` imports
 *   resolve through package.json's `exports` to the built dist/, as in a consumer's project (the
 *   peers come from this checkout's node_modules). All of them are type-checked together, strict,
 *   `module`/`moduleResolution` `nodenext`; then NAME.test.ts files run with vitest and other run
 *   files with node. Files the blocks import that are not blocks themselves (the reader's own app
 *   or client) come from test/readme/.
 * - `shell` / `shell serve ARGS`: run with bash in the scratch project, `npx getraze-mock` being
 *   this checkout's bin; with `serve`, against `getraze-mock serve ARGS` on a free port (the
 *   block's 4010 becomes that port). Without a `check shell-output` block after it, the block must
 *   exit 0 and print no error envelope.
 * - `check NAME`: compared with what the kit really produces, by the check of that name below.
 * - `illustrative WHY`: not run.
 *
 * `npm test` builds dist/ first (pretest); run `npm run build` before running this file alone.
 */
import { spawn } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { endpoints } from '../src/contract/endpoints.js'
import { createGetRazeMock } from '../src/index.js'
import { startMockServer } from '../src/server/startMockServer.js'
import { startRecorder } from '../src/record/index.js'
import { listen } from '../src/verify/loopbackHttp.js'
import { createDriftingTarget, driftingContact, driftingRow } from './providers/createDriftingTarget.js'
import { consumerCompilerOptions } from './support/consumerCompilerOptions.js'
import { markerHelp, readReadmeBlocks } from './support/readmeBlocks.js'
import type { ReadmeBlock } from './support/readmeBlocks.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const bin = join(root, 'bin/getraze-mock.js')
const readme = readFileSync(join(root, 'README.md'), 'utf8')
const blocks = readReadmeBlocks(readme)
const where = (block: ReadmeBlock) => `README.md:${block.line}`
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string; exports: Record<string, string | { default: string }> }

type CodeBlock = ReadmeBlock & { marker: { kind: 'run' | 'typecheck'; file: string } }
const codeBlocks = blocks.filter((block): block is CodeBlock => block.marker?.kind === 'run' || block.marker?.kind === 'typecheck')
const scriptBlocks = codeBlocks.filter((block) => block.marker.kind === 'run' && !block.marker.file.endsWith('.test.ts'))
const testBlocks = codeBlocks.filter((block) => block.marker.kind === 'run' && block.marker.file.endsWith('.test.ts'))
const shellBlocks = blocks.filter((block) => block.marker?.kind === 'shell')
const checkBlocks = blocks.filter((block): block is ReadmeBlock & { marker: { kind: 'check'; name: string } } => block.marker?.kind === 'check')

mkdirSync(join(root, '.tmp'), { recursive: true })
const scratch = mkdtempSync(join(root, '.tmp', 'readme-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

beforeAll(() => {
  if (!existsSync(join(root, 'dist/index.d.ts')) || !existsSync(join(root, 'dist/bundle/index.js'))) {
    throw new Error('dist/ is missing: the README blocks use the built kit. Run `npm run build` (or `npm test`, which builds first).')
  }
  // The consumer's view of the kit: node_modules/getraze-mock is this checkout, as an install would be.
  mkdirSync(join(scratch, 'node_modules'))
  symlinkSync(root, join(scratch, 'node_modules/getraze-mock'), 'dir')
  cpSync(join(root, 'test/readme'), scratch, { recursive: true })
  for (const block of codeBlocks) {
    mkdirSync(dirname(join(scratch, block.marker.file)), { recursive: true })
    writeFileSync(join(scratch, block.marker.file), block.content)
  }
  writeFileSync(
    join(scratch, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        ...consumerCompilerOptions,
        noUncheckedIndexedAccess: true,
        // The blocks' own code against the kit's types. Checking every library's .d.ts too costs 4x
        // the time (vitest's and Pact's types); npm run test:package does that, skipLibCheck off,
        // for the example consumer and for every entry point (test/package/).
        skipLibCheck: true,
        resolveJsonModule: true,
        rootDir: '.',
        outDir: 'out',
      },
      include: ['**/*.ts'],
      exclude: ['out', 'node_modules'],
    }),
  )
  writeFileSync(
    join(scratch, 'vitest.config.mjs'),
    "export default { test: { include: ['**/*.test.ts'], exclude: ['out/**', 'node_modules/**'], testTimeout: 30000, hookTimeout: 30000 } }\n",
  )
})

/** The environment of every child: ours without what npm and vitest add (they would configure the child's npm or vitest). */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(npm_|VITEST|TEST$|NODE_ENV$|NODE_OPTIONS$)/i.test(name)) continue
    env[name] = value
  }
  return { ...env, PACT_DO_NOT_TRACK: 'true', NO_COLOR: '1', FORCE_COLOR: '0' }
}

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs a command to its end (killed after five minutes, so a hang fails instead of stalling the suite). */
function run(command: string, args: string[], cwd = scratch): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000)
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', (error) => resolve({ code: -1, stdout, stderr: `${stderr}\n${error.message}` }))
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined
  return () => (made ??= make())
}

/** tsc over every run/typecheck block; its messages point at README lines. */
const typeCheck = once(async () => {
  const result = await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--pretty', 'false'])
  const byFile = new Map(codeBlocks.map((block) => [block.marker.file, block]))
  const messages = `${result.stdout}${result.stderr}`.replace(/^(\S+?)\((\d+),(\d+)\)/gm, (whole, file: string, line: string, column: string) => {
    const block = byFile.get(file)
    if (block) return `README.md:${block.line + Number(line)}:${column} (${file})`
    return existsSync(join(root, 'test/readme', file)) ? `test/readme/${file}(${line},${column})` : whole
  })
  return { code: result.code, messages: messages.trim() }
})

interface VitestFileResult {
  name: string
  status: string
  message?: string
  assertionResults: Array<{ fullName: string; status: string; failureMessages: string[] }>
}

/** One vitest run over every NAME.test.ts block. */
const runTests = once(async () => {
  const report = join(scratch, 'vitest-report.json')
  const result = await run(process.execPath, [
    join(root, 'node_modules/vitest/vitest.mjs'),
    'run',
    '--config',
    'vitest.config.mjs',
    '--reporter=json',
    `--outputFile=${report}`,
  ])
  const files = existsSync(report) ? (JSON.parse(readFileSync(report, 'utf8')) as { testResults: VitestFileResult[] }).testResults : []
  return { result, files }
})

/** Starts `getraze-mock serve ARGS` from this checkout on a free port. */
function serve(args: string[]): Promise<{ port: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--quiet', ...args], { cwd: scratch, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()))
  return new Promise((resolve, reject) => {
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk
      const port = /listening on http:\/\/[^:\s]+:(\d+)/.exec(output)?.[1]
      if (port) {
        resolve({
          port: Number(port),
          stop: () => {
            child.kill('SIGTERM')
            return exited
          },
        })
      }
    })
    void exited.then(() => reject(new Error(`getraze-mock serve ${args.join(' ')} exited before listening:\n${output}`)))
  })
}

const shellRuns = new Map<ReadmeBlock, Promise<Run>>()

/** Runs a shell block (after the test blocks, whose output, such as a recorded pact, it may use). */
function runShell(block: ReadmeBlock): Promise<Run> {
  let running = shellRuns.get(block)
  if (!running) {
    running = (async () => {
      await runTests()
      const marker = block.marker as { kind: 'shell'; serve: string[] | null }
      let script = block.content.replace(/\bnpx getraze-mock\b|node_modules\/\.bin\/getraze-mock/g, `node '${bin}'`)
      const server = marker.serve ? await serve(marker.serve) : undefined
      try {
        if (server) script = script.replace(/\b(?:localhost|127\.0\.0\.1):4010\b/g, `127.0.0.1:${server.port}`)
        return await run('bash', ['-e', '-o', 'pipefail', '-c', script])
      } finally {
        await server?.stop()
      }
    })()
    shellRuns.set(block, running)
  }
  return running
}

/** The block before `block`, if any. */
function previous(block: ReadmeBlock): ReadmeBlock | undefined {
  return blocks[blocks.indexOf(block) - 1]
}

/** Each check produces what the block should show, from the kit itself. */
const checks: Record<string, (block: ReadmeBlock) => Promise<void>> = {
  /** The JSON (or text) a preceding shell block prints. */
  async 'shell-output'(block) {
    const shell = previous(block)!
    const output = await runShell(shell)
    expect(output.code, `${where(shell)} failed:\n${output.stderr}`).toBe(0)
    if (block.lang === 'json') expect(JSON.parse(output.stdout)).toEqual(JSON.parse(block.content))
    else expect(output.stdout.trim()).toBe(block.content.trim())
  },

  /** A fixture document: valid against the shipped schema's rules, loaded as the kit loads fixtures. */
  async 'fixture-document'(block) {
    const document = JSON.parse(block.content) as { opportunities?: Array<{ id: string }> }
    const mock = createGetRazeMock({ fixtures: [document] })
    await mock.ready
    for (const opportunity of document.opportunities ?? []) expect(mock.store.findOpportunity(opportunity.id)?.id).toBe(opportunity.id)
  },

  /** The one line `serve` prints for a fixture file with a bad record. */
  async 'fixture-error'(block) {
    const opportunity = (id: string, status: string) => ({
      id,
      account: 'acc_mine',
      name: id,
      status,
      created_at: '2024-01-10T09:00:00Z',
      updated_at: '2024-01-20T14:30:00Z',
    })
    mkdirSync(join(scratch, 'fixtures'), { recursive: true })
    writeFileSync(
      join(scratch, 'fixtures/mine.json'),
      JSON.stringify({
        accounts: [{ id: 'acc_mine', name: 'Mine' }],
        opportunities: [opportunity('opp_a', 'new'), opportunity('opp_b', 'won'), opportunity('opp_x', 'closed')],
      }),
    )

    const result = await run(process.execPath, [bin, 'serve', '--port', '0', '--fixtures', 'fixtures/mine.json'])

    expect(result.code).toBe(1)
    expect(result.stderr.trim()).toBe(block.content.trim())
  },

  /** What `expectCalls` throws after a 404 and a 405, when a 200 was expected. */
  async 'expect-calls-message'(block) {
    const running = await startMockServer({ port: 0, now: '2024-01-25T10:00:00Z' })
    try {
      const stage = (id: string) => `${running.url}/external/v1/opportunities/${id}/stage`
      const headers = { 'Content-Type': 'application/json', 'X-API-Key': 'YOUR_API_KEY' }
      await fetch(stage('opp_missing'), { method: 'PATCH', headers, body: '{"status":"won"}' })
      await fetch(stage('opp_abc123def456'), { headers })

      expect(() => running.mock.expectCalls({ method: 'PATCH', status: 200 }, 1)).toThrow(block.content.trim())
    } finally {
      await running.close()
    }
  },

  /** Lines `record --shadow` prints against the drifting target: each line of the block is one of them. */
  async 'record-shadow-lines'(block) {
    const staging = createDriftingTarget()
    staging.addKey('smoke_key_1')
    staging.addKey('smoke_key_2', { limit: 1 })
    staging.addKey('smoke_key_3')
    staging.addRow(driftingRow('opp_1'))
    staging.addContact(driftingContact('cnt_1'))
    staging.addContact(driftingContact('cnt_2', { email: 'davi@acme.example', created_at: '2024-01-12T09:00:00.000Z', updated_at: '2024-01-12T09:00:00.000Z' }))
    const target = await listen(staging.server)
    const out = mkdtempSync(join(scratch, 'record-'))
    const lines: string[] = []
    try {
      const recorder = await startRecorder({ target: target.url, port: 0, out, shadow: true, onDifference: (line) => lines.push(line), onNotice: () => undefined })
      const call = async (method: string, path: string, key: string, body?: unknown) =>
        (await fetch(`${recorder.url}/external/v1/opportunities/opp_1${path}`, { method, headers: { 'X-API-Key': key, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })).text()
      await call('GET', '', 'smoke_key_1')
      await call('PATCH', '/stage', 'smoke_key_1', { status: 'archived' })
      staging.state.requireStageId = true
      await call('PATCH', '/stage', 'smoke_key_1', { status: 'won' })
      staging.expire('smoke_key_1')
      await call('GET', '', 'smoke_key_1')
      await call('GET', '', 'smoke_key_2')
      await call('GET', '', 'smoke_key_2')
      const contacts = (method: string, body?: unknown) =>
        fetch(`${recorder.url}/external/v1/contacts`, { method, headers: { 'X-API-Key': 'smoke_key_3', 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })
      await (await contacts('GET')).text()
      await (await contacts('POST', { name: 'Carla Again', email: 'carla.reis@acme.example' })).text()
      await recorder.close()
    } finally {
      await target.close()
    }
    const shown = block.content.trim().split('\n')
    expect(shown.filter((line) => !lines.includes(line)), `printed:\n${lines.join('\n')}`).toEqual([])
  },

  /** The CLI synopsis names exactly the flags each command's --help lists. */
  async 'cli-synopsis'(block) {
    const synopsis = new Map<string, Set<string>>()
    let command = ''
    for (const line of block.content.split('\n')) {
      const start = /^getraze-mock (\w+)/.exec(line)
      if (start) command = start[1]!
      for (const [, flag] of line.matchAll(/--(?:no-)?([a-z][\w-]*)/g)) {
        if (!synopsis.has(command)) synopsis.set(command, new Set())
        synopsis.get(command)!.add(flag!)
      }
    }
    expect([...synopsis.keys()].sort()).toEqual(['openapi', 'record', 'serve', 'verify'])
    for (const [name, flags] of synopsis) {
      const help = await run(process.execPath, [bin, name, '--help'], root)
      const options = help.stdout.slice(help.stdout.indexOf('Options:'), help.stdout.includes('Examples:') ? help.stdout.indexOf('Examples:') : undefined)
      const listed = new Set([...options.matchAll(/^\s+(?:-\w, )?--([a-z][\w-]*)/gm)].map((match) => match[1]!).filter((flag) => flag !== 'help' && flag !== 'version'))
      expect([...flags].sort(), `README.md:${block.line}: the synopsis of "getraze-mock ${name}" must list the flags of its --help`).toEqual([...listed].sort())
    }
  },
}

it('marks every fenced block in README.md with a valid readme-test marker', () => {
  const problems: string[] = []
  const files = new Map<string, ReadmeBlock>()
  for (const block of blocks) {
    const at = `${where(block)} (\`\`\`${block.lang})`
    if (block.problem) problems.push(`${at}: ${block.problem}`)
    const marker = block.marker
    if (marker?.kind === 'run' || marker?.kind === 'typecheck') {
      const other = files.get(marker.file)
      if (other) problems.push(`${at}: ${marker.file} is also the file of ${where(other)}; give each block its own`)
      files.set(marker.file, block)
    }
    if (marker?.kind === 'check' && !(marker.name in checks)) problems.push(`${at}: no check named "${marker.name}"; add it to the checks in test/readme.test.ts`)
    if (marker?.kind === 'check' && marker.name === 'shell-output' && previous(block)?.marker?.kind !== 'shell') {
      problems.push(`${at}: "check shell-output" must follow the shell block whose output it shows`)
    }
    if (marker?.kind === 'shell' && !marker.serve && /:4010\b/.test(block.content)) {
      problems.push(`${at}: the block talks to port 4010; mark it "shell serve" so it runs against a served mock`)
    }
  }

  expect(problems, `${problems.join('\n')}\n\n${markerHelp}`).toEqual([])
})

it('reads the marker before each block and says what is wrong with a missing or bad one', () => {
  const markdown = [
    '```ts',
    'unmarked()',
    '```',
    '<!-- readme-test: runn a.ts -->',
    '```ts',
    '```',
    '<!-- readme-test: illustrative -->',
    '```json',
    '```',
    '<!-- readme-test: run a.ts -->',
    '```sh',
    '```',
    '- a list item:',
    '',
    '  <!-- readme-test: shell serve --now 2024-01-25T10:00:00Z -->',
    '  ```sh',
    '  curl localhost:4010',
    '  ```',
  ].join('\n')

  const read = readReadmeBlocks(markdown).map((block) => ({ line: block.line, problem: block.problem, marker: block.marker, content: block.content }))

  expect(read).toEqual([
    { line: 1, problem: 'no readme-test marker', marker: undefined, content: 'unmarked()\n' },
    { line: 5, problem: 'unknown kind "runn"', marker: undefined, content: '\n' },
    { line: 8, problem: '"illustrative" needs a reason', marker: undefined, content: '\n' },
    { line: 11, problem: '"run" is for ```ts blocks, this one is ```sh', marker: undefined, content: '\n' },
    { line: 16, problem: undefined, marker: { kind: 'shell', serve: ['--now', '2024-01-25T10:00:00Z'] }, content: 'curl localhost:4010\n' },
  ])
})

it('names the tarball npm pack writes for this version', () => {
  const names = [...new Set(readme.match(/getraze-mock-\d+\.\d+\.\d+[\w.-]*?\.tgz/g) ?? [])]

  expect(names).toEqual([`getraze-mock-${manifest.version}.tgz`])
})

it("lists every entry point of package.json's exports in the README's table, and only those", async () => {
  const rows = [...readme.matchAll(/^\| `(getraze-mock[^`]*)` \| (.*?) \|/gm)].map((match) => ({ entry: match[1]!, gives: match[2]! }))
  const entries = Object.keys(manifest.exports)
    .filter((key) => key !== './package.json')
    .map((key) => `getraze-mock${key.slice(1)}`)

  expect(rows.map((row) => row.entry).sort()).toEqual(entries.sort())
  for (const row of rows.filter((row) => !row.entry.includes('*'))) {
    const target = manifest.exports[`.${row.entry.slice('getraze-mock'.length)}`] as { default: string }
    const module = (await import(pathToFileURL(join(root, target.default)).href)) as Record<string, unknown>
    // Backquoted names in "gives" are the entry's exports; `fetch` is what the client uses.
    const named = [...row.gives.matchAll(/`([A-Za-z_$][\w$]*)`/g)].map((match) => match[1]!).filter((name) => name !== 'fetch')
    expect(named.filter((name) => !(name in module)), `${row.entry} does not export these`).toEqual([])
  }
})

it('type-checks every TypeScript block as a consumer would: strict, module and moduleResolution nodenext', async () => {
  const { code, messages } = await typeCheck()

  expect(messages, 'tsc found errors in README blocks (README.md:LINE:COLUMN)').toBe('')
  expect(code).toBe(0)
}, 360_000)

for (const block of scriptBlocks) {
  it(`runs the script at ${where(block)} (${block.marker.file}) with node`, async () => {
    await typeCheck()
    const script = join('out', block.marker.file.replace(/\.ts$/, '.js'))
    if (!existsSync(join(scratch, script))) throw new Error(`tsc wrote no ${script}: see the type-check test's failure`)
    const result = await run(process.execPath, [script])

    expect(result.code, `${where(block)} failed:\n${result.stdout}${result.stderr}`).toBe(0)
  }, 360_000)
}

for (const block of testBlocks) {
  it(`passes the tests at ${where(block)} (${block.marker.file}) with vitest`, async () => {
    const { result, files } = await runTests()
    const file = files.find((candidate) => relative(scratch, candidate.name) === block.marker.file)

    expect(file, `vitest did not run ${block.marker.file}:\n${result.stdout}${result.stderr}`).toBeDefined()
    const failures = file!.assertionResults.filter((test) => test.status !== 'passed').map((test) => `${test.fullName}: ${test.failureMessages.join('\n')}`)
    expect(failures, `${where(block)} (${block.marker.file}) failed:\n${file!.message ?? ''}\n${result.stderr}`).toEqual([])
    expect(file!.status).toBe('passed')
    expect(file!.assertionResults.length).toBeGreaterThan(0)
  }, 360_000)
}

for (const block of shellBlocks) {
  it(`runs the shell block at ${where(block)}`, async () => {
    const result = await runShell(block)

    expect(result.code, `${where(block)} failed (exit ${result.code}):\n${result.stdout}\n${result.stderr}`).toBe(0)
    if (blocks[blocks.indexOf(block) + 1]?.marker?.kind !== 'check') {
      expect(result.stdout, `${where(block)} printed an error envelope`).not.toContain('"success":false')
    }
  }, 360_000)
}

for (const block of checkBlocks) {
  it(`shows at ${where(block)} what the kit produces (check ${block.marker.name})`, async () => {
    const check = checks[block.marker.name]
    if (!check) throw new Error(`No check named "${block.marker.name}"`)

    await check(block)
  }, 360_000)
}

it("lists every endpoint of the registry in the Endpoints table, with its permission, success status and client method", () => {
  const rows = readme.split('\n').filter((line) => /^\| `(GET|POST|PUT|PATCH|DELETE) \//.test(line))
  for (const endpoint of endpoints) {
    const row = rows.find((line) => line.startsWith(`| \`${endpoint.method} ${endpoint.path}\` |`))
    expect(row, `${endpoint.method} ${endpoint.path} has no row`).toBeDefined()
    const [, , permission, success, client] = row!.split('|').map((cell) => cell.trim())
    expect(permission).toBe(`\`${endpoint.permission}\``)
    expect(success!.startsWith(String('successStatus' in endpoint ? endpoint.successStatus : 200))).toBe(true)
    expect(client!.startsWith(`\`client.${endpoint.client.group}.${endpoint.client.method}(`)).toBe(true)
  }
})
