/**
 * V8 caps a string at 2^29 - 24 characters (about 512 MiB), so `JSON.parse` cannot read a larger
 * file in one piece: a fixture file with 1,000,000 generated opportunities is about 540 MB.
 */
export const longestString = 2 ** 29 - 24

const quote = 0x22
const backslash = 0x5c
const comma = 0x2c
const colon = 0x3a
const openBrace = 0x7b
const closeBrace = 0x7d
const openBracket = 0x5b
const closeBracket = 0x5d

const isSpace = (byte: number) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09

function unexpected(bytes: Uint8Array, position: number): never {
  const what = position >= bytes.length ? 'end of JSON input' : `token "${String.fromCharCode(bytes[position]!)}"`
  throw new SyntaxError(`Unexpected ${what} at byte ${position}`)
}

function skipSpace(bytes: Uint8Array, position: number): number {
  while (position < bytes.length && isSpace(bytes[position]!)) position++
  return position
}

/** The position after the string whose opening quote is at `position`. */
function skipString(bytes: Uint8Array, position: number): number {
  for (position++; position < bytes.length; position++) {
    const byte = bytes[position]
    if (byte === backslash) position++
    else if (byte === quote) return position + 1
  }
  return unexpected(bytes, position)
}

/**
 * The position after the value that starts at `position`. It finds the value's end only (strings,
 * nesting); `JSON.parse` of the slice checks the rest.
 */
function skipValue(bytes: Uint8Array, position: number): number {
  let depth = 0
  for (; position < bytes.length; position++) {
    const byte = bytes[position]!
    if (byte === quote) {
      position = skipString(bytes, position) - 1
      if (depth === 0) return position + 1
    } else if (byte === openBrace || byte === openBracket) {
      depth++
    } else if (byte === closeBrace || byte === closeBracket) {
      if (depth === 0) return position
      if (--depth === 0) return position + 1
    } else if (depth === 0 && (byte === comma || isSpace(byte))) {
      return position
    }
  }
  if (depth === 0) return position
  return unexpected(bytes, position)
}

function parseSlice(text: (start: number, end: number) => string, start: number, end: number, wrap = false): unknown {
  try {
    return JSON.parse(wrap ? `[${text(start, end)}]` : text(start, end))
  } catch (error) {
    throw new SyntaxError(`${(error as Error).message} (in bytes ${start} to ${end})`)
  }
}

/** Parses an array whose `[` is at `position`, `sliceBytes` of elements per `JSON.parse`. */
function parseArray(bytes: Uint8Array, text: (start: number, end: number) => string, position: number, sliceBytes: number) {
  const values: unknown[] = []
  position = skipSpace(bytes, position + 1)
  if (bytes[position] === closeBracket) return { value: values, end: position + 1 }
  let sliceStart = position
  for (;;) {
    const end = skipValue(bytes, position)
    // No value where one should be (`[1,]`, `[,`): a slice that starts here would hide it, as
    // `JSON.parse('[]')` of an empty slice succeeds.
    if (end === position) unexpected(bytes, position)
    position = skipSpace(bytes, end)
    const last = bytes[position] === closeBracket
    if (!last && bytes[position] !== comma) unexpected(bytes, position)
    if (last || end - sliceStart >= sliceBytes) {
      const slice = parseSlice(text, sliceStart, end, true) as unknown[]
      // A loop, not push(...slice): a spread of this many arguments overflows the stack.
      for (let index = 0; index < slice.length; index++) values.push(slice[index])
      sliceStart = skipSpace(bytes, position + 1)
    }
    if (last) return { value: values, end: position + 1 }
    position = skipSpace(bytes, position + 1)
  }
}

/** Options of `parseJsonBytes`; tests lower them to take the sliced path with small texts. */
export interface ParseJsonBytesOptions {
  /**
   * Array elements parsed per `JSON.parse` call on the sliced path, in bytes (whole elements).
   * @default 65536
   */
  sliceBytes?: number
  /**
   * Texts up to this many bytes are parsed in one `JSON.parse` call.
   * @default 536870888 (V8's longest string)
   */
  longestString?: number
}

const tooLargeForArrays = 'a text this large can only be read when it is an object at the top level'

/**
 * Parses JSON bytes (UTF-8) like `JSON.parse`, also when the text is longer than the longest
 * string V8 can hold: a top-level object is then parsed member by member, and an array member in
 * slices of whole elements. Other large texts fail with a `SyntaxError` saying so.
 *
 * A `SyntaxError` says where the text stops being JSON (line, column, byte) and why, and never
 * quotes the text: V8's own messages quote the bytes around the error, which may be anything
 * (`SHELL=/bin/bash` when the file was `/proc/self/environ`, a token in a config file).
 *
 * @example
 * parseJsonBytes(readFileSync('fixtures/big.json'))
 */
