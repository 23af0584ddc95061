import { expect, it } from 'vitest'
import { parseJsonBytes } from '../../src/store/parseJsonBytes.js'

// Issue 18, item 14: the property test of the sliced fixture parser (src/store/parseJsonBytes.test.ts),
// run with a random seed, found a text JSON.parse refuses and the parser accepted. After a slice of
// whole elements was parsed, the next slice started at the `]`, and an empty slice parses as `[]`:
// the trailing comma vanished. A fixture file over V8's longest string takes this path.

/** The sliced path, whatever the text's length, with slices of 8 bytes: as the property test found it. */
const sliced = (text: string) => parseJsonBytes(Buffer.from(text, 'utf8'), { longestString: 0, sliceBytes: 8 })

function messageOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(SyntaxError)
    return (error as Error).message
  }
  return undefined
}

it('refuses the trailing comma the property test found in {"a":[5e-324,5e-32,]} read in slices of 8 bytes', () => {
  expect(() => JSON.parse('{"a":[5e-324,5e-32,]}')).toThrow(SyntaxError)

  expect(messageOf(() => sliced('{"a":[5e-324,5e-32,]}'))).toBe('an unexpected character where a value should be at line 1, column 20, byte 19')
})

it('refuses a trailing comma right after a full slice, with or without spaces around it', () => {
  expect(messageOf(() => sliced('{"a":[123456789,]}'))).toBe('an unexpected character where a value should be at line 1, column 17, byte 16')
  expect(messageOf(() => sliced('{"a": [ 123456789 , ]}'))).toBe('an unexpected character where a value should be at line 1, column 21, byte 20')
})

it('still reads the same arrays without the trailing comma', () => {
  expect(sliced('{"a":[5e-324,5e-32]}')).toEqual({ a: [5e-324, 5e-32] })
  expect(sliced('{"a": [ 123456789 , 2 ]}')).toEqual({ a: [123456789, 2] })
})
