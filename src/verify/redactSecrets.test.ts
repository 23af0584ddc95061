import { expect, it } from 'vitest'
import { createLineFilter, createRedactor, redactDeep, redactUrl, splitUrlCredentials, urlProblem } from './redactSecrets.js'

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

it('hides a secret in the forms a provider may echo it in', () => {
  const secret = 'gw key/+"7x'
  const redact = createRedactor([secret])
  const inBase64 = Buffer.from(`{"k":"${secret}","n":1}`).toString('base64')
  for (const form of [secret, encodeURIComponent(secret), encodeURIComponent(secret).replace(/%20/g, '+'), JSON.stringify(secret).slice(1, -1), Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('base64url')]) {
    expect(redact(`before ${form} after`)).toBe('before *** after')
  }
  expect(Buffer.from(redact(inBase64).replace(/\*+/g, ''), 'base64').includes(secret)).toBe(false)
})

it('redacts a secret split across chunks, line by line, and drops the rest of an overlong line', () => {
  const lines: string[] = []
  const filter = createLineFilter(createRedactor(['s3cret-value']), (line) => lines.push(line))
  const text = Buffer.from('one s3cr')
  filter.write(text)
  filter.write(Buffer.from('et-value two\r\nthree'))
  filter.end()
  expect(lines).toEqual(['one *** two', 'three'])
  lines.length = 0
  filter.write(Buffer.alloc(2 * 1024 * 1024, 'a'))
  filter.write(Buffer.from('s3cret-value\nafter\n'))
  expect(lines[0]!.endsWith(' … (line cut)')).toBe(true)
  expect(lines[0]!.length).toBeLessThan(1024 * 1024)
  expect(lines[1]).toBe('after')
})

it('quotes a mistyped URL without what could be its password, and credential-named query values as stars', () => {
  expect(redactUrl('http://ci:PASS@127.0.0.1:99999')).toBe('http://***:***@127.0.0.1:99999')
  expect(redactUrl('http://ci:pa/ss?x#y@host/')).toBe('http://***:***@host/')
  expect(redactUrl('ci:PASS@host')).toBe('***:***@host')
  expect(redactUrl('https://broker.example/pacts?api_key=k1&x=1&access_token=t2')).toBe('https://broker.example/pacts?api_key=***&x=1&access_token=***')
  expect(urlProblem('http://ci:PASS@h:99999/x')).toBe('is not a URL: port 99999 is out of range (1-65535)')
  expect(urlProblem('http://h/x')).toBeUndefined()
})

it('counts credential-named query values among a URL\'s secrets', () => {
  expect(splitUrlCredentials('https://broker.example/p?token=t%2B1&x=1').secrets).toEqual(['t+1', 't%2B1'])
})
