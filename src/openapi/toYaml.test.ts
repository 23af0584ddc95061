import { parse } from 'yaml'
import { expect, it } from 'vitest'
import { toYaml } from './toYaml.js'

it('writes nested objects and arrays in block style', () => {
  expect(toYaml({ a: { b: [1, { c: 'd', e: [] }], f: {} } })).toBe('a:\n  b:\n    - 1\n    - c: d\n      e: []\n  f: {}\n')
})

it('quotes strings YAML would read as something else, and reads them back unchanged', () => {
  const tricky = ['true', 'no', '~', '200', '1e3', '3.1.0', '1.5', '#/components/x', 'a: b', 'a #b', '- x', '', ' lead', 'trail ', '"q"', "it's", 'line\nbreak', 'opportunities:write', '{id}', '*', '@x', '%x', 'null']
  const data = Object.fromEntries(tricky.map((text) => [text, text]))
  expect(parse(toYaml(data))).toEqual(data)
  expect(parse(toYaml(tricky))).toEqual(tricky)
})

it('writes numbers, booleans and null as YAML scalars', () => {
  expect(parse(toYaml({ n: -1.5, t: true, f: false, z: null }))).toEqual({ n: -1.5, t: true, f: false, z: null })
})
