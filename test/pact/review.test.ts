// The pact review inside `verify`: warnings by default, a failure with --strict.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it, onTestFinished } from 'vitest'
import { runCli } from '../../src/cli/index.js'

const committed = join(import.meta.dirname, '../../pacts/getraze-stage-client-getraze-external-api.json')

/** The committed pact's move to won, with its ids made literal: the mock passes it, a UUID provider would not. */
function writeBrittlePact(): string {
  const pact = JSON.parse(readFileSync(committed, 'utf8')) as { interactions: Array<Record<string, any>> }
  const won = pact.interactions.find((interaction) => interaction.description === 'a request to move an opportunity to won')!
  delete won.request.generators
  delete won.response.generators
  const dir = mkdtempSync(join(tmpdir(), 'getraze-review-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'brittle.json')
  writeFileSync(file, JSON.stringify({ ...pact, interactions: [won] }))
  return file
}

async function verify(args: string[]) {
  const lines: string[] = []
  const code = await runCli(['verify', ...args], { out: (line) => lines.push(line), err: (line) => lines.push(line) })
  return { code, text: lines.join('\n') }
}

it('passes a brittle pact against the mock but warns about its literal ids', async () => {
  const { code, text } = await verify(['--pact', writeBrittlePact()])
  expect(text).toContain(
    '! pact review: request path: expected the id the provider state answers with (fromProviderState), got "opp_abc123def456" (literal id where the value comes from a state; fails against any provider that generates ids)',
  )
  expect(text).toContain(
    '! pact review: $.data.id: expected the id the provider state answers with (fromProviderState), got "opp_abc123def456" (id matched by type where the value comes from a state; any id passes, not only the record\'s the path names)',
  )
  expect(text).toContain('Verification passed.')
  expect(code).toBe(0)
})

it('fails the same pact with --strict', async () => {
  const { code, text } = await verify(['--pact', writeBrittlePact(), '--strict'])
  expect(text).toContain('✗ pact review: request path: expected the id the provider state answers with (fromProviderState), got "opp_abc123def456"')
  expect(text).toContain('FAIL  a request to move an opportunity to won')
  expect(text).toContain('Verification failed: 1 of 1 interaction.')
  expect(code).toBe(1)
})

it('passes the committed pact with --strict: the review has nothing to say', async () => {
  const { code, text } = await verify(['--pact', committed, '--strict'])
  expect(text).not.toContain('pact review')
  expect(code).toBe(0)
})
