/** An admin answer: JSON `body`, or none (204). */
export interface AdminResponse {
  status: number
  body?: unknown
  headers?: Record<string, string>
}
