import { Logger, run, type Runner, type TaskList } from 'graphile-worker'
import type pg from 'pg'
import type { Queryable } from '../store/database.ts'

export const TASKS = { runExecution: 'run-execution', authorizationFollowUp: 'authorization-follow-up', deliverWebhooks: 'deliver-webhooks' } as const
export type TaskName = (typeof TASKS)[keyof typeof TASKS]

/**
 * Queues a job in the caller's transaction, so the job exists exactly when the change that needs
 * it committed. `jobKey` de-duplicates: one pending job per key.
 */
export async function enqueue(
  db: Queryable,
  task: TaskName,
  payload: Record<string, unknown>,
  options: { runAt?: Date; jobKey?: string } = {},
): Promise<void> {
  await db.query(`select graphile_worker.add_job($1, $2::json, run_at := $3, job_key := $4, max_attempts := 5)`, [
    task,
    JSON.stringify(payload),
    options.runAt ?? null,
    options.jobKey ?? null,
  ])
}

/** Starts graphile-worker on the shared pool; the queue only wakes workers, the engine's tables decide. */
export function startQueueWorker(options: {
  pool: pg.Pool
  tasks: TaskList
  concurrency: number
  pollIntervalMs: number
  preparedStatements: boolean
  log: (level: string, message: string) => void
}): Promise<Runner> {
  return run({
    pgPool: options.pool,
    taskList: options.tasks,
    concurrency: options.concurrency,
    pollInterval: options.pollIntervalMs,
    noHandleSignals: true,
    noPreparedStatements: !options.preparedStatements,
    crontab: '',
    // Fetch jobs for the whole process at once instead of one poll per worker slot: jobs fetched
    // together are claimed together (ClaimWriter). A worker that dies holding fetched jobs has
    // them queued again by the orphan sweep (requeueUnclaimedExecutions).
    preset: { worker: { localQueue: { size: Math.min(options.concurrency + 1, 1000) } } },
    logger: new Logger(() => (level, message) => options.log(level, message)),
  })
}
