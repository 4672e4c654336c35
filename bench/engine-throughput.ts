import { Logger, run } from 'graphile-worker'
import pg from 'pg'
import pino from 'pino'
import { loadConfig } from '../src/config.ts'
import { startTributary } from '../src/main.ts'
import { openDatabase } from '../src/store/database.ts'
import { migrate } from '../src/store/migrate.ts'
import { row, type BenchRow } from './report.ts'

const CLIENT = { clientId: 'bench-client', clientSecret: 'bench-client-secret-0123456789' }
const KEY = Buffer.alloc(32, 9).toString('base64')

/** A fresh database for one measurement: PostgreSQL (created and dropped) or embedded in memory. */
export async function freshDatabaseUrl(baseUrl: string | undefined): Promise<{ url: string | undefined; drop(): Promise<void> }> {
  if (!baseUrl) return { url: undefined, drop: async () => {} }
  const name = `tributary_bench_${Math.random().toString(36).slice(2, 10)}`
  const admin = new pg.Client({ connectionString: baseUrl })
  await admin.connect()
  await admin.query(`create database ${name}`)
  await admin.end()
  const url = new URL(baseUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    async drop() {
      const again = new pg.Client({ connectionString: baseUrl })
      await again.connect()
      await again.query(`drop database if exists ${name} with (force)`)
      await again.end()
    },
  }
}

/** graphile-worker's own rate for no-op jobs on the same kind of database: the baseline. */
async function noopJobsPerSecond(databaseUrl: string | undefined, jobs: number, concurrency: number): Promise<number> {
  const db = await openDatabase({ databaseUrl: databaseUrl ?? null, dataDir: ':memory:' })
  try {
    await migrate(db.pool, db.connectionString)
    let done = 0
    const runner = await run({
      pgPool: db.pool,
      concurrency,
      noHandleSignals: true,
      noPreparedStatements: true,
      pollInterval: db.embedded ? 50 : 1000,
      crontab: '',
      logger: new Logger(() => () => {}),
      preset: { worker: { localQueue: { size: Math.min(concurrency + 1, 200) } } },
      taskList: { noop: async () => void done++ },
    })
    const started = performance.now()
    await db.pool.query(`select graphile_worker.add_job('noop', '{}'::json) from generate_series(1, $1)`, [jobs])
    while (done < jobs) await new Promise((r) => setTimeout(r, 5))
    const rate = (jobs / (performance.now() - started)) * 1000
    await runner.stop()
    return rate
  } finally {
    await db.close()
  }
}

/** Executions per second with sandbox latency 0 (every step and a merge), against the no-op job rate. */
export async function benchEngineThroughput(options: { quick: boolean; databaseUrl?: string }): Promise<BenchRow[]> {
  const mode = options.databaseUrl ? 'postgres' : 'embedded'
  const executions = options.quick ? 100 : 400
  const concurrency = 20
  const baselineDb = await freshDatabaseUrl(options.databaseUrl)
  const baseline = await noopJobsPerSecond(baselineDb.url, executions * 5, concurrency).finally(() => baselineDb.drop())

  const engineDb = await freshDatabaseUrl(options.databaseUrl)
  const tributary = await startTributary(
    loadConfig({
      TRIBUTARY_DATA_DIR: ':memory:',
      ...(engineDb.url ? { DATABASE_URL: engineDb.url, TRIBUTARY_ENCRYPTION_KEY: KEY } : {}),
      TRIBUTARY_CLIENT_ID: CLIENT.clientId,
      TRIBUTARY_CLIENT_SECRET: CLIENT.clientSecret,
      TRIBUTARY_SANDBOX_DELAY_MS: '0',
      TRIBUTARY_WORKER_CONCURRENCY: String(concurrency),
      TRIBUTARY_ITEM_CREATE_RATE_LIMIT: '1000000',
      TRIBUTARY_SHUTDOWN_GRACE_SECONDS: '0',
      LOG_LEVEL: 'silent',
    }),
    { listen: false, logger: pino({ level: 'silent' }) },
  )
  try {
    const app = tributary.app!
    const apiKey = (await app.inject({ method: 'POST', url: '/auth', payload: CLIENT })).json().apiKey
    const started = performance.now()
    await Promise.all(
      Array.from({ length: executions }, () =>
        app.inject({ method: 'POST', url: '/items', headers: { 'x-api-key': apiKey }, payload: { connectorId: 0, parameters: { user: 'user-ok', password: 'password-ok' } } }),
      ),
    )
    for (;;) {
      const { rows } = await tributary.db.pool.query<{ running: number }>('select count(*)::int as running from executions where finished_at is null')
      if (rows[0].running === 0) break
      await new Promise((r) => setTimeout(r, 20))
    }
    const rate = (executions / (performance.now() - started)) * 1000
    return [
      row(`engine: executions/s, delay 0, 1 process (${mode}) vs graphile-worker no-op jobs/s`, rate, 'executions/s', { baseline, ratio: rate / baseline, goal: 'ratio >= 0.25', pass: rate / baseline >= 0.25 }),
    ]
  } finally {
    await tributary.stop()
    await engineDb.drop()
  }
}
