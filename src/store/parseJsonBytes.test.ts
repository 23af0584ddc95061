import fc from 'fast-check'
import { expect, it } from 'vitest'
import { findJsonSyntaxError, parseJsonBytes } from './parseJsonBytes.js'

/**
 * A fixed seed, named in the test titles, so a failure here reproduces; FUZZ_SEED explores other
 * inputs (`npm run fuzz` passes a new one each run and prints it). A random seed found the
 * trailing comma of test/regressions/18-json-trailing-comma.test.ts, once.
 */
const seed = process.env.FUZZ_SEED === undefined ? 20241125 : Number(process.env.FUZZ_SEED)

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

it(`parses any JSON object on the sliced path exactly as JSON.parse does (seed ${seed})`, () => {
  fc.assert(
    fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.integer({ min: 1, max: 64 }), fc.boolean(), (object, sliceBytes, pretty) => {
      const text = JSON.stringify(object, null, pretty ? 2 : undefined)

      expect(sliced(text, sliceBytes)).toEqual(JSON.parse(text))
    }),
    { numRuns: 300, seed },
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

it(`fails with a SyntaxError wherever JSON.parse fails, on any text (seed ${seed})`, () => {
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
    { numRuns: 1000, seed },
  )
})

it('names the byte where a slice of a large text stops making sense', () => {
  expect(errorOf(() => sliced('{"a": [1, 2 3]}'))?.message).toBe("expected ',' or ']' after an array element at line 1, column 13, byte 12")
  expect(errorOf(() => sliced('{"a": [1, 2'))?.message).toBe('the text ends inside an array at line 1, column 12, byte 11')
})

/** Texts near JSON: valid ones, and valid ones with a few characters replaced. */
const nearJson = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.json({ maxDepth: 4 }),
  fc.tuple(fc.json({ maxDepth: 4 }), fc.nat(), fc.string({ unit: 'binary', maxLength: 2 })).map(([json, at, insert]) => {
    const position = at % (json.length + 1)
    return json.slice(0, position) + insert + json.slice(position + 1)
  }),
)

it(`finds an error in exactly the texts JSON.parse refuses, where V8 says it is (seed ${seed})`, () => {
  fc.assert(
    fc.property(nearJson, (text) => {
      const refused = errorOf(() => JSON.parse(text))
      const found = findJsonSyntaxError(Buffer.from(text, 'utf8'))

      expect(found === undefined).toBe(refused === undefined)
      // V8 counts UTF-16 units, we count bytes: compare where the two agree, in ASCII texts.
      const named = refused && /^[\x00-\x7f]*$/.test(text) ? / at position (\d+)/.exec(refused.message) : null
      if (named) expect(found?.offset).toBe(Number(named[1]))
    }),
    { numRuns: 3000, seed },
  )
})

it('says where and why a text is not JSON without quoting it', () => {
  const secret = 'SHELL=/bin/bash\0PATH=/usr/bin\0TOKEN=s3cr3t'

  const message = errorOf(() => parseJsonBytes(Buffer.from(secret)))?.message

  expect(message).toBe('an unexpected character where a value should be at line 1, column 1, byte 0')
  expect(errorOf(() => parseJsonBytes(Buffer.from('{\n  "a": tru\n}')))?.message).toBe('an unexpected character in what should be true at line 2, column 11, byte 12')
  expect(errorOf(() => parseJsonBytes(Buffer.from('{"é": "x" "y"}')))?.message).toBe("expected ',' or '}' after a property value at line 1, column 11, byte 11")
})

it('parses short texts in one piece', () => {
  expect(parseJsonBytes(Buffer.from('[1, "two"]'))).toEqual([1, 'two'])
})
