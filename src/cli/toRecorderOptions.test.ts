import { expect, it } from 'vitest'
import { toRecorderOptions } from './toRecorderOptions.js'
import type { RecordArgs } from './toRecorderOptions.js'

const args = (overrides: Partial<RecordArgs> = {}): RecordArgs => ({
  target: 'https://sandbox.getraze.example',
  port: 4010,
  host: '127.0.0.1',
  out: 'recorded',
  shadow: false,
  consumer: 'recorded-consumer',
  ...overrides,
})

it('maps the flags to recorder options, and reports on standard output apart', () => {
  expect(toRecorderOptions(args({ shadow: true, redact: ['email,phone', 'notes'], report: ['json=-', 'junit=out/shadow.xml'], maxRecords: '500', port: '0' }))).toEqual({
    options: {
      target: 'https://sandbox.getraze.example',
      port: 0,
      host: '127.0.0.1',
      out: 'recorded',
      shadow: true,
      consumer: 'recorded-consumer',
      redact: ['email', 'phone', 'notes'],
      maxRecords: 500,
      reports: [{ format: 'junit', file: 'out/shadow.xml' }],
    },
    reports: [
      { format: 'json', file: '-' },
      { format: 'junit', file: 'out/shadow.xml' },
    ],
  })
})

it('turns redaction off with --redact none', () => {
  expect(toRecorderOptions(args({ redact: ['none'] })).options.redact).toEqual([])
})

it('refuses a missing or non-http(s) target without printing its password', () => {
  expect(() => toRecorderOptions(args({ target: undefined }))).toThrow("Failed to parse --target: it is required. Pass the provider's base URL, e.g. --target https://sandbox.getraze.example.")
  expect(() => toRecorderOptions(args({ target: 'file:///etc/passwd' }))).toThrow('Failed to parse --target: "file:///etc/passwd" is not an http(s) URL. Pass e.g. --target https://sandbox.getraze.example.')
  expect(() => toRecorderOptions(args({ target: 'ws://u:hunter2@staging.example' }))).toThrow('Failed to parse --target: "ws://***:***@staging.example" is not an http(s) URL. Pass e.g. --target https://sandbox.getraze.example.')
})

it('refuses bad values, naming the flag', () => {
  expect(() => toRecorderOptions(args({ port: 'x' }))).toThrow('Failed to parse --port: "x" is not a port number (0-65535). Pass e.g. --port 4010, or --port 0 for a free port.')
  expect(() => toRecorderOptions(args({ consumer: '../evil' }))).toThrow('Failed to parse --consumer: "../evil" is not a name of letters, digits, ".", "_" and "-". Pass e.g. --consumer my-app (it names the pact file).')
  expect(() => toRecorderOptions(args({ redact: ['e-mail'] }))).toThrow('Failed to parse --redact: "e-mail" is not a field name. Pass field names, e.g. --redact email,phone, or --redact none.')
  expect(() => toRecorderOptions(args({ report: ['json=r.json'] }))).toThrow('Failed to parse --report: the reports are the shadow report, and --shadow is not given. Add --shadow.')
  expect(() => toRecorderOptions(args({ maxRecords: '0' }))).toThrow('Failed to parse --max-records: "0" is not a positive whole number. Pass e.g. --max-records 10000.')
})