export function parseJsonBytes(bytes: Buffer, options: ParseJsonBytesOptions = {}): unknown {
  try {
    return parseJsonBytesQuoting(bytes, options)
  } catch (error) {
    if (!(error instanceof SyntaxError) || error.message === tooLargeForArrays) throw error
    const found = findJsonSyntaxError(bytes)
    // No `cause`: printed with the error, V8's message would quote the text after all.
    throw new SyntaxError(found ? describeJsonSyntaxError(bytes, found) : 'the JSON parser refused it')
  }
}

function parseJsonBytesQuoting(bytes: Buffer, options: ParseJsonBytesOptions): unknown {
  const text = (start: number, end: number) => bytes.toString('utf8', start, end)
  if (bytes.length <= (options.longestString ?? longestString)) return JSON.parse(text(0, bytes.length))

  // Small slices measured fastest at 1,000,000 records (64 KiB: 3.1-3.6 s; 16 MiB: 5.9 s):
  // each slice's garbage dies young.
  const sliceBytes = options.sliceBytes ?? 64 * 1024
  let position = skipSpace(bytes, 0)
  if (bytes[position] !== openBrace) {
    throw new SyntaxError(tooLargeForArrays)
  }
  const result: Record<string, unknown> = {}
  position = skipSpace(bytes, position + 1)
  if (bytes[position] === closeBrace) position++
  else {
    for (;;) {
      if (bytes[position] !== quote) unexpected(bytes, position)
      const keyEnd = skipString(bytes, position)
      const key = parseSlice(text, position, keyEnd) as string
      position = skipSpace(bytes, keyEnd)
      if (bytes[position] !== colon) unexpected(bytes, position)
      position = skipSpace(bytes, position + 1)
      let value: unknown
      if (bytes[position] === openBracket) {
        const parsed = parseArray(bytes, text, position, sliceBytes)
        value = parsed.value
        position = parsed.end
      } else {
        const end = skipValue(bytes, position)
        value = parseSlice(text, position, end)
        position = end
      }
      // Defined, not assigned, as JSON.parse does: a "__proto__" key stays an own property.
      Object.defineProperty(result, key, { value, writable: true, enumerable: true, configurable: true })
      position = skipSpace(bytes, position)
      if (bytes[position] === closeBrace) {
        position++
        break
      }
      if (bytes[position] !== comma) unexpected(bytes, position)
      position = skipSpace(bytes, position + 1)
    }
  }
  position = skipSpace(bytes, position)
  if (position < bytes.length) unexpected(bytes, position)
  return result
}

/** Where a JSON text stops being valid, and why. */
export interface JsonSyntaxError {
  /** The byte at which the text stops being JSON (its length when it ends too early). */
  offset: number
  reason: string
}

const isDigit = (byte: number | undefined) => byte !== undefined && byte >= 0x30 && byte <= 0x39
const isHex = (byte: number | undefined) => byte !== undefined && (isDigit(byte) || ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x66))
const escapable = new Set([...'"\\/bfnrt'].map((char) => char.charCodeAt(0)))
// Strings, not Buffers: this module is also bundled for browsers (fixtures passed as data).
const literals = ['true', 'false', 'null']

/**
 * Finds the first place where `bytes` stop being JSON as `JSON.parse` reads their UTF-8 text, or
 * `undefined` when they are valid. Iterative, so any depth of nesting is fine. For error messages:
 * it is only run once a parse has failed.
 *
 * @example
 * findJsonSyntaxError(Buffer.from('[1 2]')) // { offset: 3, reason: "expected ',' or ']' after an array element" }
 */
