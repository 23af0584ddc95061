import { GetRazeMockError } from '../errors/GetRazeMockError.js'
import type { RecorderOptions } from '../record/RecorderOptions.js'
import { checkUrl, parseReportTargets } from './toVerifyOptions.js'
import type { ReportTarget } from './toVerifyOptions.js'

/** The `record` flags as yargs parses them. */
export interface RecordArgs {
  target?: string
  /** A number, or the raw text (so errors can quote it). */
  port: number | string
  host: string
  out: string
  shadow: boolean
  consumer: string
  /** Field names, each value possibly comma-separated; `none` turns redaction off. */
  redact?: string[]
  report?: string[]
  maxRecords?: number | string
}

function invalid(flag: string, value: unknown, reason: string, fix: string): never {
  throw new GetRazeMockError('INVALID_OPTION', `Failed to parse ${flag}: ${JSON.stringify(value)} ${reason}. ${fix}.`)
}

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value
  return typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN
}

/**
 * Maps parsed `record` flags to `startRecorder` options and the reports to write (`-` is standard
 * output, which the library does not write). Pure; a target is quoted only with its credentials
 * hidden.
 *
 * @example
 * toRecorderOptions({ target: 'https://sandbox.example', port: 4010, host: '127.0.0.1', out: 'recorded', shadow: false, consumer: 'recorded-consumer' })
 */
export function toRecorderOptions(args: RecordArgs): { options: RecorderOptions; reports: ReportTarget[] } {
  if (args.target === undefined || args.target.trim() === '') {
    throw new GetRazeMockError('INVALID_OPTION', "Failed to parse --target: it is required. Pass the provider's base URL, e.g. --target https://sandbox.getraze.example.")
  }
  checkUrl('--target', args.target, 'https://sandbox.getraze.example')
  const port = toNumber(args.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) invalid('--port', args.port, 'is not a port number (0-65535)', 'Pass e.g. --port 4010, or --port 0 for a free port')
  if (args.host.trim() === '') invalid('--host', args.host, 'is empty', 'Pass an interface address such as 127.0.0.1')
  if (args.out.trim() === '') invalid('--out', args.out, 'is empty', 'Pass a folder, e.g. --out recorded')
  if (!/^[A-Za-z0-9][\w.-]*$/.test(args.consumer)) invalid('--consumer', args.consumer, 'is not a name of letters, digits, ".", "_" and "-"', 'Pass e.g. --consumer my-app (it names the pact file)')
  const fields = (args.redact ?? []).flatMap((value) => value.split(',')).map((field) => field.trim()).filter((field) => field !== '')
  for (const field of fields) {
    if (!/^[A-Za-z_]\w*$/.test(field)) invalid('--redact', field, 'is not a field name', 'Pass field names, e.g. --redact email,phone, or --redact none')
  }
  const reports = parseReportTargets(args.report ?? [])
  if (reports.length > 0 && !args.shadow) {
    throw new GetRazeMockError('INVALID_OPTION', 'Failed to parse --report: the reports are the shadow report, and --shadow is not given. Add --shadow.')
  }
  const maxRecords = args.maxRecords === undefined ? undefined : toNumber(args.maxRecords)
  if (maxRecords !== undefined && (!Number.isInteger(maxRecords) || maxRecords < 1)) {
    invalid('--max-records', args.maxRecords, 'is not a positive whole number', 'Pass e.g. --max-records 10000')
  }
  const options: RecorderOptions = { target: args.target, port, host: args.host, out: args.out, shadow: args.shadow, consumer: args.consumer }
  if (args.redact !== undefined) options.redact = fields.length === 1 && fields[0] === 'none' ? [] : fields
  if (maxRecords !== undefined) options.maxRecords = maxRecords
  const files = reports.filter((report) => report.file !== '-')
  if (files.length > 0) options.reports = files
  return { options, reports }
}
