import type { HttpHandler } from 'msw'
import { expectTypeOf, it } from 'vitest'
import { updateOpportunityStage } from './client/index.js'
import type { GetRazeApiError } from './client/index.js'
import { createGetRazeClient, createGetRazeMock } from './index.js'
import type { GetRazeMockOptions, Opportunity, OpportunityStatus, StageUpdateData } from './index.js'
import { startMockServer } from './server/index.js'
import { connectAdmin } from './admin/index.js'
import type { Fault, TestControl } from './index.js'

it('types the handlers for msw and the store records from the contract', () => {
  const mock = createGetRazeMock()
  expectTypeOf(mock.handlers).toEqualTypeOf<HttpHandler[]>()
  expectTypeOf(mock.store.findOpportunity('x')).toEqualTypeOf<Opportunity | undefined>()
  expectTypeOf(mock.reset).returns.toEqualTypeOf<Promise<void>>()
})

it('accepts fixtures as paths or data and the clock as instant or function', () => {
  expectTypeOf<{ fixtures: ['a.json', { opportunities: [] }] }>().toExtend<GetRazeMockOptions>()
  expectTypeOf<{ now: () => Date }>().toExtend<GetRazeMockOptions>()
  expectTypeOf<{ now: '2024-01-25T10:00:00Z' }>().toExtend<GetRazeMockOptions>()
})

it('only lets the client send documented statuses and resolves to the documented data', () => {
  expectTypeOf(updateOpportunityStage).parameter(2).toEqualTypeOf<OpportunityStatus>()
  expectTypeOf(updateOpportunityStage).returns.resolves.toEqualTypeOf<StageUpdateData>()
  expectTypeOf<StageUpdateData['won_at']>().toEqualTypeOf<string | undefined>()
  expectTypeOf<GetRazeApiError['retryAfter']>().toEqualTypeOf<number | undefined>()
})

it('resolves the server to a url and close', () => {
  expectTypeOf(startMockServer).returns.resolves.toHaveProperty('url').toBeString()
  expectTypeOf(startMockServer).returns.resolves.toHaveProperty('close').returns.toEqualTypeOf<Promise<void>>()
})

it('exports the client function under its action name and the contract under a contract name', async () => {
  const root = await import('./index.js')
  expectTypeOf(root.updateOpportunityStage).toBeFunction()
  expectTypeOf(root.updateOpportunityStageContract).not.toBeFunction()
  expectTypeOf(root.updateOpportunityStageContract.method).toEqualTypeOf<'PATCH'>()
})

it('gives test control immediate answers in process and promises over HTTP, under one interface', async () => {
  const mock = createGetRazeMock()
  const running = await startMockServer({ port: 0 })
  const admin = connectAdmin(running.url)
  expectTypeOf(mock.journal.count()).toEqualTypeOf<number>()
  expectTypeOf(mock.expectCalls({ status: 429 }, 1)).toEqualTypeOf<void>()
  expectTypeOf(running.mock.faults.add({ error: 'RATE_LIMIT_EXCEEDED' })).toEqualTypeOf<string>()
  expectTypeOf(admin.journal.count()).toEqualTypeOf<Promise<number>>()
  expectTypeOf(admin.clock.now()).toEqualTypeOf<Promise<Date>>()
  expectTypeOf(mock).toExtend<TestControl<true>>()
  expectTypeOf(admin).toExtend<TestControl<false>>()
  expectTypeOf(admin.fixtures.add({ contacts: [] })).resolves.toHaveProperty('contacts').toEqualTypeOf<number>()
  expectTypeOf<{ error: 'NOT_A_CODE' }>().not.toExtend<Fault>()
})

it('types the client from the contract: path parameters, body and the documented data', () => {
  const client = createGetRazeClient({ baseUrl: 'https://app.getraze.com' })
  expectTypeOf(client.opportunities.updateStage).parameter(0).toEqualTypeOf<string>()
  expectTypeOf(client.opportunities.updateStage).parameter(1).toHaveProperty('status').toEqualTypeOf<OpportunityStatus>()
  expectTypeOf(client.opportunities.updateStage).returns.resolves.toEqualTypeOf<StageUpdateData>()
})
