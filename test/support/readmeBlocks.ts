/**
 * Reads the fenced code blocks of a Markdown file and the `readme-test` marker before each
 * (issue 18, item 12). test/readme.test.ts runs README.md's blocks by these markers.
 */

/** What a marker asks for. */
export type BlockMarker =
  | { kind: 'run'; file: string }
  | { kind: 'typecheck'; file: string }
  | { kind: 'shell'; serve: string[] | null }
  | { kind: 'check'; name: string }
  | { kind: 'illustrative'; why: string }

export interface ReadmeBlock {
  /** 1-based line of the opening fence. */
  line: number
  /** The info string after the fence (`ts`, `sh`, `json`, ...), `''` for none. */
  lang: string
  /** The block's text, without the fences and without the fence's indentation. */
  content: string
  marker: BlockMarker | undefined
  /** Why the marker (if any) is not valid; `undefined` when it is. */
  problem: string | undefined
}

/** What to put before a block; the failure message of an unmarked block prints it whole. */
export const markerHelp = [
  'Put one of these on the line before the opening fence (see test/readme.test.ts):',
  '  <!-- readme-test: run NAME.ts -->        a complete TypeScript module: type-checked as a consumer\'s (strict, nodenext,',
  '                                           skipLibCheck off) and run; NAME.test.ts with vitest, any other NAME.ts with node.',
  '                                           A file the block imports (./x.js) that is not another block goes in test/readme/.',
  '  <!-- readme-test: typecheck NAME.ts -->  the same, type-checked only (it needs something the test cannot start)',
  '  <!-- readme-test: shell -->              shell commands, run with bash; `npx getraze-mock` runs this checkout\'s bin',
  '  <!-- readme-test: shell serve ARGS -->   the same against `getraze-mock serve ARGS` on a free port, which replaces 4010',
  '  <!-- readme-test: check NAME -->         output or data compared with what the kit produces, by check NAME in test/readme.test.ts',
  '  <!-- readme-test: illustrative WHY -->   not run; say why (a fragment, a placeholder, something that needs the network)',
].join('\n')

const fencePattern = /^(\s*)(`{3,}|~{3,})\s*([^`\s]*)[^`]*$/
const markerPattern = /^\s*<!--\s*readme-test:\s*(.*?)\s*-->\s*$/

function parseMarker(text: string, lang: string): { marker?: BlockMarker; problem?: string } {
  const [kind = '', ...rest] = text.split(/\s+/)
  const argument = rest.join(' ')
  switch (kind) {
    case 'run':
    case 'typecheck':
      if (!/^[\w./-]+\.ts$/.test(argument) || argument.startsWith('/') || argument.split('/').includes('..')) {
        return { problem: `"${kind}" needs a relative NAME.ts, got "${argument}"` }
      }
      if (lang !== 'ts') return { problem: `"${kind}" is for \`\`\`ts blocks, this one is \`\`\`${lang}` }
      return { marker: { kind, file: argument } }
    case 'shell':
      if (lang !== 'sh') return { problem: `"shell" is for \`\`\`sh blocks, this one is \`\`\`${lang}` }
      if (argument === '') return { marker: { kind, serve: null } }
      if (rest[0] === 'serve') return { marker: { kind, serve: rest.slice(1) } }
      return { problem: `"shell" takes nothing or "serve ARGS", got "${argument}"` }
    case 'check':
      if (!/^[a-z][a-z-]*$/.test(argument)) return { problem: `"check" needs a check name, got "${argument}"` }
      return { marker: { kind, name: argument } }
    case 'illustrative':
      if (argument === '') return { problem: '"illustrative" needs a reason' }
      return { marker: { kind, why: argument } }
    default:
      return { problem: `unknown kind "${kind}"` }
  }
}

/**
 * Every fenced block of `markdown`, with the marker on the last non-blank line before it.
 *
 * @example
 * const [block] = readReadmeBlocks('<!-- readme-test: shell -->\n```sh\nls\n```\n')
 */
export function readReadmeBlocks(markdown: string): ReadmeBlock[] {
  const lines = markdown.split('\n')
  const blocks: ReadmeBlock[] = []
  for (let index = 0; index < lines.length; index++) {
    const open = fencePattern.exec(lines[index]!)
    if (!open) continue
    const [, indent = '', fence = '', lang = ''] = open
    let end = index + 1
    while (end < lines.length && !(lines[end]!.trim().startsWith(fence[0]!.repeat(fence.length)) && lines[end]!.trim().replace(/[`~]/g, '') === '')) end++
    const content = lines
      .slice(index + 1, end)
      .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line.trimStart()))
      .join('\n')
    let before = index - 1
    while (before >= 0 && lines[before]!.trim() === '') before--
    const markerText = before >= 0 ? markerPattern.exec(lines[before]!)?.[1] : undefined
    const parsed = markerText === undefined ? { problem: 'no readme-test marker' } : parseMarker(markerText, lang)
    blocks.push({ line: index + 1, lang, content: `${content}\n`, marker: parsed.marker, problem: parsed.problem })
    index = end
  }
  return blocks
}
