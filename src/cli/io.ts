/**
 * What a command reads and writes: the process's environment and streams when `tributary` runs,
 * or a test's when it calls the commands in its own process (test/cli.test.ts).
 */
export interface CliIo {
  env: Record<string, string | undefined>
  out(text: string): void
  err(text: string): void
  /** Whether `out` is a terminal (the demo then redraws its progress in place). */
  isTTY?: boolean
}

/** Ends a command with this exit code; the entry point (main.ts) makes it the process's. */
export class CliExit extends Error {
  constructor(readonly code: number) {
    super(`exit code ${code}`)
  }
}

export const processIo: CliIo = {
  env: process.env,
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  isTTY: process.stdout.isTTY,
}
