import { spawn, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/** A running `prism mock` child process. */
export interface PrismProcess {
  /** Where it listens, e.g. `http://127.0.0.1:41234`. */
  url: string
  /** What it printed so far (its request log), for failure messages. */
  output(): string
  /** Stops it and waits until it has exited. */
  stop(): Promise<void>
}

/** Whether Prism can run here: `{ bin }`, or why not. */
export type PrismAvailability = { bin: string; reason?: undefined } | { bin?: undefined; reason: string }

/**
 * Finds the pinned devDependency `@stoplight/prism-cli` and checks that its binary runs on this
 * Node (`prism --version`). Only a binary that cannot run at all is a reason to skip: a document
 * Prism refuses must fail the test, which `startPrism` does.
 */
export function findPrism(): PrismAvailability {
  let bin: string
  try {
    const manifestPath = createRequire(import.meta.url).resolve('@stoplight/prism-cli/package.json')
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin: Record<string, string> }
    bin = join(dirname(manifestPath), manifest.bin.prism!)
  } catch {
    return { reason: '@stoplight/prism-cli is not installed (npm ci installs it, a devDependency)' }
  }
  const probe = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8', timeout: 120_000 })
  if (probe.status !== 0) {
    const said = `${probe.stderr ?? ''}${probe.stdout ?? ''}`.trim().split('\n').slice(0, 3).join(' ')
    return { reason: `prism --version did not run on Node ${process.version} (${probe.error?.message ?? `exit ${probe.status}`}${said ? `: ${said}` : ''})` }
  }
  return { bin }
}

const ansi = /\x1b\[[0-9;]*m/g

/**
 * Starts `prism mock` on 127.0.0.1 and a port the system picks (`-p 0`; Prism prints the URL it
 * got), and resolves once it listens. Rejects with Prism's output when it exits first or does not
 * listen within `startTimeoutMs` (the machine may be busy: the bound is generous, not a target).
 */
export async function startPrism(bin: string, documentPath: string, startTimeoutMs = 90_000): Promise<PrismProcess> {
  const child = spawn(process.execPath, [bin, 'mock', '-h', '127.0.0.1', '-p', '0', documentPath], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  })
  let output = ''
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000)
    await exited
    clearTimeout(killer)
  }
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop()
      reject(new Error(`Prism did not listen within ${startTimeoutMs} ms. Its output:\n${output}`))
    }, startTimeoutMs)
    const read = (chunk: Buffer) => {
      output += chunk.toString('utf8').replace(ansi, '')
      const match = /Prism is listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve(match[1]!)
      }
    }
    child.stdout.on('data', read)
    child.stderr.on('data', read)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`Prism exited (${code}) before listening. Its output:\n${output}`))
    })
  })
  return { url, output: () => output, stop }
}
