// The kit's own consumer contract of the whole API: one interaction per documented behaviour of
// every endpoint (the behaviour tables' builder behaviours; recorded-only ones are a recording's
// business), each added by the generic engine consumer teams use (`addInteraction`) and exercised
// by the kit's typed client. It names no endpoint: one added to the registry joins the pact.
// Like the stage pact, it is written to a temporary folder and copied to pacts/ only if it
// changed and every test passed, so CI's check that pacts/ is unchanged covers it too.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PactV4 } from '@pact-foundation/pact'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { commitPact } from '../support/committedPacts.js'
import { GetRazeApiError, requestEndpoint } from '../../src/client/index.js'
import { buildableBehaviours, planInteraction } from '../../src/consumer/planInteraction.js'
import { endpoints } from '../../src/contract/endpoints.js'
import type { EndpointDefinition } from '../../src/contract/EndpointDefinition.js'
import { addInteraction, reviewPact } from '../../src/pact/index.js'

const kitConsumer = 'getraze-kit'
const provider = 'getraze-external-api'
const pactFile = `${kitConsumer}-${provider}.json`
const outDir = mkdtempSync(join(tmpdir(), 'getraze-kit-pact-'))
const pact = new PactV4({ consumer: kitConsumer, provider, dir: outDir, logLevel: 'error' })
const all = endpoints as readonly EndpointDefinition[]
const cases = all.flatMap((endpoint) => buildableBehaviours(endpoint).map((behaviour) => ({ endpoint, behaviour, name: `${endpoint.operationId} ${behaviour}` })))
/** A failed test leaves its interaction out of the generated pact: never copy such a pact. */
let anyTestFailed = false
beforeEach(({ onTestFailed }) => {
  onTestFailed(() => {
    anyTestFailed = true
  })
})

/** The path parameters in a filled path, by the endpoint's template. */
function paramsOf(endpoint: EndpointDefinition, path: string): Record<string, string> {
  const template = endpoint.path.split('/')
  const actual = path.split('/')
  return Object.fromEntries(template.flatMap((part, index) => (part.startsWith(':') ? [[part.slice(1), decodeURIComponent(actual[index]!)]] : [])))
}

it('gives every interaction of the pact its own description', () => {
  const descriptions = cases.map(({ endpoint, behaviour }) => planInteraction(endpoint, behaviour).description)
  expect(new Set(descriptions).size).toBe(descriptions.length)
  expect(all.every((endpoint) => cases.some((entry) => entry.endpoint === endpoint))).toBe(true)
})

describe.each(cases)('$name', ({ endpoint, behaviour }) => {
  it('is answered as documented to the typed client', async () => {
    const plan = planInteraction(endpoint, behaviour)
    const documented = endpoint.behaviours[behaviour]!.response
    await addInteraction(pact, endpoint, behaviour).executeTest(async (server, request) => {
      const call = requestEndpoint(endpoint, { baseUrl: server.url, ...(request.apiKey === undefined ? {} : { apiKey: request.apiKey }) }, {
        params: paramsOf(endpoint, plan.request.path),
        ...(plan.request.query ? { query: plan.request.query } : {}),
        ...(plan.request.body !== undefined ? { body: plan.request.body } : {}),
      })
      if ('error' in documented) {
        const error = await call.then(
          () => undefined,
          (reason: unknown) => reason,
        )
        expect(error).toBeInstanceOf(GetRazeApiError)
        expect(error).toMatchObject({ status: plan.response.status, code: documented.error })
        return
      }
      const answer = (await call) as Record<string, unknown>
      const success = (plan.response.body as { data?: unknown; message?: unknown })
      // What the client resolves to: `data`, or the rest of the envelope (a delete's message).
      expect(Object.keys(answer).sort()).toEqual(Object.keys((success.data ?? { message: success.message }) as object).sort())
    })
  })
})

it('writes a pact the review accepts, with one interaction per behaviour', () => {
  const written = JSON.parse(readFileSync(join(outDir, pactFile), 'utf8')) as { interactions: Array<{ description: string; providerStates?: unknown[] }> }
  expect(reviewPact(written)).toEqual([])
  expect(written.interactions).toHaveLength(cases.length)
  // Every interaction that sends a key has the state that creates it.
  expect(written.interactions.filter((interaction) => (interaction.providerStates ?? []).length === 0).map((interaction) => interaction.description)).toEqual(
    cases.filter(({ endpoint, behaviour }) => planInteraction(endpoint, behaviour).providerStates.length === 0).map(({ endpoint, behaviour }) => planInteraction(endpoint, behaviour).description).sort(),
  )
})

afterAll(() => {
  if (!anyTestFailed) commitPact(join(outDir, pactFile))
  rmSync(outDir, { recursive: true, force: true })
})
