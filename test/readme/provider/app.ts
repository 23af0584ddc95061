// The README's provider guide imports its app, database and status table from './app.js': this
// stand-in is what test/readme.test.ts puts beside that block. Its inserts and upserts resolve to
// the stored row, as most query builders and ORMs do.
import { randomUUID } from 'node:crypto'
import express from 'express'

const stages = { new: 1, contacted: 2, qualified: 3, proposal: 4, negotiation: 5, won: 6, lost: 7 } as const

interface OpportunityRow {
  id: string
  name: string
  stageId: number
  dealValue: number | null
  createdAt: Date
}

interface ContactRow {
  id: string
  name: string
  email: string | null
  tags: string[]
  createdAt: Date
}

interface UserRow {
  id: string
  name: string
}

interface ApiKeyRow {
  id: string
  key: string
  permissions: string[]
  revokedAt: Date | null
  expiresAt: Date | null
  hourlyLimit: number
  usedThisHour: number
}

const tables = {
  opportunities: new Map<string, OpportunityRow>(),
  contacts: new Map<string, ContactRow>(),
  users: new Map<string, UserRow>(),
  api_keys: new Map<string, ApiKeyRow>(),
}

export const app = express()

export const db = {
  opportunities: {
    async insert(values: { name: string; stageId: number; dealValue: number | null }): Promise<OpportunityRow> {
      const row = { id: randomUUID(), createdAt: new Date(), ...values }
      tables.opportunities.set(row.id, row)
      return row
    },
  },
  contacts: {
    async insert(values: { name: string; email: string | null; tags: string[] }): Promise<ContactRow> {
      const row = { id: randomUUID(), createdAt: new Date(), ...values }
      tables.contacts.set(row.id, row)
      return row
    },
  },
  users: {
    /** Inserts the user, or renames the one that has the id; resolves to the stored row. */
    async upsert(values: UserRow): Promise<UserRow> {
      tables.users.set(values.id, values)
      return values
    },
  },
  apiKeys: {
    /** Inserts the key, or updates the row that has it; resolves to the stored row. */
    async upsert(values: Partial<Omit<ApiKeyRow, 'id'>> & { key: string }): Promise<ApiKeyRow> {
      const existing = [...tables.api_keys.values()].find((row) => row.key === values.key)
      const row = { id: existing?.id ?? randomUUID(), permissions: [], revokedAt: null, expiresAt: null, hourlyLimit: 1000, usedThisHour: 0, ...values }
      tables.api_keys.set(row.id, row)
      return row
    },
  },
  async truncate(...names: Array<keyof typeof tables>): Promise<void> {
    for (const name of names) tables[name].clear()
  },
}

export function stageFor(status: keyof typeof stages): number {
  return stages[status]
}
