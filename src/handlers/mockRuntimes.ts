import type { MockRuntime } from '../core/createMockRuntime.js'

/**
 * The runtime behind each mock `createGetRazeMock` made, for kit code that needs more than the
 * public surface (`recordPact` observes the core). A WeakMap keeps it off the mock object and
 * lets mocks be collected as usual.
 */
const runtimes = new WeakMap<object, MockRuntime>()

/** Remembers the runtime behind `mock`. */
export function registerMockRuntime(mock: object, runtime: MockRuntime): void {
  runtimes.set(mock, runtime)
}

/** The runtime behind a mock from `createGetRazeMock`, or `undefined` for anything else. */
export function findMockRuntime(mock: object): MockRuntime | undefined {
  return runtimes.get(mock)
}