export function findJsonSyntaxError(bytes: Uint8Array): JsonSyntaxError | undefined {
  const length = bytes.length
  /** Open containers, innermost last. */
  const open: number[] = []
  let position = 0
  const fail = (offset: number, reason: string): JsonSyntaxError => ({ offset, reason })

  /** The position after the string whose quote is at `position`, or the error in it. */
  const scanString = (start: number): number | JsonSyntaxError => {
    let at = start + 1
    for (;;) {
      if (at >= length) return fail(length, 'the text ends inside a string')
      const byte = bytes[at]!
      if (byte === quote) return at + 1
      if (byte < 0x20) return fail(at, 'a control character in a string (write it as an escape such as \\n)')
      if (byte === backslash) {
        const next = bytes[at + 1]
        if (next === undefined) return fail(length, 'the text ends inside a string')
        if (next === 0x75) {
          // \uXXXX: the error is at the first byte that is not a hex digit, as V8 says.
          let digit = at + 2
          while (digit < at + 6 && isHex(bytes[digit])) digit++
          if (digit < at + 6) return digit >= length ? fail(length, 'the text ends inside a string') : fail(digit, 'an invalid \\u escape in a string')
          at += 6
        } else if (escapable.has(next)) at += 2
        else return fail(at + 1, 'an invalid escape in a string')
      } else at++
    }
  }

  /** The position after the number that starts at `start`, or the error in it. */
  const scanNumber = (start: number): number | JsonSyntaxError => {
    let at = start
    if (bytes[at] === 0x2d) at++
    if (bytes[at] === 0x30) at++
    else if (isDigit(bytes[at])) while (isDigit(bytes[at])) at++
    else return fail(at, 'an invalid number')
    if (bytes[at] === 0x2e) {
      if (!isDigit(bytes[++at])) return fail(at, 'an invalid number (digits must follow the decimal point)')
      while (isDigit(bytes[at])) at++
    }
    if (bytes[at] === 0x65 || bytes[at] === 0x45) {
      at++
      if (bytes[at] === 0x2b || bytes[at] === 0x2d) at++
      if (!isDigit(bytes[at])) return fail(at, 'an invalid number (digits must follow the exponent)')
      while (isDigit(bytes[at])) at++
    }
    return at
  }

  type State = 'value' | 'key' | 'after'
  let state: State = 'value'
  for (;;) {
    position = skipSpace(bytes, position)
    const byte = bytes[position]
    if (state === 'value') {
      if (byte === undefined) return fail(position, position === 0 ? 'the text is empty' : 'the text ends where a value should be')
      if (byte === openBrace || byte === openBracket) {
        open.push(byte)
        position = skipSpace(bytes, position + 1)
        const close = byte === openBrace ? closeBrace : closeBracket
        if (bytes[position] === close) {
          open.pop()
          position++
          state = 'after'
        } else state = byte === openBrace ? 'key' : 'value'
        continue
      }
      let end: number | JsonSyntaxError
      if (byte === quote) end = scanString(position)
      else if (byte === 0x2d || isDigit(byte)) end = scanNumber(position)
      else {
        const literal = literals.find((word) => word.charCodeAt(0) === byte)
        if (!literal) return fail(position, 'an unexpected character where a value should be')
        // The error is at the first byte that differs, as V8 says.
        let index = 1
        while (index < literal.length && bytes[position + index] === literal.charCodeAt(index)) index++
        if (index < literal.length) {
          const at = position + index
          return fail(at, at >= length ? 'the text ends where a value should be' : `an unexpected character in what should be ${literal}`)
        }
        end = position + literal.length
      }
      if (typeof end !== 'number') return end
      position = end
      state = 'after'
    } else if (state === 'key') {
      if (byte !== quote) return fail(position, byte === undefined ? 'the text ends inside an object' : 'expected a property name in double quotes')
      const end = scanString(position)
      if (typeof end !== 'number') return end
      position = skipSpace(bytes, end)
      if (bytes[position] !== colon) return fail(position, bytes[position] === undefined ? 'the text ends inside an object' : "expected ':' after a property name")
      position++
      state = 'value'
    } else {
      const inside = open.at(-1)
      if (inside === undefined) return byte === undefined ? undefined : fail(position, 'more text after the JSON value')
      const close = inside === openBrace ? closeBrace : closeBracket
      if (byte === comma) {
        position++
        state = inside === openBrace ? 'key' : 'value'
      } else if (byte === close) {
        open.pop()
        position++
      } else if (byte === undefined) {
        return fail(position, inside === openBrace ? 'the text ends inside an object' : 'the text ends inside an array')
      } else {
        return fail(position, inside === openBrace ? "expected ',' or '}' after a property value" : "expected ',' or ']' after an array element")
      }
    }
  }
}

/**
 * `reason at line L, column C, byte B`: the column counts characters, not bytes.
 *
 * @example
 * describeJsonSyntaxError(bytes, { offset: 3, reason: 'an invalid number' }) // 'an invalid number at line 1, column 4, byte 3'
 */
export function describeJsonSyntaxError(bytes: Uint8Array, error: JsonSyntaxError): string {
  let line = 1
  let column = 1
  for (let index = 0; index < error.offset && index < bytes.length; index++) {
    const byte = bytes[index]!
    if (byte === 0x0a) {
      line++
      column = 1
    } else if ((byte & 0xc0) !== 0x80) column++
  }
  return `${error.reason} at line ${line}, column ${column}, byte ${error.offset}`
}
