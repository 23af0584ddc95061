/** Where the CLI writes: standard output and error by default, a recorder in tests. */
export interface CliIo {
  out(line: string): void
  err(line: string): void
}
