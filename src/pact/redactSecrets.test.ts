import { expect, it } from 'vitest'
import { createRedactor, redactDeep, redactUrl, splitUrlCredentials } from './redactSecrets.js'

it('takes credentials out of a URL and sends them as basic auth', () => {
  const split = splitUrlCredentials('http://ci:p%40ss-word@staging.example:8080/_pact?x=1')
  expect(split.url).toBe('http://staging.example:8080/_pact?x=1')
  expect(split.authorization).toBe(`Basic ${Buffer.from('ci:p@ss-word').toString('base64')}`)
  expect(split.secrets).toEqual(expect.arrayContaining(['p@ss-word', 'p%40ss-word', Buffer.from('ci:p@ss-word').toString('base64')]))
})

it('leaves a URL without credentials alone', () => {
  expect(splitUrlCredentials('https://staging.example/')).toEqual({ url: 'https://staging.example/', authorization: undefined, secrets: [] })
})

it('prints a URL with its credentials as stars', () => {
  expect(redactUrl('http://ci:s3cret@staging.example/path')).toBe('http://***:***@staging.example/path')
  expect(redactUrl('http://staging.example/a@b')).toBe('http://staging.example/a@b')
})

it('hides every known secret in texts and JSON values, the longest first', () => {
  const redact = createRedactor(['abcdef', 'abcdef-long', 'x'])
  expect(redact('Bearer abcdef-long and abcdef, x stays')).toBe('Bearer *** and ***, x stays')
  expect(redactDeep({ a: ['abcdef'], abcdef: 1, n: 2 }, redact)).toEqual({ a: ['***'], '***': 1, n: 2 })
})
