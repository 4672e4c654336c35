import { setFlagsFromString } from 'node:v8'
import { processIo } from './io.ts'
import { runCli } from './program.ts'

// The embedded database is PostgreSQL compiled to WebAssembly. Compiled asynchronously (V8's
// default), its first queries stall the whole process for 100–200 ms while background threads
// finish compiling it; compiled at once, the module is ready when PGlite is, and a start answers
// that much sooner. Set before any module is compiled (the database opens after this runs).
setFlagsFromString('--no-wasm-async-compilation')

// The `tributary` executable: the exit code a command ends with becomes the process's. A command
// that succeeds lets the process end by itself (serve keeps it running until a signal).
void runCli(process.argv.slice(2), processIo).then((code) => {
  if (code !== 0) process.exit(code)
})
