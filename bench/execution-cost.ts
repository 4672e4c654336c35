import { execFileSync } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import type pg from 'pg'

/**
 * What a run of executions cost, in total: CPU of the worker processes and of the database
 * server, transactions and rows the database counted, and WAL written.
 *
 * - Worker CPU: utime + stime of each worker process (/proc/<pid>/stat), from the release of the
 *   queued executions to the last finish.
 * - Database CPU: the same for the server processes serving the measured database (its
 *   backends, found in pg_stat_activity and sampled while they run, so that a backend that comes
 *   and goes still counts), plus the server's WAL writer, background writer and checkpointer,
 *   which work for every database of the server. pg_stat_statements would give statement time
 *   too, but it needs shared_preload_libraries, that is a restart of the shared server.
 * - Transactions and rows written: pg_stat_database of the measured database (commits and
 *   rollbacks; rows inserted, updated and deleted), read once every worker's backends have
 *   exited and so reported their counts. It counts transactions, not statements: a statement
 *   outside a transaction block is one.
 * - WAL: pg_current_wal_lsn() before and after; the server's, so any other work on it counts too.
 */
export interface RunCost {
  workerCpuMs: number
  databaseCpuMs: number
  transactions: number
  rowsWritten: number
  walBytes: number
}

const SERVER_PROCESSES = ['walwriter', 'background writer', 'checkpointer']
const TICKS_PER_SECOND = clockTicks()

function clockTicks(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
  } catch {
    return 100
  }
}

/** utime + stime of a process in milliseconds; undefined once it is gone. */
async function processCpuMs(pid: number): Promise<number | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined)
  if (stat === undefined) return undefined
  // Fields after the command name (which may hold spaces), from field 3 (state): utime is 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND) * 1000
}

interface DatabaseCounters {
  transactions: number
  rowsWritten: number
  lsn: string
}

async function databaseCounters(pool: pg.Pool): Promise<DatabaseCounters> {
  const { rows } = await pool.query<{ transactions: string; rows_written: string; lsn: string }>(
    `select xact_commit + xact_rollback as transactions, tup_inserted + tup_updated + tup_deleted as rows_written, pg_current_wal_lsn()::text as lsn
     from pg_stat_database where datname = current_database()`,
  )
  return { transactions: Number(rows[0].transactions), rowsWritten: Number(rows[0].rows_written), lsn: rows[0].lsn }
}

/**
 * Measures a run: `start` before the queued executions are released, `sample` while they run,
 * `sample` once more when the last one finished (before the workers stop), then `finish` after
 * the workers have exited. `pool` is the measuring process's own pool on the measured database.
 */
export class CostMeter {
  /** CPU at the start of each process measured, and the last reading. */
  private readonly workers = new Map<number, { first: number; last: number }>()
  private readonly server = new Map<number, { first: number; last: number }>()

  private constructor(
    private readonly pool: pg.Pool,
    private readonly before: DatabaseCounters,
  ) {}

  static async start(pool: pg.Pool, workerPids: number[]): Promise<CostMeter> {
    await pool.query('select pg_stat_clear_snapshot()')
    const meter = new CostMeter(pool, await databaseCounters(pool))
    for (const pid of workerPids) {
      const cpu = await processCpuMs(pid)
      if (cpu !== undefined) meter.workers.set(pid, { first: cpu, last: cpu })
    }
    await meter.sampleServer(true)
    return meter
  }

  async sample(): Promise<void> {
    for (const [pid, reading] of this.workers) reading.last = (await processCpuMs(pid)) ?? reading.last
    await this.sampleServer(false)
  }

  /** A backend first seen after the start started within the run: all its CPU counts. */
  private async sampleServer(atStart: boolean): Promise<void> {
    const { rows } = await this.pool.query<{ pid: number }>(`select pid from pg_stat_activity where datname = current_database() or backend_type = any($1::text[])`, [SERVER_PROCESSES])
    for (const { pid } of rows) {
      const cpu = await processCpuMs(pid)
      if (cpu === undefined) continue
      const reading = this.server.get(pid)
      if (reading) reading.last = cpu
      else this.server.set(pid, { first: atStart ? cpu : 0, last: cpu })
    }
  }

  /** After the workers exited: waits until their backends have gone (and reported their counts). */
  async finish(): Promise<RunCost> {
    const deadline = Date.now() + 10_000
    for (;;) {
      const { rows } = await this.pool.query<{ backends: number }>(`select count(*)::int as backends from pg_stat_activity where datname = current_database() and backend_type = 'client backend'`)
      if (rows[0].backends <= this.pool.totalCount || Date.now() > deadline) break
      await new Promise((r) => setTimeout(r, 50))
    }
    await this.pool.query('select pg_stat_clear_snapshot()')
    const after = await databaseCounters(this.pool)
    const { rows } = await this.pool.query<{ bytes: string }>('select pg_wal_lsn_diff($1::pg_lsn, $2::pg_lsn) as bytes', [after.lsn, this.before.lsn])
    const spent = (readings: Map<number, { first: number; last: number }>) => [...readings.values()].reduce((sum, r) => sum + r.last - r.first, 0)
    return {
      workerCpuMs: spent(this.workers),
      databaseCpuMs: spent(this.server),
      transactions: after.transactions - this.before.transactions,
      rowsWritten: after.rowsWritten - this.before.rowsWritten,
      walBytes: Number(rows[0].bytes),
    }
  }
}
