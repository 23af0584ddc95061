import type { EndpointDefinition } from './EndpointDefinition.js'

/**
 * The earlier name of `EndpointDefinition`, kept for code written against it.
 * @deprecated Use `EndpointDefinition`.
 */
export type EndpointContract = EndpointDefinition
