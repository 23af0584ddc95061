import { readFileSync } from 'node:fs'
import { Agent as HttpAgent, createServer } from 'node:http'
import { Agent as HttpsAgent } from 'node:https'
import type { AddressInfo } from 'node:net'
import { hostName, isLoopback } from '../admin/authorizeAdmin.js'
import type { Difference } from '../consumer/Difference.js'
import { maskApiKey, maskQueryApiKeys } from '../core/queryApiKey.js'
import { GetRazeMockError } from '../errors/GetRazeMockError.js'
import { parseBody } from '../verify/buildReport.js'
import { createRedactor, redactUrl, splitUrlCredentials, urlProblem } from '../verify/redactSecrets.js'
import type { RequestReport, ResponseReport } from '../verify/VerificationReport.js'
import { compareWithMock } from './compareWithMock.js'
import type { ShadowDifference } from './compareWithMock.js'
import { createMirror } from './createMirror.js'
import type { CapturedExchange, MirroredExchange } from './createMirror.js'
import { createPersonalRedactor, defaultRedactedFields } from './createPersonalRedactor.js'
import type { PersonalRedactor } from './createPersonalRedactor.js'
import { createShadowLog, formatDifferenceLine } from './createShadowLog.js'
import type { ShadowExchange } from './createShadowLog.js'
import { forwardRequest } from './forwardRequest.js'
import type { ForwardTarget } from './forwardRequest.js'
import type { Recorder, RecorderOptions, RecordingResult, RunningRecorder } from './RecorderOptions.js'
import { writeRecording } from './writeRecording.js'

const provider = 'getraze-external-api'

const kitVersion = (() => {
  try {
    // Two levels up from src/record, dist/record and dist/bundle alike.
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version
  } catch {
    return 'unknown'
  }
})()

function invalid(reason: string, fix: string): never {
  throw new GetRazeMockError('INVALID_OPTION', `Failed to create the recorder: ${reason}. ${fix}.`)
}

function wholeOption(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback
  if (!Number.isInteger(value) || value < min) invalid(`${name} ${JSON.stringify(value)} is not a whole number of at least ${min}`, `Pass e.g. ${name}: ${fallback}`)
  return value
}

/** Checks the target (only its redacted form is ever quoted) and splits its credentials off. */
function resolveTarget(target: unknown): Omit<ForwardTarget, 'agent'> & { secrets: string[] } {
  if (typeof target !== 'string' || target.trim() === '') invalid('target is not given', "Pass the provider's base URL, e.g. target: 'https://sandbox.getraze.example'")
  const shown = JSON.stringify(redactUrl(target))
  const problem = urlProblem(target)
  if (problem !== undefined) invalid(`target ${shown} ${problem}`, "Pass the provider's base URL, e.g. target: 'https://sandbox.getraze.example'")
  const parsed = new URL(target)
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    invalid(`target ${shown} is not an http(s) URL`, "Pass the provider's base URL, e.g. target: 'https://sandbox.getraze.example'")
  }
  if (parsed.search !== '' || parsed.hash !== '') invalid(`target ${shown} has a query or a fragment`, 'Pass the base URL only; the request brings its own query')
  const { url, authorization, secrets } = splitUrlCredentials(target)
  const clean = new URL(url)
  return { url: clean, basePath: clean.pathname.replace(/\/+$/, ''), authorization, shown: redactUrl(target), secrets }
}

/** A caller on this machine, addressing the recorder by a loopback name or the host it listens on. */
function isOwnCaller(remoteAddress: string | undefined, hostHeader: string | undefined, listenHost: string): boolean {
  const name = hostHeader === undefined ? undefined : hostName(hostHeader)
  if (!isLoopback(remoteAddress) || name === undefined) return false
  return name === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(name) || name === '[::1]' || name === hostName(listenHost)
}

/** Request headers whose values are credentials by their name. */
const credentialHeader = /auth|token|secret|passw|session|signature|cookie|api[-_]?key/i

/**
 * The credentials a request carried besides its key: the values of headers named like
 * credentials, and the token after an `Authorization` scheme alone (a target may echo just it).
 */
function credentialsIn(headers: Readonly<Record<string, string>>): string[] {
  const found: string[] = []
  for (const [name, value] of Object.entries(headers)) {
    if (!credentialHeader.test(name)) continue
    found.push(value)
    const token = /^\s*\S+\s+(\S+)\s*$/.exec(value)?.[1]
    if (token !== undefined) found.push(token)
  }
  return found
}

/** Where the key of a request was, as the drift report says it. */
function keyLocation(captured: CapturedExchange): string {
  if (captured.requestHeaders['x-api-key'] !== undefined) return 'X-API-Key header'
  if (captured.requestHeaders.authorization !== undefined) return 'Authorization header'
  if (/(^|&)api(_|%5F)key=/i.test(captured.query)) return 'api_key query parameter'
  return 'none'
}

