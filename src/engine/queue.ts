import { Logger, run, type Runner, type TaskList } from 'graphile-worker'
import type pg from 'pg'

export { TASKS } from '../store/queue.ts'

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
