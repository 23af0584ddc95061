import type { ListParams } from '../../contract/listQuery.js'
import type { RecordCollection, ResourceDefinition } from '../../contract/resources.js'
import type { MockStore } from '../../store/createStore.js'
import type { ListResult } from '../../store/createListIndex.js'
import { ok } from '../apiError.js'
import type { OperationResult } from '../apiError.js'

/**
 * The answer of a resource's list endpoint: one page of the caller's records, each shown as the
 * list page shows it, under the resource's plural (`data.contacts`), and the docs' pagination.
 * Every list endpoint is this one function over its resource; only `toItem` differs.
 *
 * @example
 * answerList(store, contactResource, apiKey.account, query, toContactItem)
 */
export function answerList<T>(
  store: MockStore,
  resource: Pick<ResourceDefinition, 'collection' | 'plural'> & { collection: RecordCollection },
  account: string,
  params: ListParams,
  toItem: (record: T) => unknown,
): OperationResult {
  const { page, limit } = params
  const query = {
    filters: params.filters,
    sortBy: params.sortBy,
    descending: params.sortOrder === 'desc',
    offset: (page - 1) * limit,
    limit,
    ...(params.search === undefined ? {} : { search: params.search }),
  }
  const { records, total } = store.listRecords(resource.collection, account, query) as ListResult<T>
  return ok({
    [resource.plural]: records.map(toItem),
    pagination: { page, limit, total, total_pages: Math.ceil(total / limit) },
  })
}
