import { HttpResponse } from 'msw'
import type { FaultPlan } from '../control/createFaults.js'
import type { MockRuntime } from '../runtime/createMockRuntime.js'

/**
 * Carries out a fault in msw: waits `delayMs`, then answers the scripted error, fails the fetch
 * (`reset`, as `HttpResponse.error()`), or holds it (`timeout`) until the client aborts or the
 * faults are cleared. Resolves to `undefined` when the request is to be answered normally.
 *
 * @example
 * const answer = await applyFaultInMsw(plan, runtime, request.signal)
 */
export async function applyFaultInMsw(plan: FaultPlan, runtime: MockRuntime, signal: AbortSignal): Promise<Response | undefined> {
  if (plan.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, plan.delayMs))
  if (plan.network === 'reset') return HttpResponse.error()
  if (plan.network === 'timeout') {
    // Held, not leaked: let go (as a network error) when the client aborts or the test resets.
    return new Promise<Response>((resolve) => {
      const release = () => {
        signal.removeEventListener('abort', release)
        unhold()
        resolve(HttpResponse.error())
      }
      const unhold = runtime.hold(release)
      if (signal.aborted) release()
      else signal.addEventListener('abort', release)
    })
  }
  if (!plan.response) return undefined
  const { status, headers, text } = plan.response
  return new HttpResponse(text, { status, headers })
}
