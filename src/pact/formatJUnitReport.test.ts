import { expect, it } from 'vitest'
import { formatJUnitReport } from './formatJUnitReport.js'

it('writes one escaped test case per interaction with failures and warnings', () => {
  const xml = formatJUnitReport({
    passed: false,
    provider: 'getraze-external-api',
    target: 'http://x',
    interactions: [
      {
        consumer: 'c',
        description: 'a <tricky> "one"',
        states: ['s1'],
        verdict: 'failed',
        failures: [{ path: 'status', expected: '200', actual: '400', message: 'expected 200 but was 400' }],
        warnings: [],
      },
      { consumer: 'c', description: 'ok', states: [], verdict: 'passed', failures: [], warnings: [{ path: '$.a', expected: 'absent', actual: '1', message: 'extra field "a"' }] },
    ],
  })
  expect(xml).toContain('<testsuite name="getraze-external-api" tests="2" failures="1" skipped="0">')
  expect(xml).toContain('name="a &#60;tricky&#62; &#34;one&#34; [given s1]"')
  expect(xml).toContain('<failure message="expected 200 but was 400">status: expected 200, got 400 (expected 200 but was 400)</failure>')
  expect(xml).toContain('<system-out>$.a: expected absent, got 1 (extra field &#34;a&#34;)</system-out>')
})
