import type { EndpointDefinition } from '../contract/EndpointDefinition.js'

/** The endpoints of one path template, by method, and how to match it. */
interface RouteTemplate {
  byMethod: Map<string, EndpointDefinition>
  allow: string[]
  /** The template's param names, in order. */
  params: string[]
  /** The template as an expression: a param is one non-empty segment. */
  source: string
  /** `source`, anchored. */
  pattern: RegExp
  /** In the all-templates expression: the group of the template's first param, and its marker group. */
  firstGroup: number
  markerGroup: number
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** A template's expression: its literal segments as they are, each `:param` one non-empty segment. */
function templateSource(path: string): { source: string; params: string[] } {
  const params: string[] = []
  const source = path
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return escapeRegExp(segment)
      params.push(segment.slice(1))
      return '([^/]+)'
    })
    .join('/')
  return { source, params }
}

/** The outcome of routing: an endpoint with its params, a known path with another method, or nothing. */
export type RouteMatch =
  | { kind: 'endpoint'; endpoint: EndpointDefinition; params: Readonly<Record<string, string>> }
  | { kind: 'method-not-allowed'; allow: string[] }
  | { kind: 'not-found' }

/**
 * Endpoint matches the router keeps by method and path. A client sends the same few paths
 * again and again (a test's ids, a bench's one request): a kept match costs a lookup where the
 * expression costs most of the router (decisions/0153). Bounded: when full it starts over, so
 * a stream of new paths costs one insert each and holds no more than this.
 */
const keptMatches = 512

/** Longer paths are routed every time: 512 paths of a URL's full length would hold megabytes. */
const keptPathChars = 256

/**
 * Compiles endpoint path templates once and returns a matcher. Params are percent-decoded;
 * a param that does not decode makes the path unknown. An endpoint's match is kept (see
 * `keptMatches`), so its params are frozen: the same object answers the same path again.
 *
 * @example
 * const match = compileRoutes(endpoints)
 * match('PATCH', '/external/v1/opportunities/opp_1/stage')
 */
export function compileRoutes(endpoints: readonly EndpointDefinition[]) {
  // One template per path, with its endpoints by method (GET, PUT and DELETE of `/contacts/:id`
  // share one), in the endpoints' order.
  const templates = new Map<string, RouteTemplate>()
  let groups = 0
  for (const endpoint of endpoints) {
    let template = templates.get(endpoint.path)
    if (!template) {
      const { source, params } = templateSource(endpoint.path)
      template = { byMethod: new Map(), allow: [], params, source, pattern: new RegExp(`^${source}$`), firstGroup: groups + 1, markerGroup: groups + params.length + 1 }
      groups += params.length + 1
      templates.set(endpoint.path, template)
    }
    if (!template.byMethod.has(endpoint.method)) template.byMethod.set(endpoint.method, endpoint)
    template.allow.push(endpoint.method)
  }
  const ordered = [...templates.values()]
  // Every template in one expression, each closed by an empty marker group: the first
  // alternative that matches is the first template in order whose segments match, found in one
  // pass. Comparing the path with each template in turn (`startsWith`, then splitting) was most
  // of the router's cost (decisions/0152).
  const anyTemplate = new RegExp(`^(?:${ordered.map((template) => `${template.source}()`).join('|')})$`)

  /** The params a match holds from `first` on, percent-decoded; `undefined` when one does not decode. */
  function decodeParams(names: readonly string[], match: RegExpExecArray, first: number): Record<string, string> | undefined {
    const params: Record<string, string> = {}
    for (let index = 0; index < names.length; index++) {
      const actual = match[first + index]!
      if (!actual.includes('%')) {
        params[names[index]!] = actual
        continue
      }
      try {
        params[names[index]!] = decodeURIComponent(actual)
      } catch {
        return undefined
      }
    }
    return params
  }

  /** Every template in order: the first that matches with the method, else every method served on the path. */
  function matchEachTemplate(method: string, path: string): RouteMatch {
    let allow: string[] | undefined
    for (const template of ordered) {
      const match = template.pattern.exec(path)
      if (!match) continue
      const params = decodeParams(template.params, match, 1)
      if (!params) continue
      const endpoint = template.byMethod.get(method)
      if (endpoint) return { kind: 'endpoint', endpoint, params }
      ;(allow ??= []).push(...template.allow)
    }
    return allow ? { kind: 'method-not-allowed', allow } : { kind: 'not-found' }
  }

  /** Endpoint matches by method, then path; `size` counts them across methods. */
  const kept = new Map<string, Map<string, RouteMatch>>()
  let size = 0

  function keep(method: string, path: string, found: RouteMatch): RouteMatch {
    if (found.kind !== 'endpoint' || path.length > keptPathChars) return found
    if (size >= keptMatches) {
      kept.clear()
      size = 0
    }
    let byPath = kept.get(method)
    if (!byPath) kept.set(method, (byPath = new Map()))
    Object.freeze(found.params)
    byPath.set(path, Object.freeze(found))
    size++
    return found
  }

  return function matchRoute(method: string, path: string): RouteMatch {
    const known = kept.get(method)?.get(path)
    if (known !== undefined) return known
    const match = anyTemplate.exec(path)
    // No template's segments fit the path.
    if (!match) return { kind: 'not-found' }
    const template = ordered.find((candidate) => match[candidate.markerGroup] !== undefined)!
    const endpoint = template.byMethod.get(method)
    const params = endpoint && decodeParams(template.params, match, template.firstGroup)
    // The common case, decided here; another method or a param that does not decode needs
    // every template that matches.
    return keep(method, path, endpoint && params ? { kind: 'endpoint', endpoint, params } : matchEachTemplate(method, path))
  }
}
