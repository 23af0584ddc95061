/**
 * Writes JSON data as YAML (block style). Only what JSON can hold is needed, so this is a small
 * subset writer instead of a runtime dependency: strings are plain where YAML reads them back
 * as the same string, else double-quoted JSON strings (which YAML 1.2 reads as the same text).
 *
 * @example
 * toYaml({ openapi: '3.1.0', paths: {} }) // 'openapi: 3.1.0\npaths: {}\n'
 */
export function toYaml(value: unknown): string {
  return `${write(value, 0)}\n`
}

// Plain scalars that stay strings: no indicator first, no ": " or " #", not a number, bool or null.
const plainSafe = /^[A-Za-z_/$.][A-Za-z0-9_ ./$(){}<>=+^*-]*$/
const lookAlike = /^(?:true|false|null|yes|no|on|off|y|n|~|\.inf|-?\.inf|\.nan)$/i
// Dotted versions such as 3.1.0 are strings to every YAML reader (no number has two dots).
const version = /^\d+\.\d+\.\d+$/

function scalarText(text: string): string {
  if (version.test(text)) return text
  const plain = plainSafe.test(text) && !lookAlike.test(text) && !text.endsWith(' ') && !text.includes(': ') && !text.includes(' #')
  return plain ? text : JSON.stringify(text)
}

function scalar(value: unknown): string | undefined {
  if (value === null) return 'null'
  if (typeof value === 'string') return scalarText(value)
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null'
  if (typeof value === 'boolean') return String(value)
  if (Array.isArray(value) && value.length === 0) return '[]'
  if (typeof value === 'object' && Object.keys(value as object).length === 0) return '{}'
  return undefined
}

function write(value: unknown, indent: number): string {
  const simple = scalar(value)
  if (simple !== undefined) return simple
  const pad = ' '.repeat(indent)
  if (Array.isArray(value)) {
    return value
      .map((item) => {
        const text = scalar(item)
        if (text !== undefined) return `${pad}- ${text}`
        // The item's first line goes after "- "; the rest keep the deeper indent.
        return `${pad}- ${write(item, indent + 2).slice(indent + 2)}`
      })
      .join('\n')
  }
  return Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .map(([key, item]) => {
      const text = scalar(item)
      const name = scalarText(key)
      return text !== undefined ? `${pad}${name}: ${text}` : `${pad}${name}:\n${write(item, indent + 2)}`
    })
    .join('\n')
}
