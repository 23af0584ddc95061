import { afterEach, expect, it, vi } from 'vitest'
import yargs from 'yargs'
import { skipHelpCaching } from './skipHelpCaching.js'

afterEach(() => {
  vi.restoreAllMocks()
})

function usageOf(cli: ReturnType<typeof yargs>) {
  return (cli as unknown as { getInternalMethods(): { getUsageInstance(): { help(): string; cacheHelpMessage(): void; hasCachedHelpMessage(): boolean } } })
    .getInternalMethods()
    .getUsageInstance()
}

function commandLine(argv: string[], ran: () => void) {
  return yargs(argv)
    .command('serve', 'Start it', (command) => command.option('port', { type: 'number', describe: 'Port to listen on' }), async () => {
      ran()
    })
    .exitProcess(false)
}

it('finds the yargs hook this CLI relies on (a yargs upgrade that moves it fails here first)', () => {
  expect(skipHelpCaching(commandLine([], () => {}))).toBe(true)
})

it('runs a command without formatting its help', async () => {
  let ran = 0
  const cli = commandLine(['serve', '--port', '4010'], () => ran++)
  skipHelpCaching(cli)
  const help = vi.spyOn(usageOf(cli), 'help')

  await cli.parseAsync()

  expect(ran).toBe(1)
  expect(help).not.toHaveBeenCalled()
  expect(usageOf(cli).hasCachedHelpMessage()).toBe(false)
})

it('formats the help of a run command when the hook is left alone (what it saves)', async () => {
  const cli = commandLine(['serve', '--port', '4010'], () => {})
  const help = vi.spyOn(usageOf(cli), 'help')

  await cli.parseAsync()

  expect(help).toHaveBeenCalled()
})

it('still prints the help when asked for it', async () => {
  const output: string[] = []
  const cli = commandLine(['serve', '--help'], () => {}).help()
  skipHelpCaching(cli)
  vi.spyOn(console, 'log').mockImplementation((line: string) => void output.push(line))

  await cli.parseAsync()

  expect(output.join('\n')).toMatch(/--port\s+Port to listen on/)
})
