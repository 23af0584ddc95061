import type { Argv } from 'yargs'

interface UsageHooks {
  getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: unknown } | undefined }
}

/**
 * Stops yargs from formatting a command's whole help every time it runs the command. yargs keeps
 * that text in case it must show the help later, while an async handler runs (yargs#1865); this
 * CLI never does (its `fail` throws a message that names `--help`), and formatting `serve`'s help
 * took about 70 ms of its start-up, between starting the server and answering. `--help` itself is
 * formatted as before. The hook is yargs-internal, so this answers whether it was there: `false`
 * after a yargs upgrade moved it means a slower start, nothing else (a test says so first).
 *
 * @example
 * const cli = yargs(argv)
 * skipHelpCaching(cli)
 */
export function skipHelpCaching(cli: Argv): boolean {
  const usage = (cli as unknown as UsageHooks).getInternalMethods?.().getUsageInstance?.()
  if (!usage || typeof usage.cacheHelpMessage !== 'function') return false
  usage.cacheHelpMessage = () => {}
  return true
}
