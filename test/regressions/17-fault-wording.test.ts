// Faults and Prefer answer a field's own code as the pipeline words it: INVALID_EMAIL has a fixed
// message (no enum), so it must not read "Email value is not valid. Allowed values: ." (issue 17).
import { expect, it, onTestFinished } from 'vitest'
import { startMockServer } from '../../src/server/startMockServer.js'

it('answers Prefer: error=INVALID_EMAIL on create-contact with the endpoint\'s own message', async () => {
  const server = await startMockServer({ port: 0 })
  onTestFinished(() => server.close())

  const response = await fetch(`${server.url}/external/v1/contacts`, {
    method: 'POST',
    headers: { 'x-api-key': 'YOUR_API_KEY', 'content-type': 'application/json', prefer: 'error=INVALID_EMAIL' },
    body: JSON.stringify({ name: 'Jane Smith' }),
  })

  expect(response.status).toBe(400)
  expect(((await response.json()) as { error: unknown }).error).toEqual({
    code: 'INVALID_EMAIL',
    message: 'Email format is invalid.',
    details: { field: 'email', received: null },
  })
})
