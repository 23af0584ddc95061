import fc from 'fast-check'
import { expect, it } from 'vitest'
import { parseJsonBytes } from './parseJsonBytes.js'

/** The sliced path, taken whatever the text's length, with slices of a few elements. */
const sliced = (text: string, sliceBytes = 8) => parseJsonBytes(Buffer.from(text, 'utf8'), { longestString: 0, sliceBytes })

function errorOf(fn: () => unknown): Error | undefined {
  try {
    fn()
  } catch (error) {
    return error as Error
  }
  return undefined
}

it('parses any JSON object on the sliced path exactly as JSON.parse does', () => {
  fc.assert(
    fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.integer({ min: 1, max: 64 }), fc.boolean(), (object, sliceBytes, pretty) => {
      const text = JSON.stringify(object, null, pretty ? 2 : undefined)

      expect(sliced(text, sliceBytes)).toEqual(JSON.parse(text))
    }),
    { numRuns: 300 },
  )
})

it('reads strings holding quotes, escapes, brackets and multi-byte characters inside array elements', () => {
  const text = '{ "opportunities" : [ {"name":"a \\" ] } , [ {","notes":"\\\\"}, "ção 🎉 \\u00e7", 1e3, -0.5, true, null, [] , {} ] , "x": "y" }'

  expect(sliced(text, 1)).toEqual(JSON.parse(text))
})

it('keeps a "__proto__" key as an own property, as JSON.parse does', () => {
  const parsed = sliced('{"__proto__": {"polluted": true}, "a": [1]}') as Record<string, unknown>

  expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype)
  expect(Object.keys(parsed)).toEqual(['__proto__', 'a'])
  expect(({} as Record<string, unknown>).polluted).toBeUndefined()
})

it('fails with a SyntaxError wherever JSON.parse fails, on any text', () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string(),
        fc.json().map((json) => `{"a":${json}`),
        fc.tuple(fc.json(), fc.nat(), fc.string({ maxLength: 2 })).map(([json, at, insert]) => {
          const text = `{"a":[${json},${json}]}`
          const position = at % (text.length + 1)
          return text.slice(0, position) + insert + text.slice(position + 1)
        }),
      ),
      (text) => {
        const expected = errorOf(() => JSON.parse(text))
        const actual = errorOf(() => sliced(text))

        if (expected) expect(actual).toBeInstanceOf(SyntaxError)
        else if (!actual) expect(sliced(text)).toEqual(JSON.parse(text))
        // The sliced path reads only objects; it refuses other valid texts with a reason.
        else expect(actual.message).toBe('a text this large can only be read when it is an object at the top level')
      },
    ),
    { numRuns: 1000 },
  )
})

it('names the byte where a slice of a large text stops making sense', () => {
  expect(errorOf(() => sliced('{"a": [1, 2 3]}'))?.message).toBe('Unexpected token "3" at byte 12')
  expect(errorOf(() => sliced('{"a": [1, 2'))?.message).toBe('Unexpected end of JSON input at byte 11')
})

it('parses short texts in one piece', () => {
  expect(parseJsonBytes(Buffer.from('[1, "two"]'))).toEqual([1, 'two'])
})
