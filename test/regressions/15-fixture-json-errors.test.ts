import { inspect } from 'node:util'
import { expect, it } from 'vitest'
import { GetRazeMockError } from '../../src/errors/GetRazeMockError.js'
import { readFixtureFiles } from '../../src/store/readFixtureFiles.js'
import { writeTempFiles } from '../support/tempFiles.js'

// Issue 15, item 11: a fixture file that is not JSON was reported with V8's message, which quotes
// the file's first bytes (`SHELL=/bin` for /proc/self/environ) or the text around the error.

function errorOf(paths: string[]): GetRazeMockError {
  try {
    readFixtureFiles(paths)
  } catch (error) {
    return error as GetRazeMockError
  }
  throw new Error('expected readFixtureFiles to throw')
}

it('names the file and the position of a syntax error without quoting the start of the file', () => {
  const [environ] = writeTempFiles({ environ: 'TOKEN=s3cr3t-value\0SHELL=/bin/bash\0' })

  const error = errorOf([environ!])

  expect(error.code).toBe('FIXTURE_INVALID')
  expect(error.message).toBe(
    `Failed to load fixtures: ${environ}: not valid JSON (an unexpected character where a value should be at line 1, column 1, byte 0). Fix the file and start again.`,
  )
})

it('does not quote the text around a syntax error further in', () => {
  const [file] = writeTempFiles({ 'keys.json': '{\n  "apiKeys": [{ "key": "sk_live_0123456789abcdef" "name": "ci" }]\n}\n' })

  const error = errorOf([file!])

  expect(error.message).toBe(
    `Failed to load fixtures: ${file}: not valid JSON (expected ',' or '}' after a property value at line 2, column 51, byte 52). Fix the file and start again.`,
  )
  expect(error.message).not.toContain('sk_live')
  // Printed with its causes (an uncaught error, util.inspect), the error quotes nothing either.
  expect(inspect(error)).not.toContain('sk_live')
})

it('reads /proc/self/environ as a file that is not JSON, and prints none of it', () => {
  const error = errorOf(['/proc/self/environ'])

  expect(error.message).toMatch(/^Failed to load fixtures: \/proc\/self\/environ: not valid JSON \([a-z ,':]+ at line 1, column \d+, byte \d+\)\. Fix the file and start again\.$/)
  expect(error.message).not.toContain('=')
})
