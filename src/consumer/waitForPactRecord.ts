import { createRequire } from 'node:module'

/**
 * The longest wait for Pact's mock server to record a request it has already answered. It records
 * within milliseconds even on a loaded machine; the bound only delays the report of a request the
 * test never sent (Pact then fails it as usual), and stays well under test runners' 5 s default.
 */
const recordWaitMs = 2000
const pollMs = 5

/** The one call of Pact's native core this needs. */
interface MockServerCore {
  pactffiMockServerMismatches(port: number): string
}

let core: MockServerCore | null | undefined

/**
 * Pact's native core as Pact itself loaded it: resolved from Pact's own folder, so it is the same
 * module instance (and the same registry of mock servers). `null` when it cannot be found, e.g. a
 * Pact whose core has another shape: then nothing waits, as before.
 */
function loadPactCore(): MockServerCore | null {
  if (core !== undefined) return core
  try {
    const requireFromPact = createRequire(createRequire(import.meta.url).resolve('@pact-foundation/pact'))
    const pactCore = requireFromPact('@pact-foundation/pact-core') as { getFfiLib?: (logLevel?: string) => MockServerCore }
    const ffi = typeof pactCore.getFfiLib === 'function' ? pactCore.getFfiLib('error') : undefined
    core = typeof ffi?.pactffiMockServerMismatches === 'function' ? ffi : null
  } catch {
    core = null
  }
  return core
}

/** What the mock server on `port` has recorded so far, or `null` when it cannot be read. */
function readRecord(pactCore: MockServerCore, port: number): Array<{ type?: unknown }> | null {
  try {
    const results: unknown = JSON.parse(pactCore.pactffiMockServerMismatches(port))
    return Array.isArray(results) ? (results as Array<{ type?: unknown }>) : null
  } catch {
    return null
  }
}

/**
 * Waits until Pact's mock server on `port` has recorded the requests it answered (issue 18,
 * item 14). Pact 16's mock server (pact_mock_server 2.2.1, in pact-core 19) records each request
 * in a separate task after answering it, and Pact's `executeTest` reads the record as soon as the
 * test returns: on a loaded machine the record can lag, and a request that was answered is then
 * reported as "expected but not received". Upstream fixed it in pact_mock_server 2.2.4; this wait
 * makes the kit's builders reliable with every Pact 16.
 *
 * Returns once no expected request is missing, once a request that does not match is recorded (the
 * test fails whatever else lands), or after 2 s. Internal: the builders' `executeTest` calls it.
 */
export async function waitForPactRecord(port: number): Promise<void> {
  const pactCore = loadPactCore()
  if (!pactCore) return
  const deadline = Date.now() + recordWaitMs
  for (;;) {
    const record = readRecord(pactCore, port)
    if (!record) return
    const missing = record.some((result) => result.type === 'missing-request')
    if (!missing || record.some((result) => result.type !== 'missing-request')) return
    if (Date.now() >= deadline) return
    await new Promise((resolve) => setTimeout(resolve, pollMs))
  }
}
