import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'

/** The repository's `pacts/` folder, which CI checks the tests leave unchanged. */
export const committedPactDir = join(import.meta.dirname, '../../pacts')

/**
 * Copies a pact a consumer test generated into `pacts/`, only when it differs from the committed
 * one: written beside, then renamed, so readers (verification in parallel test files) see the old
 * file or the new one, never half of one.
 *
 * @example
 * afterAll(() => { if (!anyTestFailed) commitPact(join(outDir, pactFile)) })
 */
export function commitPact(generated: string): void {
  if (!existsSync(generated)) return
  const committed = join(committedPactDir, basename(generated))
  const text = readFileSync(generated, 'utf8')
  if (existsSync(committed) && readFileSync(committed, 'utf8') === text) return
  writeFileSync(`${committed}.tmp`, text)
  renameSync(`${committed}.tmp`, committed)
}