const shownHeaders = ['content-type', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'retry-after']

/** The request as it may be printed: the `api_key` query value masked, every known secret hidden. */
function describeRequest(captured: CapturedExchange, hide: (text: string) => string): string {
  const query = captured.query === '' ? '' : `?${maskQueryApiKeys(captured.query, maskApiKey)}`
  return hide(`${captured.method} ${captured.path}${query}`)
}

/** The exchange as the report shows it: secrets hidden, personal fields faked, bodies cut. */
function toShadowExchange(captured: CapturedExchange, hide: (text: string) => string, personal: PersonalRedactor): ShadowExchange {
  const body = personal.redact(parseBody(captured.responseBody === undefined ? undefined : hide(captured.responseBody)))
  const error = typeof body === 'object' && body !== null ? (body as { error?: { code?: unknown; message?: unknown } }).error : undefined
  const request: RequestReport = {
    method: captured.method,
    path: describeRequest(captured, hide).slice(captured.method.length + 1),
    key: keyLocation(captured),
    body: personal.redact(parseBody(captured.requestBody === undefined ? undefined : hide(captured.requestBody))),
  }
  const response: ResponseReport = {
    status: captured.status,
    headers: Object.fromEntries(shownHeaders.flatMap((name) => (captured.responseHeaders[name] === undefined ? [] : [[name, hide(captured.responseHeaders[name])]]))),
    body,
    errorCode: typeof error?.code === 'string' ? error.code : null,
    errorMessage: typeof error?.message === 'string' ? error.message : null,
  }
  return { request, response }
}

/**
 * A difference as it may be printed: personal values faked (the docs' phrases, such as "a
 * string", are not values and stay), secrets hidden.
 */
function cleanDifference(found: ShadowDifference, hide: (text: string) => string, personal: PersonalRedactor): Difference {
  const { fromMock, ...difference } = found
  const field = /\.([A-Za-z_][\w]*)$/.exec(difference.path)?.[1]
  const value = (item: unknown) => {
    const faked = field !== undefined && personal.fields.has(field) ? personal.fake(field, item) : personal.redact(item)
    return typeof faked === 'string' ? hide(faked) : faked === null || typeof faked !== 'object' ? faked : (JSON.parse(hide(JSON.stringify(faked))) as unknown)
  }
  const shown = (item: unknown) => (typeof item === 'string' ? hide(item) : item)
  return { ...difference, expected: fromMock ? value(difference.expected) : shown(difference.expected), actual: value(difference.actual), message: hide(difference.message) }
}

/**
 * Creates the recorder without starting it: a proxy a consumer's app or test suite points at
 * instead of GetRaze. Every request goes to `target` as it came, the caller's key included, and
 * the client gets the target's answer. Behind it, a mock holding what the answers revealed
 * answers the same request, so that `close()` can write fixtures (`fixtures.json`, valid for
 * `serve --fixtures`), a pact of the documented behaviours seen, and with `shadow` a report of
 * every answer that differed from what the mock answered. Options are checked here, and a
 * target that is not http(s) is refused without quoting its credentials.
 *
 * @example
 * const { listen } = createRecorder({ target: 'https://sandbox.getraze.example', port: 0, shadow: true })
 * const recorder = await listen()
 * // ... the app's traffic goes to recorder.url ...
 * const { fixturesFile, pactFile, report } = await recorder.close()
 * @see startRecorder
 */
