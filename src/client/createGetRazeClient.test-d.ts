import { z } from 'zod'
import { expectTypeOf, it } from 'vitest'
import { listQuerySchema } from '../contract/listQuery.js'
import { contactResource } from '../contract/resources.js'
import type { ClientMethod, GetRazeClient } from './createGetRazeClient.js'

// Definitions of the shapes the API's endpoints have, standing in for them: the client's types
// are worked out from any definition alike.
const listThings = {
  path: '/external/v1/things' as const,
  query: listQuerySchema(contactResource.listing),
  response: z.strictObject({ success: z.literal(true), data: z.strictObject({ things: z.array(z.strictObject({ id: z.string() })) }) }),
}
const createThing = {
  path: '/external/v1/things' as const,
  body: z.looseObject({ name: z.string(), tags: z.array(z.string()).optional() }),
  response: z.strictObject({ success: z.literal(true), data: z.strictObject({ id: z.string(), name: z.string() }) }),
}
const updateThing = { ...createThing, path: '/external/v1/things/:id' as const }
const deleteThing = {
  path: '/external/v1/things/:id' as const,
  response: z.strictObject({ success: z.literal(true), message: z.string() }),
}

it('types a list method by the query parameters of its listing, numbers and lists included', () => {
  type List = ClientMethod<typeof listThings>
  expectTypeOf<List>().parameters.toEqualTypeOf<[query?: Parameters<List>[0]]>()
  type Query = NonNullable<Parameters<List>[0]>
  expectTypeOf<Query['page']>().toEqualTypeOf<string | number | undefined>()
  expectTypeOf<Query['tags']>().toEqualTypeOf<string | readonly string[] | undefined>()
  expectTypeOf<Query['sort_order']>().toEqualTypeOf<'asc' | 'desc' | undefined>()
  expectTypeOf<ReturnType<List>>().resolves.toEqualTypeOf<{ things: Array<{ id: string }> }>()
  const list = (() => Promise.resolve({ things: [] })) as List
  void list({ search: 'john', page: 2, limit: 50, tags: ['prospect', 'tech'], sort_by: 'name' })
  // @ts-expect-error: a parameter the listing does not have
  void list({ colour: 'red' })
  // @ts-expect-error: a sort field the listing does not have
  void list({ sort_by: 'colour' })
})

it('types a create method by its body, an update by its id then its body, a delete by its id resolving to the message', () => {
  expectTypeOf<ClientMethod<typeof createThing>>().parameters.toEqualTypeOf<[body: z.input<typeof createThing.body>]>()
  expectTypeOf<ReturnType<ClientMethod<typeof createThing>>>().resolves.toEqualTypeOf<{ id: string; name: string }>()
  expectTypeOf<ClientMethod<typeof updateThing>>().parameters.toEqualTypeOf<[string, body: z.input<typeof createThing.body>]>()
  expectTypeOf<ClientMethod<typeof deleteThing>>().parameters.toEqualTypeOf<[string]>()
  expectTypeOf<ReturnType<ClientMethod<typeof deleteThing>>>().resolves.toEqualTypeOf<{ message: string }>()
  const create = (() => Promise.resolve({ id: 'x', name: 'y' })) as ClientMethod<typeof createThing>
  // @ts-expect-error: the body's required field is missing
  void create({ tags: [] })
})

it("has the registry's groups and methods, the stage update among them", () => {
  type UpdateStage = GetRazeClient['opportunities']['updateStage']
  expectTypeOf<Parameters<UpdateStage>[0]>().toEqualTypeOf<string>()
  expectTypeOf<Parameters<UpdateStage>[1]['status']>().toEqualTypeOf<'new' | 'contacted' | 'qualified' | 'proposal' | 'negotiation' | 'won' | 'lost'>()
})
