#!/usr/bin/env node
// `npm run fuzz -- --runs 200000 [--seed N]`: the fuzz suite (test/fuzz/) with more generated
// requests than `npm test` tries, for nightly use. Runs split as in the suite: 70% through the
// core, 15% through the msw handlers, 15% as raw sockets to the real server on 127.0.0.1,
// another 5% (at least 100) as hostile requests to the admin API, and 2% (at least 20) as
// pipelines mixing CONNECT, Upgrade and Expect with ordinary requests.
// The sliced fixture parser's property tests run too, with the same seed (their run counts are fixed).
import { spawnSync } from 'node:child_process'
import { parseArgs } from 'node:util'

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '100000' }, seed: { type: 'string' } },
  allowPositionals: false,
})
const runs = Number(values.runs)
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`Failed to start the fuzz run: --runs ${JSON.stringify(values.runs)} is not a positive whole number. Pass e.g. --runs 200000.`)
  process.exit(2)
}
const env = { ...process.env, FUZZ_RUNS: String(runs), PACT_DO_NOT_TRACK: 'true' }
if (values.seed !== undefined) env.FUZZ_SEED = values.seed
else env.FUZZ_SEED = String(Date.now() % 2 ** 31)
console.log(`fuzz: ${runs} generated requests, seed ${env.FUZZ_SEED} (pass --seed ${env.FUZZ_SEED} to replay)`)
const result = spawnSync('npx', ['vitest', 'run', 'test/fuzz', 'src/store/parseJsonBytes.test.ts', '--testTimeout=0'], { stdio: 'inherit', env })
process.exit(result.status ?? 1)
