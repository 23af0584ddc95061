// Writes fixtures/fixtures.schema.json from the contract's zod schema, so editors can check
// fixture files. A test fails when the committed file is out of date.
import { writeFileSync } from 'node:fs'
import { buildFixturesJsonSchema } from '../src/store/buildFixturesJsonSchema.js'

writeFileSync(new URL('../fixtures/fixtures.schema.json', import.meta.url), buildFixturesJsonSchema())