export function createRecorder(options: RecorderOptions): Recorder {
  const target = resolveTarget(options?.target)
  const port = wholeOption('port', options.port, 4010, 0)
  if (port > 65535) invalid(`port ${port} is out of range (0-65535)`, 'Pass e.g. port: 4010, or 0 for a free one')
  const host = options.host ?? '127.0.0.1'
  const out = options.out ?? 'recorded'
  const shadow = options.shadow ?? false
  const consumer = options.consumer ?? 'recorded-consumer'
  if (typeof consumer !== 'string' || !/^[A-Za-z0-9][\w.-]*$/.test(consumer)) {
    invalid(`consumer ${JSON.stringify(consumer)} is not a name of letters, digits, ".", "_" and "-"`, "Pass e.g. consumer: 'my-app' (it names the pact file)")
  }
  const redactFields = options.redact ?? defaultRedactedFields
  const badField = redactFields.find((field) => typeof field !== 'string' || !/^[A-Za-z_]\w*$/.test(field))
  if (badField !== undefined) invalid(`redact names ${JSON.stringify(badField)}, which is not a field name`, "Pass field names, e.g. redact: ['email', 'phone']")
  const reports = options.reports ?? []
  for (const report of reports) {
    if ((report.format !== 'json' && report.format !== 'junit') || typeof report.file !== 'string' || report.file === '' || report.file === '-') {
      invalid(`reports has ${JSON.stringify(report)}`, "Pass { format: 'json' | 'junit', file: 'path' } entries")
    }
  }
  if (reports.length > 0 && !shadow) invalid('reports are given without shadow', 'The reports are the shadow report: pass shadow: true too')
  const maxRecords = wholeOption('maxRecords', options.maxRecords, 10_000, 1)
  const maxBodyBytes = wholeOption('maxBodyBytes', options.maxBodyBytes, 1024 * 1024, 1)
  const targetTimeoutMs = wholeOption('targetTimeoutMs', options.targetTimeoutMs, 30_000, 1)
  const gracePeriodMs = wholeOption('gracePeriodMs', options.gracePeriodMs, 5_000, 0)
  const onNotice = options.onNotice ?? ((message: string) => process.stderr.write(`getraze-mock record: ${message}\n`))
  const onDifference = options.onDifference ?? ((line: string) => process.stderr.write(`${line}\n`))

  const agent = target.url.protocol === 'https:' ? new HttpsAgent({ keepAlive: true, maxSockets: 64 }) : new HttpAgent({ keepAlive: true, maxSockets: 64 })
  const forwardTarget: ForwardTarget = { ...target, agent }
  const personal = createPersonalRedactor(redactFields)
  // Each said once while recording, and again in the report.
  const noticed = new Map<string, string>()
  const notice = (topic: string, message: string) => {
    if (noticed.has(topic) || noticed.size >= 100) return
    noticed.set(topic, message)
    onNotice(message)
  }
  const mirror = createMirror({ consumer, maxRecords, maxKeys: Math.max(100, Math.floor(maxRecords / 10)), onNotice: (message) => notice(message, message) })
  const log = createShadowLog()
  const startedAt = new Date()
  const counts = { forwarded: 0, answered: 0, unrecorded: 0, notDocumented: 0 }
  // One redactor per set of secrets an exchange carried (its key, its credential headers), built
  // when something of it is printed, so a printed line never holds one.
  const hiders = new Map<string, (text: string) => string>()
  const hideFor = (secrets: readonly string[]) => {
    const id = secrets.join('\0')
    let hide = hiders.get(id)
    if (!hide) {
      if (hiders.size >= 1000) hiders.clear()
      hide = createRedactor([...target.secrets, ...secrets])
      hiders.set(id, hide)
    }
    return hide
  }

  // The last comparison per endpoint: traffic repeats itself (a smoke test, a poll), and the
  // same two answers to the same request differ in the same way.
  const compared = new Map<string, { key: string; differences: ShadowDifference[] }>()
  function compareOnce(captured: CapturedExchange, mirrored: MirroredExchange): ShadowDifference[] {
    const headers = captured.responseHeaders
    const key = [
      captured.method,
      captured.path,
      captured.query,
      captured.status,
      headers['content-type'],
      headers['x-ratelimit-limit'] === undefined,
      headers['x-ratelimit-remaining'] === undefined,
      headers['x-ratelimit-reset'] === undefined,
      headers['retry-after'],
      captured.responseBody,
      mirrored.answer.status,
      mirrored.answer.text,
      mirrored.at.getTime() - (mirrored.at.getTime() % 1000),
      mirrored.comparable,
      mirrored.keyAcceptedBefore,
    ].join('\0')
    const last = compared.get(mirrored.endpoint.operationId)
    if (last?.key === key) return last.differences
    const differences = compareWithMock(captured, mirrored)
    compared.set(mirrored.endpoint.operationId, { key, differences })
    return differences
  }

  function record(captured: CapturedExchange) {
    counts.answered++
    let mirrored: MirroredExchange | undefined
    try {
      mirrored = mirror.process(captured)
    } catch (error) {
      notice(`mirror ${(error as Error).message}`, `An exchange could not be recorded (${(error as Error).message}); it was forwarded as it came. This is a bug; please report it.`)
      return
    }
    if (!mirrored) {
      counts.notDocumented++
      return
    }
    if (!shadow) return
    const differences = compareOnce(captured, mirrored)
    const hide = hideFor([...(mirrored.key === undefined ? [] : [mirrored.key]), ...credentialsIn(captured.requestHeaders)])
    const behaviour = mirrored.behaviour === undefined ? undefined : mirrored.endpoint.behaviours[mirrored.behaviour]
    const rowKey = `${mirrored.endpoint.operationId} ${mirrored.behaviour ?? '-'}`
    const description = behaviour?.description ?? `${mirrored.endpoint.method} ${mirrored.endpoint.path}: answers no documented behaviour describes`
    const cleaned = differences.map((difference) => cleanDifference(difference, hide, personal))
    const fresh = log.add(rowKey, description, cleaned, () => toShadowExchange(captured, hide, personal))
    if (fresh.length === 0) return
    const request = describeRequest(captured, hide)
    for (const difference of fresh) onDifference(formatDifferenceLine(request, difference))
  }

  let closing: Promise<RecordingResult> | undefined
  let inFlight = 0
  const server = createServer({ requireHostHeader: false, keepAliveTimeout: 5000 }, (request, response) => {
    // The target URL's credentials are the recorder's to add, for its own callers only: not for
    // another machine, nor a web page reaching it by DNS rebinding (decisions/0132).
    if (target.authorization !== undefined && !isOwnCaller(request.socket.remoteAddress, request.headers.host, host)) {
      const body = JSON.stringify({
        success: false,
        error: {
          code: 'FORBIDDEN',
          message: `Failed to forward the request: the recorder adds the credentials of its target only for its own callers (from this machine, to a loopback Host or ${host}). Call it on its loopback address, or take the credentials out of the target URL.`,
        },
      })
      response.writeHead(403, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) })
      response.end(body)
      return
    }
    inFlight++
    counts.forwarded++
    response.on('close', () => {
      inFlight--
      // Closing: a connection whose answer is done is not kept for another request.
      if (closing) server.closeIdleConnections()
    })
    forwardRequest(request, response, forwardTarget, { maxBodyBytes, targetTimeoutMs }, (exchange, problem) => {
      if (typeof exchange !== 'string') return record(exchange)
      counts.unrecorded++
      if (exchange === 'too large') notice('too large', `A request or answer body was larger than ${maxBodyBytes} bytes: it was forwarded whole, but not recorded (the maxBodyBytes option).`)
      if (exchange === 'not answered' && problem !== undefined) notice(`unanswered ${problem}`, `The target ${target.shown} did not answer a request (${problem}); the client got 502 BAD_GATEWAY.`)
      if (exchange === 'not decodable') notice('not decodable', 'An answer body could not be decoded (its Content-Encoding); it was forwarded as it came, but not recorded.')
    })
  })

  async function listen(): Promise<RunningRecorder> {
    await new Promise<void>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) =>
        reject(
          error.code === 'EADDRINUSE'
            ? new GetRazeMockError('PORT_IN_USE', `Failed to start the recorder: port ${port} on ${host} is already in use. Stop the other process or pass another port (port: 0 picks a free one).`, { cause: error })
            : new GetRazeMockError('SERVER_START_FAILED', `Failed to start the recorder: cannot listen on ${host}:${port} (${error.code ?? error.message}). Check the host and port options.`, { cause: error }),
        )
      server.once('error', onError)
      server.listen(port, host, () => {
        server.off('error', onError)
        resolve()
      })
    })
    const address = server.address() as AddressInfo
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`

    const stopServer = () =>
      new Promise<void>((resolve) => {
        const grace = setTimeout(() => server.closeAllConnections(), gracePeriodMs)
        server.close(() => {
          clearTimeout(grace)
          resolve()
        })
        server.closeIdleConnections()
      })

    const close = () => {
      closing ??= (async () => {
        process.off('SIGINT', onSignal)
        process.off('SIGTERM', onSignal)
        await stopServer()
        agent.destroy()
        mirror.pact.stop()
        const notices = [
          `Requests: ${counts.forwarded} forwarded, ${counts.answered} answered by the target; ${mirror.stats.documented} to documented endpoints, ${mirror.stats.documented - mirror.stats.notCompared} of them compared with the mock${mirror.stats.notCompared > 0 ? ` (${mirror.stats.notCompared} named records the mock could not hold, checked against the docs only)` : ''}; ${counts.notDocumented} to no documented endpoint or with a key over the cap; ${counts.unrecorded} not recorded.`,
          `Documented behaviours seen: ${log.behaviours.seen}. Differences by kind: ${log.kinds()}.`,
          ...[...noticed.values()].map((message) => `Note: ${message}`),
        ]
        const report = shadow ? log.build({ provider, target: target.shown, kitVersion, startedAt, durationMs: Date.now() - startedAt.getTime(), notices }) : undefined
        const written = await writeRecording({
          out,
          mirror,
          personal,
          secrets: [...target.secrets, ...mirror.secrets()],
          target: target.shown,
          startedAt,
          report,
          reports,
        })
        return {
          requests: counts.answered,
          fixturesFile: written.fixturesFile,
          fixtures: written.fixtures,
          pactFile: written.pactFile,
          interactions: written.interactions,
          reportFiles: written.reportFiles,
          report,
          reportText: report ? log.format(report) : undefined,
          keys: mirror.placeholders(),
        }
      })()
      return closing
    }
    const onSignal = () => {
      void close()
    }
    if (options.handleSignals) {
      process.on('SIGINT', onSignal)
      process.on('SIGTERM', onSignal)
    }
    return {
      url,
      close,
      get inFlight() {
        return inFlight
      },
    }
  }

  return { server, listen }
}
