import type { ApiKeyRecord } from '../../contract/schemas.js'
import type { MockStore } from '../../store/createStore.js'
import type { OperationResult } from '../apiError.js'

/** What an endpoint's operation gets once the pipeline has authenticated and validated the request. */
export interface OperationContext<Body = unknown> {
  params: Record<string, string>
  body: Body
  apiKey: ApiKeyRecord
  store: MockStore
  now: Date
}

/** The behaviour behind one endpoint contract. It must validate everything before it writes. */
export type Operation<Body = unknown> = (context: OperationContext<Body>) => OperationResult
