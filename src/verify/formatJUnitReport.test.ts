import { expect, it } from 'vitest'
import { formatJUnitReport } from './formatJUnitReport.js'
import type { InteractionReport, VerificationReport } from './VerificationReport.js'

const interaction = (overrides: Partial<InteractionReport>): InteractionReport => ({
  consumer: 'c',
  description: 'ok',
  states: [],
  request: null,
  response: null,
  verdict: 'passed',
  durationMs: 1234,
  failures: [],
  diagnoses: [],
  warnings: [],
  ...overrides,
})

it('writes one escaped test case per interaction with its time, the most telling difference as the message', () => {
  const report: VerificationReport = {
    reportVersion: 1,
    kit: { name: 'getraze-mock', version: '0.1.0' },
    passed: false,
    provider: 'getraze-external-api',
    target: 'http://x',
    pactSources: ['a.json'],
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 2500,
    notices: [],
    totals: { interactions: 2, passed: 1, failed: 1, pending: 0, withWarnings: 1 },
    interactions: [
      interaction({
        description: 'a <tricky> "one"',
        states: [{ name: 's1', params: {}, answer: {}, error: null }],
        verdict: 'failed',
        request: { method: 'PATCH', path: '/external/v1/opportunities/1/stage', key: 'X-API-Key header', body: { status: 'won' } },
        response: { status: 400, headers: {}, body: {}, errorCode: 'VALIDATION_ERROR', errorMessage: 'stage_id is required' },
        failures: [{ path: 'status', expected: 200, actual: 400, message: 'expected 200 but was 400' }],
      }),
      interaction({ warnings: [{ path: '$.a', expected: null, actual: 1, message: 'extra field "a"' }] }),
    ],
  }
  const xml = formatJUnitReport(report)
  expect(xml).toContain('<testsuite name="getraze-external-api" tests="2" failures="1" skipped="0" time="2.500" timestamp="2026-01-01T00:00:00.000Z">')
  expect(xml).toContain('name="a &#60;tricky&#62; &#34;one&#34; [given s1]" time="1.234"')
  expect(xml).toContain(
    '<failure message="status: expected 200, got 400 (the provider answered 400 VALIDATION_ERROR &#34;stage_id is required&#34;)">',
  )
  expect(xml).toContain('<system-out>$.a: expected nothing, got 1 (extra field &#34;a&#34;)</system-out>')
})
