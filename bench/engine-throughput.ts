import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Logger, run } from 'graphile-worker'
import pg from 'pg'
import pino from 'pino'
import { loadConfig } from '../src/config.ts'
import { startTributary } from '../src/main.ts'
import { openDatabase } from '../src/store/database.ts'
import { migrate } from '../src/store/migrate.ts'
import { row, type BenchRow } from './report.ts'
import { createItems, executionsWall, runWorkersUntilDone } from './worker-processes.ts'

export const BENCH_CLIENT = { clientId: 'bench-client', clientSecret: 'bench-client-secret-0123456789' }
export const BENCH_ENCRYPTION_KEY = Buffer.alloc(32, 9).toString('base64')

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

/**
 * Writes out what earlier measurements left in the database server's memory, so that a
 * checkpoint the server would start for it does not fall inside the next measurement.
 */
async function checkpoint(pool: pg.Pool): Promise<void> {
  // A role without the right to (pg_checkpoint) measures without it.
  await pool.query('checkpoint').catch((error: { code?: string }) => {
    if (error.code !== '42501') throw error
  })
}

/**
 * graphile-worker's own rate for no-op jobs on the same kind of database: the baseline. Measured
 * as the engine is: the queue is filled first, with as many jobs as there are executions (a
 * deeper queue drains slower), and the rate runs from the first job to the last — adding the jobs
 * is not counted, as creating the items is not.
 */
async function noopJobsPerSecond(databaseUrl: string | undefined, jobs: number, concurrency: number): Promise<number> {
  // Embedded: in a data directory on disk, as the engine's run below.
  const dataDir = databaseUrl ? ':memory:' : await mkdtemp(path.join(tmpdir(), 'tributary-bench-'))
  const db = await openDatabase({ databaseUrl: databaseUrl ?? null, dataDir })
  try {
    await migrate(db.pool, db.connectionString)
    await db.pool.query(`select graphile_worker.add_job('noop', '{}'::json) from generate_series(1, $1)`, [jobs])
    if (databaseUrl) await checkpoint(db.pool)
    let done = 0
    let first = 0
    let last = 0
    const runner = await run({
      pgPool: db.pool,
      concurrency,
      noHandleSignals: true,
      // graphile-worker's default (prepared statements) where the database allows it, as the engine does.
      noPreparedStatements: !db.preparesStatements,
      pollInterval: db.embedded ? 50 : 1000,
      crontab: '',
      logger: new Logger(() => () => {}),
      preset: { worker: { localQueue: { size: Math.min(concurrency + 1, 200) } } },
      taskList: {
        noop: async () => {
          first ||= performance.now()
          if (++done === jobs) last = performance.now()
        },
      },
    })
    while (done < jobs) await new Promise((r) => setTimeout(r, 5))
    await runner.stop()
    return (jobs / (last - first)) * 1000
  } finally {
    await db.close()
    if (!databaseUrl) await rm(dataDir, { recursive: true, force: true })
  }
}

/**
 * Executions per second with sandbox latency 0 — every step of user-ok and a merge of its data —
 * against graphile-worker's no-op job rate on the same kind of database, measured in this run.
 * An API-only engine fills the queue; then, embedded, an engine on the same data directory runs
 * it, and on PostgreSQL 1 and then 2 `tributary worker` processes do. The rate counts from the
 * first login to the last finish, by the executions' own timelines.
 */
