import { expect, it } from 'vitest'
import { getOpportunityContract } from '../contract/getOpportunityContract.js'
import { opportunityResource } from '../contract/resources.js'
import { updateOpportunityStageContract } from '../contract/updateOpportunityStageContract.js'
import { recordsInAnswer, toApiTimestamp, toStoredRecord } from './recordsInAnswer.js'

it('brings timestamps in other forms to the API\'s, to the second, and refuses what is not one', () => {
  expect(toApiTimestamp('2024-01-25T10:00:00Z')).toBe('2024-01-25T10:00:00Z')
  expect(toApiTimestamp('2024-01-25T10:00:00.999Z')).toBe('2024-01-25T10:00:00Z')
  expect(toApiTimestamp('2026-11-25 19:19:01.933483+00')).toBe('2026-11-25T19:19:01Z')
  expect(toApiTimestamp('2024-01-25T12:00:00+02:00')).toBe('2024-01-25T10:00:00Z')
  expect(toApiTimestamp('2024-01-25T12:00:00+0200')).toBe('2024-01-25T10:00:00Z')
  expect(toApiTimestamp('yesterday')).toBeUndefined()
  expect(toApiTimestamp('2024-01-25')).toBeUndefined()
})

it('finds the record an answer shows, and none in an error', () => {
  const data = { id: 'opp_1', name: 'A' }
  expect(recordsInAnswer(getOpportunityContract, { success: true, data })).toEqual([{ resource: opportunityResource, id: 'opp_1', fields: data }])
  expect(recordsInAnswer(updateOpportunityStageContract, { success: false, error: { code: 'NOT_FOUND' } })).toEqual([])
  expect(recordsInAnswer(getOpportunityContract, { success: true, data: [] })).toEqual([])
})

it('stores a shorter answer with the documented defaults and created_at from the earliest timestamp it has', () => {
  const stored = toStoredRecord(opportunityResource, { id: 'opp_1', name: 'A', status: 'won', won_at: '2024-01-25T10:00:00.123Z', updated_at: '2024-01-25T10:00:00Z', stage_change: {} }, undefined, 'acc_1')
  expect(stored.record).toEqual({
    id: 'opp_1',
    account: 'acc_1',
    name: 'A',
    email: null,
    phone: null,
    company: null,
    position: null,
    status: 'won',
    source: null,
    deal_value: null,
    deal_currency: null,
    linkedin_url: null,
    notes: null,
    campaign: null,
    responsible_user: null,
    won_at: '2024-01-25T10:00:00Z',
    lost_at: null,
    created_at: '2024-01-25T10:00:00Z',
    updated_at: '2024-01-25T10:00:00Z',
  })
  expect(stored.shown).toEqual(['id', 'name', 'status', 'won_at', 'updated_at'])
  expect(stored.filled).toEqual(['won_at (to the second)', 'created_at (from the earliest timestamp the record has)'])
})

it('keeps what was known of a field the answer shows in an undocumented form, and reads references from <field>_id', () => {
  const existing = toStoredRecord(opportunityResource, { id: 'opp_1', name: 'A', status: 'qualified', created_at: '2024-01-01T00:00:00Z', updated_at: '2024-01-02T00:00:00Z' }, undefined, 'acc_1').record
  const stored = toStoredRecord(opportunityResource, { id: 'opp_1', status: 'qualifying', campaign_id: 'camp_1', campaign_name: 'Fair' }, existing, 'acc_1')
  expect(stored.record).toMatchObject({ name: 'A', status: 'qualified', campaign: { id: 'camp_1', name: 'Fair' } })
  expect(stored.filled).toEqual(['status (kept: must be one of new, contacted, qualified, proposal, negotiation, won, lost)'])
})

it('cannot store a record whose required field has no documented value and was never known', () => {
  expect(toStoredRecord(opportunityResource, { id: 'opp_1', name: 'A', status: 'qualifying', updated_at: '2024-01-02T00:00:00Z' }, undefined, 'acc_1')).toMatchObject({
    record: undefined,
    problem: 'field "status" must be one of new, contacted, qualified, proposal, negotiation, won, lost',
  })
})
