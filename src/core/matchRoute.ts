import type { EndpointDefinition } from '../contract/EndpointDefinition.js'

interface CompiledRoute {
  endpoint: EndpointDefinition
  segments: string[]
}

/** The outcome of routing: an endpoint with its params, a known path with another method, or nothing. */
export type RouteMatch =
  | { kind: 'endpoint'; endpoint: EndpointDefinition; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allow: string[] }
  | { kind: 'not-found' }

/**
 * Compiles endpoint path templates once and returns a matcher. Params are percent-decoded;
 * a param that does not decode makes the path unknown.
 *
 * @example
 * const match = compileRoutes(endpoints)
 * match('PATCH', '/external/v1/opportunities/opp_1/stage')
 */
export function compileRoutes(endpoints: readonly EndpointDefinition[]) {
  const routes: CompiledRoute[] = endpoints.map((endpoint) => ({ endpoint, segments: endpoint.path.split('/') }))

  function matchPath(segments: string[], template: string[]): Record<string, string> | undefined {
    if (segments.length !== template.length) return undefined
    const params: Record<string, string> = {}
    for (let i = 0; i < template.length; i++) {
      const part = template[i]!
      const actual = segments[i]!
      if (part.startsWith(':')) {
        if (actual === '') return undefined
        try {
          params[part.slice(1)] = decodeURIComponent(actual)
        } catch {
          return undefined
        }
      } else if (part !== actual) {
        return undefined
      }
    }
    return params
  }

  return function matchRoute(method: string, path: string): RouteMatch {
    const segments = path.split('/')
    const allow: string[] = []
    for (const route of routes) {
      const params = matchPath(segments, route.segments)
      if (!params) continue
      if (route.endpoint.method === method) return { kind: 'endpoint', endpoint: route.endpoint, params }
      allow.push(route.endpoint.method)
    }
    return allow.length > 0 ? { kind: 'method-not-allowed', allow } : { kind: 'not-found' }
  }
}
