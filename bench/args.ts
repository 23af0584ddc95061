/** A flag the bench scripts accept: `--name value`, `--name=value`, or for booleans `--name` / `--no-name`. */
export interface FlagSpec {
  type: 'number' | 'numbers' | 'string' | 'boolean'
  default: number | number[] | string | boolean | undefined
  describe: string
}

export type FlagValues<Specs extends Record<string, FlagSpec>> = {
  [Name in keyof Specs]: Specs[Name]['type'] extends 'number'
    ? number
    : Specs[Name]['type'] extends 'numbers'
      ? number[]
      : Specs[Name]['type'] extends 'boolean'
        ? boolean
        : string | undefined
}

const envName = (name: string) => `BENCH_${name.replace(/-/g, '_').toUpperCase()}`

function parseNumbers(flag: string, text: string): number[] {
  const numbers = text.split(',').map((part) => Number(part.trim().replace(/_/g, '')))
  if (numbers.length === 0 || numbers.some((value) => !Number.isFinite(value) || value < 0)) {
    throw new Error(`--${flag} ${JSON.stringify(text)} is not a list of non-negative numbers; pass e.g. --${flag} 10,50`)
  }
  return numbers
}

/**
 * Parses the bench's flags. Every flag can also come from the environment as BENCH_<NAME>
 * (e.g. BENCH_DURATION=1); the command line wins.
 */
export function parseFlags<Specs extends Record<string, FlagSpec>>(
  argv: readonly string[],
  specs: Specs,
): FlagValues<Specs> & { help: boolean } {
  const raw = new Map<string, string | boolean>()
  for (const name of Object.keys(specs)) {
    const fromEnv = process.env[envName(name)]
    if (fromEnv !== undefined && fromEnv !== '') raw.set(name, specs[name]!.type === 'boolean' ? !/^(0|false|no)$/i.test(fromEnv) : fromEnv)
  }
  let help = false
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!
    if (argument === '--help' || argument === '-h') {
      help = true
      continue
    }
    const match = /^--(no-)?([a-z][a-z0-9-]*)(?:=(.*))?$/.exec(argument)
    const name = match?.[2]
    const spec = name === undefined ? undefined : specs[name]
    if (!match || !name || !spec) throw new Error(`Unknown argument ${JSON.stringify(argument)}; run with --help for the flags`)
    if (spec.type === 'boolean') {
      raw.set(name, match[1] ? false : match[3] === undefined ? true : !/^(0|false|no)$/i.test(match[3]))
      continue
    }
    if (match[1]) throw new Error(`--no-${name} is not a flag; ${name} takes a value`)
    const value = match[3] ?? argv[++index]
    if (value === undefined) throw new Error(`--${name} needs a value`)
    raw.set(name, value)
  }

  const values: Record<string, unknown> = { help }
  for (const [name, spec] of Object.entries(specs)) {
    const given = raw.get(name)
    if (given === undefined) {
      values[name] = spec.default
    } else if (spec.type === 'boolean') {
      values[name] = given
    } else if (spec.type === 'number') {
      const [number] = parseNumbers(name, String(given))
      values[name] = number
    } else if (spec.type === 'numbers') {
      values[name] = parseNumbers(name, String(given))
    } else {
      values[name] = String(given)
    }
  }
  return values as FlagValues<Specs> & { help: boolean }
}

/** The --help text for some flags. */
export function formatHelp(usage: string, specs: Record<string, FlagSpec>): string {
  const lines = [usage, '', 'Flags (each also readable from BENCH_<NAME>, e.g. BENCH_DURATION=1):']
  for (const [name, spec] of Object.entries(specs)) {
    const flag = spec.type === 'boolean' ? `--[no-]${name}` : `--${name} <${spec.type === 'numbers' ? 'n,n,...' : spec.type === 'number' ? 'n' : 'text'}>`
    const fallback = spec.default === undefined ? '' : ` (default ${Array.isArray(spec.default) ? spec.default.join(',') : String(spec.default)})`
    lines.push(`  ${flag.padEnd(30)} ${spec.describe}${fallback}`)
  }
  return lines.join('\n')
}
