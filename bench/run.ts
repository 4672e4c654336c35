import { benchApiRead } from './api-read.ts'
import { benchConcurrency } from './concurrency.ts'
import { benchEngineThroughput } from './engine-throughput.ts'
import { benchMerge } from './merge.ts'
import { benchSandboxBurst } from './sandbox-burst.ts'
import { benchScheduler } from './scheduler.ts'
import { benchStartUp } from './start-up.ts'
import { benchWebhookDelivery } from './webhook-delivery.ts'
import { printTable, writeResults, type BenchRow } from './report.ts'

/**
 * `npm run bench` runs every benchmark; `npm run bench -- --quick` a smaller version of each
 * (under two minutes). With DATABASE_URL set, the PostgreSQL variants run too.
 */
const quick = process.argv.includes('--quick')
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length)
// PostgreSQL variants run when a server is named (each measurement creates and drops its own database).
const databaseUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL

type Suite = [string, () => Promise<BenchRow[]>]
const suites: Suite[] = [
  ['merge', () => benchMerge({ quick })],
  ...(databaseUrl ? ([['merge-postgres', () => benchMerge({ quick, databaseUrl })]] as Suite[]) : []),
  ['engine', () => benchEngineThroughput({ quick, peerDatabaseUrl: databaseUrl })],
  ...(databaseUrl ? ([['engine-postgres', () => benchEngineThroughput({ quick, databaseUrl, peerDatabaseUrl: databaseUrl })]] as Suite[]) : []),
  ['webhooks', () => benchWebhookDelivery({ quick })],
  ...(databaseUrl ? ([['webhooks-postgres', () => benchWebhookDelivery({ quick, databaseUrl })]] as Suite[]) : []),
  ...(databaseUrl ? ([['concurrency-postgres', () => benchConcurrency({ quick, databaseUrl })]] as Suite[]) : []),
  ['api', () => benchApiRead({ quick })],
  ...(databaseUrl ? ([['api-postgres', () => benchApiRead({ quick, databaseUrl })]] as Suite[]) : []),
  ...(databaseUrl ? ([['scheduler-postgres', () => benchScheduler({ quick, databaseUrl })]] as Suite[]) : []),
  ['sandbox-burst', () => benchSandboxBurst({ quick })],
  ['start-up', () => benchStartUp({ quick })],
]

const rows: BenchRow[] = []
for (const [name, suite] of suites) {
  if (only && !name.startsWith(only)) continue
  const started = performance.now()
  process.stderr.write(`running ${name}…\n`)
  rows.push(...(await suite()))
  process.stderr.write(`  ${name} took ${((performance.now() - started) / 1000).toFixed(1)} s\n`)
  // Kept as each suite ends: a long run cut short (say, the database server restarted) keeps what it measured.
  await writeResults(rows)
}
printTable(rows)
process.stderr.write(`results written to ${await writeResults(rows)}\n`)
process.exit(0)
