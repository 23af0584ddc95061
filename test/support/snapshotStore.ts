import type { MockStore } from '../../src/store/createStore.js'

/**
 * A deep, plain copy of everything in the store, to show that a request changed nothing:
 * `expect(snapshotStore(store)).toEqual(before)`.
 */
export function snapshotStore(store: MockStore) {
  return JSON.parse(
    JSON.stringify({
      accounts: store.accounts.findMany(),
      apiKeys: store.apiKeys.findMany(),
      opportunities: store.opportunities.findMany(),
    }),
  ) as unknown
}
