import type { FixtureSource } from './parseFixtures.js'
import { GetRazeMockError } from '../errors/GetRazeMockError.js'

/**
 * Path of the fixture set used when none is given. A function, not a constant, so that bundles
 * without `import.meta.url` (IIFE, CommonJS) can still load this module.
 *
 * @example
 * readFixtureFiles([defaultFixturesPath()])
 */
export function defaultFixturesPath(): string {
  return decodeURIComponent(new URL('../../fixtures/default.json', import.meta.url).pathname)
}

/**
 * Reads fixture files into sources for `parseFixtures`. Node only; it loads `node:fs` through
 * `process.getBuiltinModule` so that importing the package in a browser bundle stays free of it.
 *
 * @example
 * parseFixtures(readFixtureFiles(['fixtures/default.json', 'fixtures/extra.json']))
 */
export function readFixtureFiles(paths: readonly string[]): FixtureSource[] {
  const fs = globalThis.process?.getBuiltinModule?.('node:fs') as typeof import('node:fs') | undefined
  if (!fs) {
    throw new GetRazeMockError(
      'FIXTURE_UNREADABLE',
      'Failed to read fixture files: file paths only work in Node.js 20.16 or later. Pass the fixture data itself as `fixtures` instead.',
    )
  }
  return paths.map((path) => {
    let text: string
    try {
      text = fs.readFileSync(path, 'utf8')
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : String(error)
      throw new GetRazeMockError(
        'FIXTURE_UNREADABLE',
        `Failed to load fixtures: ${path}: ${reason}. Check the path passed to --fixtures.`,
        { cause: error },
      )
    }
    try {
      return { source: path, data: JSON.parse(text) as unknown }
    } catch (error) {
      throw new GetRazeMockError(
        'FIXTURE_INVALID',
        `Failed to load fixtures: ${path}: not valid JSON (${(error as Error).message}). Fix the file and start again.`,
        { cause: error },
      )
    }
  })
}
