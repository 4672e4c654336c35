import { processIo } from './io.ts'
import { runCli } from './program.ts'

// The `tributary` executable: the exit code a command ends with becomes the process's. A command
// that succeeds lets the process end by itself (serve keeps it running until a signal).
void runCli(process.argv.slice(2), processIo).then((code) => {
  if (code !== 0) process.exit(code)
})
