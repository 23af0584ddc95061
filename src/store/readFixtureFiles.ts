import type { FixtureSource } from './parseFixtures.js'
import { longestString, parseJsonBytes } from './parseJsonBytes.js'
import { GetRazeMockError } from '../errors/GetRazeMockError.js'

/**
 * The word that stands for the bundled fixtures in a list of fixture paths, so that installed
 * users can layer their own file over them without a path into node_modules.
 */
export const defaultFixturesKeyword = 'default'

/**
 * Largest fixture file read by default: 1 GiB. A file with 1,000,000 generated opportunities is
 * about 540 MB (515 MiB), so the default takes it, with room for pretty-printing, while a file
 * that would exhaust Node's default heap (about 4 GB) on its own is refused before it is read.
 */
export const defaultMaxFixtureBytes = 1024 * 1024 * 1024

/** Options of `readFixtureFiles`. */
export interface ReadFixtureFilesOptions {
  /**
   * Largest file read, in bytes; a larger one is refused before it is read.
   * @default 1073741824 (1 GiB)
   */
  maxFixtureBytes?: number
}

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

type Fs = typeof import('node:fs')

function unreadable(path: string, reason: string, fix: string, cause?: unknown): never {
  throw new GetRazeMockError('FIXTURE_UNREADABLE', `Failed to load fixtures: ${path}: ${reason}. ${fix}.`, { cause })
}

function describeKind(stats: import('node:fs').Stats): string {
  if (stats.isDirectory()) return 'a directory'
  if (stats.isFIFO()) return 'a named pipe (FIFO)'
  if (stats.isCharacterDevice()) return 'a character device'
  if (stats.isBlockDevice()) return 'a block device'
  if (stats.isSocket()) return 'a socket'
  return 'an unknown kind of file'
}

/**
 * Reads one regular file of at most `maxBytes`, without blocking on what is not one: opened
 * non-blocking (a FIFO with no writer would otherwise hang the open), then checked on the open
 * descriptor (no race with a swapped path), then read in a loop that stops past the limit (a
 * file that grows while being read, like /dev/zero would, cannot take unbounded memory).
 */
function readRegularFile(fs: Fs, path: string, maxBytes: number): Buffer {
  let fd: number
  try {
    fd = fs.openSync(path, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0))
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') unreadable(path, 'the file does not exist', 'Check the path passed to --fixtures', error)
    if (code === 'EISDIR') unreadable(path, 'is a directory, not a regular file', 'Pass the path of a JSON file', error)
    return unreadable(path, String(error), 'Check the path passed to --fixtures and its permissions', error)
  }
  try {
    const stats = fs.fstatSync(fd)
    if (!stats.isFile()) {
      unreadable(path, `is ${describeKind(stats)}, not a regular file`, 'Pass the path of a JSON file (save piped data to a file first)')
    }
    const fix = 'Split it into several files, or raise the limit with --max-fixture-bytes (option maxFixtureBytes)'
    if (stats.size > maxBytes) unreadable(path, `the file is ${stats.size} bytes, more than the limit of ${maxBytes} bytes`, fix)
    // One byte more than fstat said, to notice a file that grows while it is read.
    let buffer = Buffer.allocUnsafe(stats.size + 1)
    let length = 0
    for (;;) {
      if (length === buffer.length) {
        if (length > maxBytes) unreadable(path, `the file is larger than the limit of ${maxBytes} bytes (it grew while it was read)`, fix)
        const larger = Buffer.allocUnsafe(Math.min(length * 2, maxBytes + 1))
        buffer.copy(larger)
        buffer = larger
      }
      const read = fs.readSync(fd, buffer, length, buffer.length - length, null)
      if (read === 0) return buffer.subarray(0, length)
      length += read
    }
  } catch (error) {
    if (error instanceof GetRazeMockError) throw error
    return unreadable(path, String(error), 'Check the file and its permissions', error)
  } finally {
    fs.closeSync(fd)
  }
}

/**
 * A file's text, or its bytes when they are too long for one string (`parseJsonBytes` reads
 * those member by member). The bytes read are let go before the text is parsed: held until the
 * parse ended, they were one more copy of the file (53 MB for 100,000 opportunities) that only a
 * full collection frees, and about one start in three then peaked over 300 MB.
 */
function readFixtureContent(fs: Fs, path: string, maxBytes: number): string | Buffer {
  const bytes = readRegularFile(fs, path, maxBytes)
  return bytes.length <= longestString ? bytes.toString('utf8') : bytes
}

/**
 * Parses a fixture file's text. When it is not JSON, the file is read again for
 * `parseJsonBytes` to say where it stops being JSON (line, column and byte of the bytes, which
 * the text alone cannot give for bytes that are not UTF-8), without quoting it.
 */
function parseFixtureText(text: string, readAgain: () => Buffer): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return parseJsonBytes(readAgain())
  }
}

/**
 * Reads fixture files into sources for `parseFixtures`; the path `'default'` reads the bundled
 * `fixtures/default.json`. Only regular files up to `maxFixtureBytes` are read: a FIFO, a device
 * or a directory is refused at once with a `FIXTURE_UNREADABLE` error, as is a larger file. Node
 * only; it loads `node:fs` through `process.getBuiltinModule` so that importing the package in a
 * browser bundle stays free of it.
 *
 * @example
 * parseFixtures(readFixtureFiles(['default', 'test/fixtures/extra.json']))
 */
export function readFixtureFiles(paths: readonly string[], options: ReadFixtureFilesOptions = {}): FixtureSource[] {
  const fs = globalThis.process?.getBuiltinModule?.('node:fs') as Fs | undefined
  if (!fs) {
    throw new GetRazeMockError(
      'FIXTURE_UNREADABLE',
      'Failed to read fixture files: file paths only work in Node.js 20.16 or later. Pass the fixture data itself as `fixtures` instead.',
    )
  }
  const maxBytes = options.maxFixtureBytes ?? defaultMaxFixtureBytes
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) {
    throw new GetRazeMockError(
      'INVALID_OPTION',
      `Failed to load fixtures: maxFixtureBytes ${JSON.stringify(maxBytes)} is not a positive whole number. Pass a size in bytes, e.g. ${defaultMaxFixtureBytes}.`,
    )
  }
  return paths.map((given) => {
    const path = given === defaultFixturesKeyword ? defaultFixturesPath() : given
    const content = readFixtureContent(fs, path, maxBytes)
    try {
      return { source: path, data: typeof content === 'string' ? parseFixtureText(content, () => readRegularFile(fs, path, maxBytes)) : parseJsonBytes(content) }
    } catch (error) {
      // The file read again (the text was not JSON) may have gone or grown meanwhile.
      if (error instanceof GetRazeMockError) throw error
      throw new GetRazeMockError(
        'FIXTURE_INVALID',
        `Failed to load fixtures: ${path}: not valid JSON (${(error as Error).message}). Fix the file and start again.`,
        { cause: error },
      )
    }
  })
}
