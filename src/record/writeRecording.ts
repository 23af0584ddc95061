import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join, resolve } from 'node:path'
import { GetRazeMockError } from '../errors/GetRazeMockError.js'
import { parseFixtures } from '../store/parseFixtures.js'
import { formatJUnitReport } from '../verify/formatJUnitReport.js'
import { createRedactor } from '../verify/redactSecrets.js'
import type { VerificationReport } from '../verify/VerificationReport.js'
import type { Mirror } from './createMirror.js'
import type { PersonalRedactor } from './createPersonalRedactor.js'
import { referencedCollections } from './recordsInAnswer.js'
import type { RecorderReportTarget } from './RecorderOptions.js'

/** What `writeRecording` needs. */
export interface RecordingToWrite {
  out: string
  mirror: Mirror
  personal: PersonalRedactor
  /** Every key and credential that passed through: hidden in whatever is written. */
  secrets: string[]
  /** The target as it may be printed. */
  target: string
  startedAt: Date
  report: VerificationReport | undefined
  reports: readonly RecorderReportTarget[]
}

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`

/** Writes beside, then renames: a reader sees the old file or the new one, never half of one. */
async function writeWhole(file: string, text: string, what: string): Promise<void> {
  try {
    await mkdir(resolve(file, '..'), { recursive: true })
    await writeFile(`${file}.tmp`, text)
    await rename(`${file}.tmp`, file)
  } catch (error) {
    throw new GetRazeMockError(
      'RECORDING_WRITE_FAILED',
      `Failed to write the ${what}: ${file} cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). Pass a folder you can write to as out (--out).`,
      { cause: error },
    )
  }
}

/**
 * Writes what a recording learned to `out`: `fixtures.json` (records as the target first
 * answered them, keys as placeholders, personal fields faked; checked with the fixture rules
 * before it is written), the pact of the documented behaviours seen (personal fields faked the
 * same way), and the shadow reports asked for. Every key and credential that passed through is
 * hidden in all of it, in every form a provider may have echoed it.
 *
 * @example
 * const { fixturesFile, pactFile } = await writeRecording({ out: 'recorded', mirror, personal, secrets, target, startedAt, report: undefined, reports: [] })
 */
export async function writeRecording(recording: RecordingToWrite): Promise<{ fixturesFile: string; fixtures: { accounts: number; apiKeys: number; records: number; referenced: number }; pactFile: string | undefined; interactions: number; reportFiles: string[] }> {
  const { mirror, personal } = recording
  const hide = createRedactor(recording.secrets)
  const out = resolve(recording.out)

  const set = mirror.fixtures()
  const sections = Object.fromEntries(Object.entries(set).map(([name, records]) => [name, name === 'accounts' || name === 'apiKeys' ? records : personal.redact(records)]))
  const count = (named: (name: string) => boolean) => Object.entries(sections).reduce((sum, [name, records]) => (named(name) ? sum + records.length : sum), 0)
  const recordCount = count((name) => name !== 'accounts' && name !== 'apiKeys' && !referencedCollections.has(name))
  const referenced = count((name) => referencedCollections.has(name))
  const keyCount = sections.apiKeys?.length ?? 0
  const created = mirror.createdRecords
  const adjusted = [...mirror.adjustments]
  const description = [
    `Recorded by getraze-mock record from ${recording.target} on ${recording.startedAt.toISOString()}: ${plural(sections.accounts?.length ?? 0, 'account')}, ${plural(keyCount, 'API key')}, ${plural(recordCount, 'record')}${referenced > 0 ? ` and ${referenced} ${recordCount === 1 ? 'it refers' : 'they refer'} to (${[...referencedCollections].join(', ')})` : ''}.`,
    'The keys are placeholders (gr_recorded_N), never the keys the traffic used, each with the permissions the traffic proved; use a placeholder where your tests used the key.',
    'Records are as the target first answered them, completed by later answers; fields no answer showed have their documented defaults.',
    adjusted.length > 0 ? `Brought to the documented form: ${adjusted.slice(0, 20).join('; ')}${adjusted.length > 20 ? '; …' : ''}.` : '',
    personal.fields.size > 0 ? `Personal fields (${[...personal.fields].join(', ')}) hold fake values, the same fake for the same value.` : '',
    created > 0 ? `${plural(created, 'record')} the traffic created ${created === 1 ? 'is' : 'are'} left out: replayed, the requests create ${created === 1 ? 'it' : 'them'}.` : '',
  ]
    .filter(Boolean)
    .join(' ')
  const document = { description, ...sections }
  const fixturesFile = join(out, 'fixtures.json')
  const fixturesText = hide(`${JSON.stringify(document, null, 2)}\n`)
  try {
    parseFixtures([{ source: fixturesFile, data: JSON.parse(fixturesText) as unknown }])
  } catch (error) {
    throw new GetRazeMockError('RECORDING_WRITE_FAILED', `Failed to write the fixtures: they would not load (${(error as Error).message}). This is a bug; please report it with the target's answers.`, { cause: error })
  }
  await writeWhole(fixturesFile, fixturesText, 'fixtures')

  let pactFile: string | undefined
  if (mirror.pact.interactions.length > 0) {
    // recordPact writes the pact whole; it is read back to fake personal fields before it lands in `out`.
    const scratch = await mkdtemp(join(tmpdir(), 'getraze-record-'))
    try {
      const written = await mirror.pact.write(scratch)
      const pact = JSON.parse(await readFile(written, 'utf8')) as { interactions: unknown[] }
      pact.interactions = personal.redact(pact.interactions)
      pactFile = join(out, basename(written))
      await writeWhole(pactFile, hide(`${JSON.stringify(pact, null, 2)}\n`), 'pact')
    } finally {
      await rm(scratch, { recursive: true, force: true })
    }
  }

  const reportFiles: string[] = []
  if (recording.report) {
    for (const { format, file } of recording.reports) {
      const text = format === 'json' ? `${JSON.stringify(recording.report, null, 2)}\n` : formatJUnitReport(recording.report)
      await writeWhole(resolve(file), hide(text), `${format} report`)
      reportFiles.push(resolve(file))
    }
  }
  const fixtures = { accounts: sections.accounts?.length ?? 0, apiKeys: keyCount, records: recordCount, referenced }
  return { fixturesFile, fixtures, pactFile, interactions: pactFile === undefined ? 0 : mirror.pact.interactions.length, reportFiles }
}
