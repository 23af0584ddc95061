import type { z } from 'zod'
import type { EndpointOf, OperationId } from '../../contract/endpoints.js'
import type { ResourceDefinition } from '../../contract/resources.js'
import type { ApiKeyRecord } from '../../contract/schemas.js'
import type { MockStore } from '../../store/createStore.js'
import type { OperationResult } from '../apiError.js'

/** What an endpoint's operation gets once the pipeline has authenticated and validated the request. */
export interface OperationContext<Body = unknown, Query = unknown> {
  params: Record<string, string>
  body: Body
  /** The query parameters as the endpoint's schema parsed them (defaults applied). */
  query: Query
  apiKey: ApiKeyRecord
  store: MockStore
  now: Date
  /** A new id for a record of `resource`, unused in the store: random, or from the mock's `seed`. */
  newId(resource: Pick<ResourceDefinition, 'idPrefix' | 'collection'>): string
}

/** The behaviour behind one endpoint definition. It must validate everything before it writes. */
export type Operation<Body = unknown, Query = unknown> = (context: OperationContext<Body, Query>) => OperationResult

type Parsed<Schema> = Schema extends z.ZodType ? z.output<Schema> : undefined

/** The operation an endpoint definition needs: its body and query typed from the definition's schemas. */
export type OperationFor<Endpoint> = Operation<
  Parsed<Endpoint extends { body: infer Body } ? Body : undefined>,
  Parsed<Endpoint extends { query: infer Query } ? Query : undefined>
>

/**
 * One operation per documented endpoint, by `operationId`: a missing one, one too many, or one
 * whose body type differs from its definition's schema is a compile error.
 */
export type OperationRegistry = { readonly [Id in OperationId]: OperationFor<EndpointOf<Id>> }
