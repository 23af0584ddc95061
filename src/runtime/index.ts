export { createMockRuntime } from './createMockRuntime.js'
export type { MockRuntime, MockRuntimeOptions, FixturesInput, FixtureData } from './createMockRuntime.js'
