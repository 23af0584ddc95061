/**
 * The TypeScript settings of a consumer's strict ES-module project as Node runs it, for the
 * projects the tests type-check (the README's blocks, the packed kit's entry points). Each adds
 * its own output and library-checking settings.
 */
export const consumerCompilerOptions = {
  target: 'ES2022',
  lib: ['ES2022', 'DOM'],
  module: 'nodenext',
  moduleResolution: 'nodenext',
  strict: true,
  types: ['node'],
} as const
