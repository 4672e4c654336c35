import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Logger, run } from 'graphile-worker'
import pino from 'pino'
import { loadConfig } from '../src/config.ts'
import { startTributary } from '../src/main.ts'
import { openDatabase } from '../src/store/database.ts'
import { migrate } from '../src/store/migrate.ts'
import { BENCH_CLIENT, BENCH_ENCRYPTION_KEY, checkpoint, freshDatabaseUrl } from './bench-database.ts'
import type { RunCost } from './execution-cost.ts'
import { peerExecutionsPerSecond } from './peer/dbos-peer.ts'
import { row, type BenchRow } from './report.ts'
import { createItems, executionsRate, runWorkersUntilDone } from './worker-processes.ts'

/**
 * graphile-worker's own rate for no-op jobs on the same kind of database (the baseline before the
 * peer; reported for information). Measured
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
 * against the peer doing the same work (bench/peer: a DBOS Transact workflow on the PostgreSQL
 * server of `peerDatabaseUrl`), measured just before and just after each figure: the speed of a
 * shared machine drifts within a run, so each figure is compared with the mean of the two. An
 * API-only engine fills the queue; then, embedded, an engine on the same data directory runs it,
 * and on PostgreSQL 1 and then 2 `tributary worker` processes do, against as many peer
 * processes. The rate counts from the first login to the last finish, by the executions' own
 * timelines. On PostgreSQL, also what an execution costs, beside what a peer workflow costs.
 * graphile-worker's no-op job rate is reported as it was the baseline before: for information.
 */
export async function benchEngineThroughput(options: { quick: boolean; databaseUrl?: string; peerDatabaseUrl?: string }): Promise<BenchRow[]> {
  // Long enough (ten seconds and more) that neither the first claims and the last ends nor the
  // warm-up of each worker process weigh on the rate: with 2,000, two workers (1,000 each) ran
  // 10–15% slower than one; with 5,000, as fast.
  const executions = options.quick ? 100 : 5000
  // For the engine and its baselines alike; 50 (the default before it became 1000) keeps the
  // figures comparable with earlier runs.
  const concurrency = 50
  const mode = options.databaseUrl ? 'postgres' : 'embedded'
  const noopDatabase = await freshDatabaseUrl(options.databaseUrl)
  const noop = await noopJobsPerSecond(noopDatabase.url, executions, concurrency).finally(() => noopDatabase.drop())
  const rows: BenchRow[] = [row(`engine: graphile-worker no-op jobs/s, 1 process (${mode}; for information)`, noop, 'jobs/s')]
  // user-ok merges 28 transactions, 8 investment movements and more; user-ok-perf-0 goes through
  // the same steps and products with a small merge (no transactions): how much is the data.
  const runs = options.databaseUrl
    ? ([
        [1, 'user-ok'],
        [2, 'user-ok'],
        [2, 'user-ok-perf-0'],
      ] as const)
    : ([[0, 'user-ok']] as const)
  for (const [workers, user] of runs) {
    const label = workers === 0 ? '1 process (embedded)' : `${workers} worker process${workers > 1 ? 'es' : ''} (postgres)`
    const peer = async () => peerExecutionsPerSecond(options.peerDatabaseUrl!, { executions, concurrency, processes: Math.max(1, workers) })
    const bracketed = user === 'user-ok' && options.peerDatabaseUrl !== undefined
    const before = bracketed ? await peer() : undefined
    const database = await freshDatabaseUrl(options.databaseUrl)
    const { rate, cost } = await executionsPerSecond(database.url, executions, concurrency, workers, user).finally(() => database.drop())
    const after = bracketed ? await peer() : undefined
    if (user !== 'user-ok') {
      rows.push(row(`engine: executions/s of ${user} (no transactions), delay 0, ${label}`, rate, 'executions/s'))
      continue
    }
    // The goals: twice the peer with 2 worker processes on PostgreSQL; as fast as it embedded.
    const goal = workers === 2 ? 2 : workers === 0 ? 1 : undefined
    const name = `engine: executions/s of user-ok, delay 0, ${label} vs DBOS workflows/s (${Math.max(1, workers)} process${workers > 1 ? 'es' : ''}, postgres)`
    if (!before || !after) {
      rows.push(row(`${name}: no peer (no PostgreSQL server named)`, rate, 'executions/s'))
    } else {
      const baseline = (before.rate + after.rate) / 2
      rows.push(row(name, rate, 'executions/s', { baseline, ratio: rate / baseline, ...(goal !== undefined ? { goal: `ratio >= ${goal}`, pass: rate / baseline >= goal } : {}) }))
    }
    if (cost) rows.push(...costRows(label, executions, cost, before && after ? [before.cost, after.cost] : [], workers === 2))
  }
  return rows
}

/**
 * What one execution costs (bench/execution-cost.ts), beside what one peer workflow costs (the
 * mean of its two runs): CPU of the worker processes and of the database server, transactions and
 * rows the database counted, WAL. Here a lower ratio is better.
 */
function costRows(label: string, executions: number, cost: RunCost, peer: RunCost[], goal: boolean): BenchRow[] {
  const perExecution = (pick: (c: RunCost) => number) => pick(cost) / executions
  const peerPerExecution = (pick: (c: RunCost) => number) => (peer.length ? peer.reduce((sum, c) => sum + pick(c), 0) / peer.length / executions : undefined)
  const figure = (what: string, unit: string, pick: (c: RunCost) => number, extra: Pick<BenchRow, 'goal' | 'pass'> = {}) => {
    const value = perExecution(pick)
    const baseline = peerPerExecution(pick)
    return row(`cost: ${what} per user-ok execution, ${label}${baseline !== undefined ? ' vs a DBOS workflow' : ''}`, value, unit, {
      ...(baseline !== undefined ? { baseline, ratio: value / baseline } : {}),
      ...extra,
    })
  }
  const cpu = (c: RunCost) => c.workerCpuMs + c.databaseCpuMs
  return [
    figure('CPU (worker + database)', 'ms', cpu, goal ? { goal: '<= 2.5 ms', pass: perExecution(cpu) <= 2.5 } : {}),
    figure('CPU of the worker processes', 'ms', (c) => c.workerCpuMs),
    figure('CPU of the database server', 'ms', (c) => c.databaseCpuMs),
    figure('database transactions', 'transactions', (c) => c.transactions),
    figure('rows written', 'rows', (c) => c.rowsWritten),
    figure('WAL', 'bytes', (c) => c.walBytes),
  ]
}

/**
 * The API queues the executions, then the engine runs them. PostgreSQL: `workers` worker
 * processes. Embedded (`workers` 0): the engine opens the same data directory once the API has
 * stopped (one process holds an embedded database at a time), so that creating the items does
 * not share the measured time with running them.
 */
async function executionsPerSecond(databaseUrl: string | undefined, executions: number, concurrency: number, workers: number, user = 'user-ok'): Promise<{ rate: number; cost?: RunCost }> {
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
        const { cost } = await runWorkersUntilDone(api.db.pool, env, workers, { measureCost: true })
        return { rate: await executionsRate(api.db.pool, executions), cost }
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
      return { rate: await executionsRate(engine.db.pool, executions) }
    } finally {
      await engine.stop()
    }
  } finally {
    if (!databaseUrl) await rm(dataDir, { recursive: true, force: true })
  }
}
