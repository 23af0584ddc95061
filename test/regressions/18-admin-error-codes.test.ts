import { expect, it, onTestFinished } from 'vitest'
import { connectAdmin } from '../../src/admin/connectAdmin.js'
import { apiErrors } from '../../src/contract/apiErrors.js'
import { GetRazeMockError } from '../../src/errors/GetRazeMockError.js'
import { startMockServer } from '../../src/server/startMockServer.js'
import { sendRaw } from '../support/rawHttp.js'
import { docsNow } from '../support/transports.js'

// Issue 18, item 16: admin-token failures answered the API's MISSING_API_KEY and INVALID_API_KEY,
// so a client could not tell a refused admin call from a refused API call.

async function start() {
  const running = await startMockServer({ now: docsNow, port: 0, admin: { token: 'codes-token' } })
  onTestFinished(() => running.close())
  return running
}

async function caught(promise: Promise<unknown>): Promise<GetRazeMockError> {
  try {
    await promise
  } catch (error) {
    return error as GetRazeMockError
  }
  throw new Error('expected the call to fail')
}

it('answers admin-token failures with the admin API’s own codes, in the same envelope', async () => {
  const { url } = await start()

  const missing = await fetch(`${url}/__admin/clock`)
  const wrong = await fetch(`${url}/__admin/clock`, { headers: { authorization: 'Bearer not-the-token' } })
  const foreign = await sendRaw(url, ['GET /__admin/clock HTTP/1.1\r\nHost: attacker.example\r\nAuthorization: Bearer codes-token\r\nConnection: close\r\n\r\n'])

  expect(missing.status).toBe(401)
  expect(await missing.json()).toEqual({
    success: false,
    error: { code: 'ADMIN_TOKEN_REQUIRED', message: 'The admin API needs the admin token: send Authorization: Bearer <token> (the value of --admin-token).' },
  })
  expect(wrong.status).toBe(401)
  expect(await wrong.json()).toEqual({
    success: false,
    error: { code: 'ADMIN_TOKEN_INVALID', message: 'The admin token is wrong. Send the value of --admin-token as Authorization: Bearer <token>.' },
  })
  expect(foreign).toMatchObject({ status: 403, json: { success: false, error: { code: 'ADMIN_FORBIDDEN' } } })
  // Not GetRaze codes: the API's catalog, which faults and the drift checks use, does not hold them.
  expect(Object.keys(apiErrors)).not.toEqual(expect.arrayContaining(['ADMIN_TOKEN_REQUIRED']))
})

it('tells a connectAdmin caller which option to set for each admin-token failure', async () => {
  const { url } = await start()

  const missing = await caught(connectAdmin(url).journal.count())
  const wrong = await caught(connectAdmin(url, { token: 'not-the-token' }).faults.list())

  expect(missing).toBeInstanceOf(GetRazeMockError)
  expect(missing.code).toBe('ADMIN_REQUEST_FAILED')
  expect(missing.message).toBe(
    "Failed to count requests: the server requires its admin token (ADMIN_TOKEN_REQUIRED). Pass it as connectAdmin(url, { token }): the value of the server's --admin-token or GETRAZE_MOCK_ADMIN_TOKEN.",
  )
  expect(wrong.message).toBe(
    "Failed to list the faults: the server refused the admin token (ADMIN_TOKEN_INVALID). Pass the value of the server's --admin-token or GETRAZE_MOCK_ADMIN_TOKEN as connectAdmin(url, { token }).",
  )
})
