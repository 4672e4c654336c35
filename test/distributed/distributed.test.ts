import { describe } from 'vitest'

// Scale-out on the machine's PostgreSQL server: real worker processes, SIGKILL, a frozen worker,
// the server restarted. The suites share that server and one of them restarts it, so they run one
// after another — as the suites of this one file, which lets the engine's files run beside them
// (a project of sequential files would only start once every other file had finished).
const SUITES = ['crash', 'chaos', 'auto-sync', 'event-cursor', 'api-database-outage', 'rate-limits', 'claim-heartbeat', 'idempotency', 'prepared-statements']

for (const suite of SUITES) {
  // Each suite's hooks and tests are declared as its module is evaluated, inside this describe.
  describe(suite, async () => {
    await import(`./${suite}.suite.ts`)
  })
}
