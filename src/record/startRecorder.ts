import { createRecorder } from './createRecorder.js'
import type { RecorderOptions, RunningRecorder } from './RecorderOptions.js'

/**
 * Starts the recorder: a proxy to `target` that a consumer's app or test suite points at instead
 * of GetRaze. `close()` writes `fixtures.json` and a pact to `out` (with `shadow`, the report of
 * every answer that differed from what the mock holding the same records answered).
 *
 * @example
 * import { startRecorder } from 'getraze-mock/server'
 *
 * const recorder = await startRecorder({ target: 'https://sandbox.getraze.example', port: 0, out: 'recorded' })
 * await fetch(`${recorder.url}/external/v1/opportunities/opp_1`, { headers: { 'X-API-Key': process.env.SANDBOX_KEY! } })
 * const { fixturesFile, pactFile } = await recorder.close()
 * @see createRecorder to create it without listening
 */
export async function startRecorder(options: RecorderOptions): Promise<RunningRecorder> {
  return createRecorder(options).listen()
}
