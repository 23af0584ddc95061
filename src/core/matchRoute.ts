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
  // One entry per path template, with its endpoints by method: GET, PUT and DELETE of
  // `/contacts/:id` share a template, so a path is walked once per template, not once per endpoint.
  const templates = new Map<string, { pieces: CompiledRoute['pieces']; byMethod: Map<string, EndpointDefinition>; allow: string[] }>()
  for (const endpoint of endpoints) {
    let template = templates.get(endpoint.path)
    if (!template) templates.set(endpoint.path, (template = { pieces: cutTemplate(endpoint.path), byMethod: new Map(), allow: [] }))
    if (!template.byMethod.has(endpoint.method)) template.byMethod.set(endpoint.method, endpoint)
    template.allow.push(endpoint.method)
  }
  const compiled = [...templates.values()]

  // Walks the path along the pieces instead of splitting it, and decodes only a param that holds
  // a `%`: the router runs on every request, and splitting and decoding were its cost. The params
  // object is made only for a path that matches.
  function matchPath(path: string, pieces: CompiledRoute['pieces']): Record<string, string> | undefined {
    let params: Record<string, string> | undefined
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
      params ??= {}
      if (actual.includes('%')) {
        try {
          params[piece.param] = decodeURIComponent(actual)
        } catch {
          return undefined
        }
      } else params[piece.param] = actual
      at = end
    }
    return at === path.length ? (params ?? {}) : undefined
  }

  return function matchRoute(method: string, path: string): RouteMatch {
    let allow: string[] | undefined
    for (const template of compiled) {
      const params = matchPath(path, template.pieces)
      if (!params) continue
      const endpoint = template.byMethod.get(method)
      if (endpoint) return { kind: 'endpoint', endpoint, params }
      ;(allow ??= []).push(...template.allow)
    }
    return allow ? { kind: 'method-not-allowed', allow } : { kind: 'not-found' }
  }
}