export async function benchEngineThroughput(options: { quick: boolean; databaseUrl?: string }): Promise<BenchRow[]> {
  // Long enough (ten seconds and more) that neither the first claims and the last ends nor the
  // warm-up of each worker process weigh on the rate: with 2,000, two workers (1,000 each) ran
  // 10–15% slower than one; with 5,000, as fast.
  const executions = options.quick ? 100 : 5000
  // TRIBUTARY_WORKER_CONCURRENCY's default, for the engine and the baseline alike.
  const concurrency = 50
  const baseline = async () => {
    const database = await freshDatabaseUrl(options.databaseUrl)
    return noopJobsPerSecond(database.url, executions, concurrency).finally(() => database.drop())
  }
  // user-ok merges 28 transactions, 8 investment movements and more; user-ok-perf-0 goes through
  // the same steps and products with a small merge (no transactions): how much is the data.
  const runs = options.databaseUrl ? ([[1, 'user-ok'], [2, 'user-ok'], [2, 'user-ok-perf-0']] as const) : ([[0, 'user-ok']] as const)
  // The speed of a shared machine drifts within a run: each engine figure is compared with the
  // mean of the no-op rates measured just before and just after it.
  const baselines = [await baseline()]
  const rows: BenchRow[] = []
  for (const [workers, user] of runs) {
    const database = await freshDatabaseUrl(options.databaseUrl)
    const rate = await executionsPerSecond(database.url, executions, concurrency, workers, user).finally(() => database.drop())
    baselines.push(await baseline())
    const noop = (baselines.at(-2)! + baselines.at(-1)!) / 2
    const label = workers === 0 ? '1 process (embedded)' : `${workers} worker process${workers > 1 ? 'es' : ''} (postgres)`
    rows.push(
      user === 'user-ok'
        ? row(`engine: executions/s, delay 0, ${label} vs graphile-worker no-op jobs/s (1 process)`, rate, 'executions/s', { baseline: noop, ratio: rate / noop, goal: 'ratio >= 0.25', pass: rate / noop >= 0.25 })
        : row(`engine: executions/s of ${user} (no transactions), delay 0, ${label}`, rate, 'executions/s', { baseline: noop, ratio: rate / noop }),
    )
  }
  return rows
}

/**
 * The API queues the executions, then the engine runs them. PostgreSQL: `workers` worker
 * processes. Embedded (`workers` 0): the engine opens the same data directory once the API has
 * stopped (one process holds an embedded database at a time), so that creating the items does
 * not share the measured time with running them.
 */
async function executionsPerSecond(databaseUrl: string | undefined, executions: number, concurrency: number, workers: number, user = 'user-ok'): Promise<number> {
  const dataDir = databaseUrl ? ':memory:' : await mkdtemp(path.join(tmpdir(), 'tributary-bench-'))
  const env = {
    TRIBUTARY_DATA_DIR: dataDir,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl, TRIBUTARY_ENCRYPTION_KEY: BENCH_ENCRYPTION_KEY } : {}),
    TRIBUTARY_CLIENT_ID: BENCH_CLIENT.clientId,
    TRIBUTARY_CLIENT_SECRET: BENCH_CLIENT.clientSecret,
    TRIBUTARY_SANDBOX_DELAY_MS: '0',
    TRIBUTARY_WORKER_CONCURRENCY: String(concurrency),
    // The per-institution cap protects real banks; here it would only measure itself (0: off).
    TRIBUTARY_CONNECTOR_CONCURRENCY: '0',
    TRIBUTARY_ITEM_CREATE_RATE_LIMIT: '1000000',
    TRIBUTARY_SHUTDOWN_GRACE_SECONDS: '0',
    LOG_LEVEL: 'warn',
  }
  const start = (role: 'api' | 'all') => startTributary(loadConfig({ ...env, TRIBUTARY_ROLE: role }), { listen: false, logger: pino({ level: 'silent' }) })
  try {
    const api = await start('api')
    try {
      const apiKey = (await api.app!.inject({ method: 'POST', url: '/auth', payload: BENCH_CLIENT })).json().apiKey
      await createItems(api.app!, apiKey, executions, { user, password: 'password-ok' })
      if (databaseUrl) await checkpoint(api.db.pool)
      if (workers > 0) {
        await runWorkersUntilDone(api.db.pool, env, workers)
        return await executionsRate(api.db.pool, executions)
      }
    } finally {
      await api.stop()
    }
    const engine = await start('all')
    try {
      for (;;) {
        const { rows } = await engine.db.pool.query<{ open: number }>('select count(*)::int as open from executions where finished_at is null')
        if (rows[0].open === 0) break
        await new Promise((r) => setTimeout(r, 20))
      }
      return await executionsRate(engine.db.pool, executions)
    } finally {
      await engine.stop()
    }
  } finally {
    if (!databaseUrl) await rm(dataDir, { recursive: true, force: true })
  }
}

/** Executions per second from the first login to the last finish, by their own timelines; all must have succeeded. */
async function executionsRate(pool: pg.Pool, executions: number): Promise<number> {
  const { wallMs, succeeded } = await executionsWall(pool)
  if (succeeded !== executions) {
    const { rows } = await pool.query(`select status, error->>'message' as message, count(*)::int as count from executions where status <> 'SUCCESS' group by 1, 2`)
    throw new Error(`${executions - succeeded} of ${executions} executions did not succeed: ${JSON.stringify(rows)}`)
  }
  return (executions / wallMs) * 1000
}
