import type { Server } from 'node:http'
import type { VerificationReport } from '../verify/VerificationReport.js'

/** A report file `close()` writes besides the text report: `json` or `junit`, as `verify` writes them. */
export interface RecorderReportTarget {
  format: 'json' | 'junit'
  /** Where to write it; `-` is standard output (the CLI only). */
  file: string
}

/** Options of `createRecorder` and `startRecorder`. */
export interface RecorderOptions {
  /**
   * The provider every request is forwarded to: an `http:` or `https:` URL, with a base path if
   * the API sits under one (`https://staging.example/api`). Credentials in it (`user:pass@`) go
   * as `Authorization: Basic` on requests that carry no `Authorization` of their own, and are
   * never printed. An https target's certificate is verified as Node verifies any: for a private
   * CA or a self-signed certificate, start the process with `NODE_EXTRA_CA_CERTS=ca.pem`
   * (otherwise the client gets 502 `BAD_GATEWAY` saying so).
   * @example 'https://sandbox.getraze.example'
   */
  target: string
  /**
   * Port to listen on; `0` picks a free one. The mock's port, so an app set up for `serve` can
   * point at the recorder unchanged.
   * @default 4010
   */
  port?: number
  /**
   * Interface to bind. The default keeps the recorder (and the keys that pass through it) off
   * the network.
   * @default '127.0.0.1'
   */
  host?: string
  /**
   * Folder `close()` writes `fixtures.json` and the pact to.
   * @default 'recorded'
   */
  out?: string
  /**
   * Compare every real answer with what the mock, holding the same records, answers to the same
   * request; differences are passed to `onDifference` as they happen and summed up in the report.
   * @default false
   */
  shadow?: boolean
  /**
   * The consumer's name in the pact (`<consumer>-getraze-external-api.json`).
   * @default 'recorded-consumer'
   */
  consumer?: string
  /**
   * Record fields replaced with stable fake values in the fixtures, the pact and the report
   * (the same value always gets the same fake, so records that shared it still do).
   * @default ['email', 'phone', 'linkedin_url', 'notes']
   */
  redact?: readonly string[]
  /**
   * Report files `close()` writes with `shadow` (JSON as `verify --report json=` writes it, JUnit
   * XML as `--report junit=`). Files only: `-` is for the CLI.
   * @default []
   */
  reports?: readonly RecorderReportTarget[]
  /**
   * Most records (of every kind together) the recorder holds; later ones are forwarded but
   * neither written nor shadowed, and `onNotice` says so once. Keys are capped at a tenth of it
   * (at least 100).
   * @default 10000
   */
  maxRecords?: number
  /**
   * Largest request or answer body recorded, in bytes. Larger ones are still forwarded whole,
   * but not recorded or compared.
   * @default 1048576
   */
  maxBodyBytes?: number
  /**
   * Milliseconds the target has to answer; then the client gets 504 `GATEWAY_TIMEOUT`.
   * @default 30000
   */
  targetTimeoutMs?: number
  /**
   * On `close()`, milliseconds requests in flight get to finish before their connections close.
   * @default 5000
   */
  gracePeriodMs?: number
  /**
   * Called with each difference the shadow finds, as one line, the first time it is seen
   * (repeats are counted in the report).
   * @default a line on standard error
   */
  onDifference?: (line: string) => void
  /**
   * Called with what the recorder has to say while it runs (a cap reached, a target that does
   * not answer).
   * @default a line on standard error
   */
  onNotice?: (message: string) => void
  /**
   * Close on SIGINT and SIGTERM, writing what was recorded (the CLI turns this on).
   * @default false
   */
  handleSignals?: boolean
}

/** What `close()` wrote and found. */
export interface RecordingResult {
  /** Requests forwarded to the target and answered by it. */
  requests: number
  /** The fixture file written (always, even with no records, so `serve --fixtures` can read it). */
  fixturesFile: string
  /** What it holds: `records` of the endpoints' kinds (contacts, opportunities), `referenced` the campaigns and users they name. */
  fixtures: { accounts: number; apiKeys: number; records: number; referenced: number }
  /** The pact written; `undefined` when no request showed a documented behaviour. */
  pactFile: string | undefined
  /** Interactions in the pact. */
  interactions: number
  /** Report files written (`reports`). */
  reportFiles: string[]
  /** With `shadow`: the shadow report in the drift report's shape; else `undefined`. */
  report: VerificationReport | undefined
  /** With `shadow`: `report` as text, as the CLI prints it; else `undefined`. */
  reportText: string | undefined
  /** The masked key each placeholder stands for, in the order the keys were first seen: `{ gr_recorded_1: 'gr_liv***' }`. */
  keys: Record<string, string>
}

/** A started recorder. */
export interface RunningRecorder {
  /** Base URL, e.g. `http://127.0.0.1:4010`: point the app at it instead of GetRaze. */
  url: string
  /** Requests in flight. */
  readonly inFlight: number
  /**
   * Stops listening, lets requests in flight finish for up to `gracePeriodMs`, then writes the
   * fixtures, the pact and the reports to `out`. Calling it again returns the same promise.
   */
  close(): Promise<RecordingResult>
}

/** A recorder that is created but not listening yet. */
export interface Recorder {
  server: Server
  listen(): Promise<RunningRecorder>
}
