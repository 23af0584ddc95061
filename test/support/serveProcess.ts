import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { onTestFinished } from 'vitest'

const bin = fileURLToPath(new URL('../../bin/getraze-mock.js', import.meta.url))

/** A `getraze-mock serve` child process. */
export interface ServeProcess {
  url: string
  pid: number
  /** What the process wrote to stderr so far. */
  stderr(): string
  /** The exit code once it exited, else `undefined`. */
  exitCode(): number | null | undefined
}

/**
 * Starts the real binary (`bin/getraze-mock.js serve`, which runs dist/) on a free port with `args`,
 * and kills it when the test ends. Resolves once it prints the URL it listens on.
 */
export async function startServeProcess(args: string[], env: Record<string, string> = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--quiet', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  })
  onTestFinished(() => {
    child.kill('SIGKILL')
  })
  let stderr = ''
  let exitCode: number | null | undefined
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  child.on('exit', (code) => (exitCode = code))
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /listening on (http:\/\/\S+)/.exec(line)
      if (match) resolve(match[1]!)
    })
    child.on('close', (code) => reject(new Error(`getraze-mock serve exited (${code}) before listening: ${stderr}`)))
  })
  return { url, pid: child.pid!, stderr: () => stderr, exitCode: () => exitCode }
}
