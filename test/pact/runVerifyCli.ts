// Runs the built `getraze-mock verify` in a child process and collects everything it prints,
// as a provider team's CI sees it: exit code, stdout and stderr, and the JSON report.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { VerificationReport } from '../../src/pact/index.js'

const bin = join(import.meta.dirname, '../../bin/getraze-mock.js')

/** `getraze-mock verify ARGS` as it is: its exit code and what it wrote to each stream. */
export async function runVerifyProcess(
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [bin, 'verify', ...args], {
    cwd: options.cwd ?? join(import.meta.dirname, '../..'),
    env: { ...process.env, PACT_DO_NOT_TRACK: 'true', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => (stdout += chunk))
  child.stderr.on('data', (chunk) => (stderr += chunk))
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  return { code, stdout, stderr }
}

/** `getraze-mock verify ARGS --report json=...` in a temporary folder: both streams in one, and the report. */
export async function runVerifyCli(
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<{ code: number | null; output: string; report: VerificationReport | undefined }> {
  const dir = mkdtempSync(join(tmpdir(), 'getraze-verify-cli-'))
  const json = join(dir, 'report.json')
  const child = spawn(process.execPath, [bin, 'verify', ...args, '--report', `json=${json}`], {
    cwd: options.cwd ?? dir,
    env: { ...process.env, PACT_DO_NOT_TRACK: 'true', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk) => (output += chunk))
  child.stderr.on('data', (chunk) => (output += chunk))
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  let report: VerificationReport | undefined
  try {
    report = JSON.parse(readFileSync(json, 'utf8')) as VerificationReport
  } catch {
    report = undefined
  }
  return { code, output, report }
}
