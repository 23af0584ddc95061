/**
 * Issue 18, item 12: the provider guide's state functions, `({ key }) => db.apiKeys.insert(...)`,
 * were a type error when `insert` returns the row, and at run time the row became the state's
 * answer. The API-key states answer `{}` (Pact injects nothing from them): what their functions
 * return is now ignored, in the types and in the answer.
 */
import { expect, it } from 'vitest'
import { createProviderStateHandler } from '../../src/provider/index.js'

interface KeyRow {
  id: number
  key: string
  permissions: string[]
  createdAt: Date
}

/** A database whose insert resolves to the stored row, as most query builders and ORMs do. */
const rows: KeyRow[] = []
const db = {
  apiKeys: {
    insert: async (values: { key: string; permissions?: string[] }): Promise<KeyRow> => {
      const row = { id: rows.length + 1, key: values.key, permissions: values.permissions ?? [], createdAt: new Date(0) }
      rows.push(row)
      return row
    },
  },
}

const handler = createProviderStateHandler({
  'an opportunity exists': () => ({ id: 'opp-1' }),
  'no opportunity exists': () => ({ id: 'never-issued' }),
  'an API key exists': ({ key, permissions }) => db.apiKeys.insert({ key, permissions }),
  'an API key has been revoked': ({ key }) => db.apiKeys.insert({ key }),
  'an API key has expired': ({ key }) => db.apiKeys.insert({ key }),
  'an API key has used its hourly rate limit': ({ key }) => db.apiKeys.insert({ key }),
})

it('accepts API-key state functions that return the inserted row, and answers {} for them', async () => {
  const answer = await handler.handle({ state: 'an API key exists', params: { key: 'gr_test_pact_writer', permissions: ['opportunities:write'] }, action: 'setup' })

  expect(answer).toEqual({ status: 200, body: {} })
  expect(rows.map((row) => row.key)).toEqual(['gr_test_pact_writer'])
})

it('still answers the values an opportunity state returns, for Pact to inject', async () => {
  expect(await handler.handle({ state: 'an opportunity exists', params: {}, action: 'setup' })).toEqual({ status: 200, body: { id: 'opp-1' } })
})
