import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { onTestFinished } from 'vitest'

/**
 * Writes files into a fresh temporary folder that is removed when the current test finishes.
 * Strings and bytes are written as they are, other values as JSON. Returns the paths, in the given
 * order.
 *
 * @example
 * const [bad] = writeTempFiles({ 'bad.json': '{ nope' })
 */
export function writeTempFiles(files: Record<string, unknown>): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'getraze-mock-test-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  return Object.entries(files).map(([name, content]) => {
    const path = join(dir, name)
    writeFileSync(path, typeof content === 'string' || content instanceof Uint8Array ? content : JSON.stringify(content, null, 2))
    return path
  })
}
