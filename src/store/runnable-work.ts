import type { Queryable } from './database.ts'

/** What an engine still has to do now: a test fixture waits until all three are 0. */
export interface RunnableWork {
  /** Unfinished executions not waiting for the user (running, or about to be claimed). */
  executions: number
  /** Queue jobs other than executions' (those count as executions) with attempts left, taken or not. */
  jobs: number
  /**
   * Webhook deliveries the sender can make at `at`: due, and first of their item and URL (a later
   * one waits for the earlier, which may be waiting for a retry the clock has not reached).
   */
  deliveries: number
}

/**
 * Counts the work still to do at `at`; executions in a `waitingStatuses` status wait for the user.
 * An execution's job is left out: its job stays taken while the execution waits for the user.
 */
export async function countRunnableWork(db: Queryable, at: Date, waitingStatuses: readonly string[], executionTask: string): Promise<RunnableWork> {
  const { rows } = await db.query<RunnableWork>(
    `select (select count(*) from executions where finished_at is null and status <> all($2::text[]))::int as executions,
            (select count(*) from graphile_worker.jobs where task_identifier <> $3 and attempts < max_attempts)::int as jobs,
            (select count(*) from (
               select distinct on (item_id, url) next_attempt_at from webhook_deliveries
               where status = 'PENDING' order by item_id, url, event_seq
             ) heads where next_attempt_at <= $1)::int as deliveries`,
    [at, waitingStatuses, executionTask],
  )
  return rows[0]
}
