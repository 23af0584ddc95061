import type { EndpointDefinition } from '../contract/EndpointDefinition.js'

interface CompiledRoute {
  endpoint: EndpointDefinition
  /**
   * The template cut at its params: `/external/v1/opportunities/:id/stage` is the literal
   * `/external/v1/opportunities/`, the param `id`, then the literal `/stage`.
   */
  pieces: Array<{ literal: string } | { param: string }>
}

/** Cuts a path template (`/a/:x/b`) into literals and params, as `CompiledRoute.pieces`. */
function cutTemplate(template: string): CompiledRoute['pieces'] {
  const pieces: CompiledRoute['pieces'] = []
  let literal = ''
  template.split('/').forEach((segment, index) => {
    if (index > 0) literal += '/'
    if (!segment.startsWith(':')) {
      literal += segment
      return
    }
    if (literal !== '') pieces.push({ literal })
    literal = ''
    pieces.push({ param: segment.slice(1) })
  })
  if (literal !== '') pieces.push({ literal })
  return pieces
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
  const routes: CompiledRoute[] = endpoints.map((endpoint) => ({ endpoint, pieces: cutTemplate(endpoint.path) }))

  // Walks the path along the pieces instead of splitting it, and decodes only a param that holds
  // a `%`: the router runs on every request, and splitting and decoding were its cost.
  function matchPath(path: string, pieces: CompiledRoute['pieces']): Record<string, string> | undefined {
    const params: Record<string, string> = {}
    let at = 0
    for (const piece of pieces) {
      if ('literal' in piece) {
        if (!path.startsWith(piece.literal, at)) return undefined
        at += piece.literal.length
        continue
      }
      const slash = path.indexOf('/', at)
      const end = slash === -1 ? path.length : slash
      if (end === at) return undefined
      const actual = path.slice(at, end)
      if (actual.includes('%')) {
        try {
          params[piece.param] = decodeURIComponent(actual)
        } catch {
          return undefined
        }
      } else params[piece.param] = actual
      at = end
    }
    return at === path.length ? params : undefined
  }

  return function matchRoute(method: string, path: string): RouteMatch {
    let allow: string[] | undefined
    for (const route of routes) {
      const params = matchPath(path, route.pieces)
      if (!params) continue
      if (route.endpoint.method === method) return { kind: 'endpoint', endpoint: route.endpoint, params }
      ;(allow ??= []).push(route.endpoint.method)
    }
    return allow ? { kind: 'method-not-allowed', allow } : { kind: 'not-found' }
  }
}
