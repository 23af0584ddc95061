import type { Argv } from 'yargs'
import type { CliIo } from './runCli.js'

/** Adds `verify`; filled in by the contracts work. */
export function addVerifyCommand(_cli: Argv, _io: CliIo, _setExitCode: (code: number) => void): void {}
