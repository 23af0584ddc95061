import type { ServerResponse } from 'node:http'
import type { FaultPlan } from '../control/createFaults.js'
import type { MockRuntime } from '../runtime/createMockRuntime.js'
import type { MockResponse } from '../core/MockRequest.js'

/**
 * Carries out a fault on the standalone server: waits `delayMs`, then sends the scripted answer
 * (or, for a delay alone, the normal one), destroys the socket (`reset`), or holds the request
 * unanswered (`timeout`) until the client gives up, the faults are cleared or the server closes.
 *
 * @example
 * applyFaultOnServer(plan, runtime, response, (answer) => respond(answer))
 */
export function applyFaultOnServer(
  plan: FaultPlan,
  runtime: MockRuntime,
  response: ServerResponse,
  respond: (answer: MockResponse | undefined) => void,
): void {
  const act = () => {
    if (response.destroyed) return
    if (plan.network === 'reset') {
      response.socket?.resetAndDestroy?.() ?? response.destroy()
      return
    }
    if (plan.network === 'timeout') {
      const unhold = runtime.hold(() => response.destroy())
      response.once('close', unhold)
      return
    }
    respond(plan.response)
  }
  if (plan.delayMs > 0) {
    const timer = setTimeout(act, plan.delayMs)
    response.once('close', () => clearTimeout(timer))
  } else {
    act()
  }
}
