import pino from 'pino'
import { loadConfig } from '../src/config.ts'
import { startTributary } from '../src/main.ts'
import { BENCH_CLIENT, BENCH_ENCRYPTION_KEY, freshDatabaseUrl } from './bench-database.ts'
import { row, type BenchRow } from './report.ts'
import { createItems, executionsWall, runWorkersUntilDone } from './worker-processes.ts'

const DELAY_MS = 1_000

/**
 * Many executions in flight in one worker process against slow institutions: every step at the
 * sandbox bank (login and each product) waits DELAY_MS, so the worker mostly waits. The items are
 * created first through an API-only engine (the queue fills up), then one `tributary worker`
 * process runs them all at once. Wall time runs from the first login to the last finish, against
 * the ideal (steps at the institution × delay); peak RSS is the worker's high-water mark.
 *
 * The goal rows use `user-ok-perf-0` (every step and product, no transactions) so that they
 * measure holding executions in flight, which the ideal is about; the full run adds `user-ok`,
 * whose 5,000 merges (about 45 rows and a dozen statements each) all fall due in the same second
 * and are CPU work no waiting hides (the engine rows measure that). PostgreSQL only: it needs a
 * worker process apart from the API.
 */
export async function benchConcurrency(options: { quick: boolean; databaseUrl: string }): Promise<BenchRow[]> {
  const executions = options.quick ? 1_000 : 5_000
  const rows = await concurrencyRows(options.databaseUrl, executions, 'user-ok-perf-0', true)
  if (!options.quick) rows.push(...(await concurrencyRows(options.databaseUrl, executions, 'user-ok', false)))
  return rows
}

async function concurrencyRows(databaseUrl: string, executions: number, user: string, goals: boolean): Promise<BenchRow[]> {
  const database = await freshDatabaseUrl(databaseUrl)
  const env = {
    DATABASE_URL: database.url!,
    TRIBUTARY_ENCRYPTION_KEY: BENCH_ENCRYPTION_KEY,
    TRIBUTARY_CLIENT_ID: BENCH_CLIENT.clientId,
    TRIBUTARY_CLIENT_SECRET: BENCH_CLIENT.clientSecret,
    TRIBUTARY_SANDBOX_DELAY_MS: String(DELAY_MS),
    TRIBUTARY_WORKER_CONCURRENCY: String(executions),
    // One sandbox connector serves every item; the per-institution cap (off here) would only measure itself.
    TRIBUTARY_CONNECTOR_CONCURRENCY: '0',
    TRIBUTARY_ITEM_CREATE_RATE_LIMIT: '1000000',
    TRIBUTARY_SHUTDOWN_GRACE_SECONDS: '0',
    LOG_LEVEL: 'warn',
  }
  try {
    const api = await startTributary(loadConfig({ ...env, TRIBUTARY_ROLE: 'api', TRIBUTARY_DATA_DIR: ':memory:' }), { listen: false, logger: pino({ level: 'silent' }) })
    try {
      const apiKey = (await api.app!.inject({ method: 'POST', url: '/auth', payload: BENCH_CLIENT })).json().apiKey
      await createItems(api.app!, apiKey, executions, { user, password: 'password-ok' })
      const { peakRssBytes } = await runWorkersUntilDone(api.db.pool, env, 1)
      const { wallMs, succeeded, institutionSteps } = await executionsWall(api.db.pool)
      const idealMs = institutionSteps * DELAY_MS
      const rssMiB = peakRssBytes / 2 ** 20
      const label = `${executions} executions of ${user} in flight in one worker, ${institutionSteps} steps × ${DELAY_MS} ms (postgres; ${succeeded} SUCCESS)`
      return [
        row(`concurrency: ${label}: wall vs ideal`, wallMs / 1000, 's', {
          baseline: idealMs / 1000,
          ratio: wallMs / idealMs,
          ...(goals ? { goal: 'ratio <= 1.25', pass: wallMs / idealMs <= 1.25 && succeeded === executions } : {}),
        }),
        row(`concurrency: peak RSS of that worker (${user})`, rssMiB, 'MiB', goals ? { goal: '< 1024', pass: rssMiB < 1024 } : {}),
      ]
    } finally {
      await api.stop()
    }
  } finally {
    await database.drop()
  }
}
