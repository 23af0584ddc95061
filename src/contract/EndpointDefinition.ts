import type { z } from 'zod'
import type { ApiErrorCode } from './apiErrors.js'
import type { Permission } from './permissions.js'
import type { ResourceDefinition } from './resources.js'

/** The HTTP methods the API's endpoints use. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/**
 * How a body field's invalid value is answered when it has a code of its own (the docs'
 * `INVALID_STATUS`): the code, and the word the message starts with ("Status value is not valid.
 * Allowed values: ..."). The allowed values come from the field's schema.
 */
export interface FieldErrorRule {
  code: ApiErrorCode
  /** The field as the message names it, capitalised: `'Status'`. */
  label: string
  /**
   * The whole message, for a field that is not an enum (`'Email format is invalid.'`); without
   * it the message lists the enum's allowed values.
   */
  message?: string
}

/**
 * What a key must be for a behaviour: one with the endpoint's permission (`valid`), one without
 * it (`lacking`), none at all, one the provider never issued (`unknown`), or one that is revoked,
 * expired or out of requests this hour.
 */
export type KeyCondition = 'valid' | 'lacking' | 'none' | 'unknown' | 'revoked' | 'expired' | 'limited'

/**
 * A value in a behaviour's request, states or answer. A string that is exactly `'{name}'` stands
 * for the behaviour's variable `name` (whatever its type); anything else is taken as it is.
 */
export type Template = unknown

/** A provider state a behaviour needs, with templated params. */
export interface StateTemplate {
  name: string
  params: Readonly<Record<string, Template>>
}

/** Which values a consumer may give a variable: listed ones, any but the listed ones, or any. */
export type VariableRule =
  | { oneOf: readonly unknown[] }
  | { noneOf: readonly unknown[] }
  | { any: true }

/**
 * One documented outcome of an endpoint, as data: what the provider must hold, what the client
 * sends, and what it gets back. The pact builders, `recordPact` and the review read these tables;
 * none of them knows an endpoint.
 */
export interface BehaviourDefinition {
  /** The interaction's description in a pact. */
  description: string
  /** The key the request carries. */
  key: KeyCondition
  /** The record states after the key's, in order. */
  states: readonly StateTemplate[]
  /** The values the templates use, with their defaults (the docs' example values). */
  variables: Readonly<Record<string, unknown>>
  /** Variables a consumer may set (builder options), and the values that fit the behaviour. */
  options: Readonly<Record<string, VariableRule>>
  /** What the client sends: path params, query and body, templated. */
  request: {
    params?: Readonly<Record<string, Template>>
    query?: Readonly<Record<string, Template>>
    body?: Template
  }
  /**
   * What the client gets: a success with its templated body, or a documented error with the
   * docs' own wording of its message (matched by type, so any provider's wording passes).
   */
  response: { status: number; body: Template } | { error: ApiErrorCode; message: string }
  /**
   * How a recorded answer is recognised as this behaviour, besides its status and error code:
   * fields of `data` and the values they may have.
   */
  recognise?: { data: Readonly<Record<string, readonly unknown[]>> }
  /**
   * Only `recordPact` writes it (no builder adds it): an outcome the docs fold into another one,
   * which a recording must still tell apart for its provider states.
   */
  recordedOnly?: boolean
}

/**
 * Everything the kit knows about one endpoint: the single definition that routing, the pipeline,
 * test control, the pact builders, recording, the review, the drift checks, the OpenAPI document,
 * the client and the provider states derive from. Adding an endpoint means writing one of these,
 * its operation (`src/core/operations/`), and registering both.
 */
export interface EndpointDefinition {
  /** Stable name, also the key of the endpoint's operation. */
  operationId: string
  method: HttpMethod
  /** Path template with `:param` segments. */
  path: string
  summary: string
  /** What a request does, for interaction descriptions: `'move an opportunity to another stage'`. */
  action: string
  /** The permission a key needs. */
  permission: Permission
  /** The record the path's `:id` names, when it names one. */
  resource?: ResourceDefinition
  /** Where the typed client puts it: `client.opportunities.updateStage(...)`. */
  client: { group: string; method: string }
  /** Request body schema; absent for endpoints without a body. */
  body?: z.ZodType
  /** Query parameters schema; absent for endpoints without parameters. */
  query?: z.ZodType
  /** The status of a success. @default 200 */
  successStatus?: number
  /** Schema of the success response, used to spot providers that drift from the docs. */
  response: z.ZodType
  /** Body fields whose invalid values have an error code of their own (else `VALIDATION_ERROR`). */
  fieldErrors?: Readonly<Record<string, FieldErrorRule>>
  /** Endpoint-specific error codes the docs list. */
  errors: readonly ApiErrorCode[]
  /** The docs' example, reproduced by the mock with a frozen clock. */
  example: {
    params: Readonly<Record<string, string>>
    query?: Readonly<Record<string, string>>
    body?: unknown
    now: string
    response: unknown
  }
  /** The documented outcomes, by name: the shared ones (keys, limits) and the endpoint's own. */
  behaviours: Readonly<Record<string, BehaviourDefinition>>
}
