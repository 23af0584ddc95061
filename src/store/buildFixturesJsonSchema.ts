import { z } from 'zod'
import { fixtureFileSchema } from '../contract/schemas.js'

/**
 * The JSON Schema of a fixture file, derived from the contract's zod schema, as the text
 * committed in `fixtures/fixtures.schema.json`.
 *
 * @example
 * writeFileSync('fixtures/fixtures.schema.json', buildFixturesJsonSchema())
 */
export function buildFixturesJsonSchema(): string {
  const schema = z.toJSONSchema(fixtureFileSchema, { io: 'input', target: 'draft-2020-12' })
  return `${JSON.stringify({ ...schema, title: 'getraze-mock fixture file' }, null, 2)}\n`
}
