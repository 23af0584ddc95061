/**
 * Codes of the errors the kit itself raises (configuration, fixtures, CLI, verification),
 * and the documented API error codes that the mock's operations throw.
 */
export type GetRazeMockErrorCode =
  | 'INVALID_OPTION'
  | 'FIXTURE_INVALID'
  | 'FIXTURE_UNREADABLE'
  | 'PORT_IN_USE'
  | 'SERVER_START_FAILED'
  | 'PACT_NOT_INSTALLED'
  | 'PACT_NOT_FOUND'
  | 'UNKNOWN_PROVIDER_STATE'
  | 'PROVIDER_STATE_FAILED'
  | 'VERIFICATION_FAILED'
  | 'PACT_WRITE_FAILED'
  | 'PACT_EMPTY'
  | 'PREFLIGHT_FAILED'
  | 'CALLS_MISMATCH'
  | 'JOURNAL_DISABLED'
  | 'ADMIN_REQUEST_FAILED'
  | 'LIMIT_EXCEEDED'
  | 'RECORDING_WRITE_FAILED'

/**
 * The one error type of getraze-mock. `code` is a stable UPPER_SNAKE string to branch on;
 * `message` follows "Failed to <action>: <reason>. <what to do>."
 *
 * @example
 * try {
 *   await startMockServer({ port: 4010 })
 * } catch (error) {
 *   if (error instanceof GetRazeMockError && error.code === 'PORT_IN_USE') {
 *     // pick another port
 *   }
 * }
 */
export class GetRazeMockError extends Error {
  override readonly name = 'GetRazeMockError'
  readonly code: GetRazeMockErrorCode

  constructor(code: GetRazeMockErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
  }
}
