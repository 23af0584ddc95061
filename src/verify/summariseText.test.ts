import { expect, it } from 'vitest'
import { summariseText } from './summariseText.js'

it('sums up an HTML error page in one line: its title and first words', () => {
  const page = '<!DOCTYPE html>\n<html>\n<head><title>Error</title><style>p{}</style></head>\n<body>\n<pre>Cannot PATCH /external/v1/x</pre>\n</body>\n</html>\n'
  expect(summariseText(page, 'text/html; charset=utf-8')).toBe('an HTML page: "Error: Cannot PATCH /external/v1/x"')
})

it('names the type of a text body, cuts it, and says when it is empty', () => {
  expect(summariseText(`upstream timed out\n${'x'.repeat(300)}`, 'text/plain')).toMatch(/^a text\/plain body: "upstream timed out x{101}…"$/)
  expect(summariseText('  ', undefined)).toBe('a body that is not JSON, empty')
})
