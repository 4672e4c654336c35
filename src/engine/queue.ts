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
    //
    // Completed jobs are deleted together: those that complete before the event loop's next timers
    // in one statement, not one each — a round trip and a transaction fewer per execution. A worker
    // killed before the batch is written leaves its finished jobs locked until graphile-worker's
    // lock expires; run again then, a job finds its execution finished and does nothing.
    preset: { worker: { localQueue: { size: Math.min(options.concurrency + 1, 1000) }, completeJobBatchDelay: 0 } },
    logger: new Logger(() => (level, message) => options.log(level, message)),
  })
}
