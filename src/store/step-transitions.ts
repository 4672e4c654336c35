import type { LifecycleState } from '../domain/lifecycle.ts'
import type { ExecutionStatus } from '../domain/statuses.ts'
import type { Queryable } from './database.ts'
import { outboxRows, outboxStatements, type NewEvent } from './events.ts'
import { appendedStep } from './executions.ts'

/**
 * Saves a step of a running execution — the item's new state, the execution's timeline entry and
 * the events it emits — in one statement, guarded on the status the engine expects (the item not
 * deleted, the execution not taken over). One statement is its own transaction: no other
 * session waits on a transaction held open across round trips, which on the embedded database
 * (one session for every connection) is what bounds throughput. Returns false when the guard failed.
 */
export async function saveStepTransition(
  db: Queryable,
  change: { itemId: string; executionId: string; expected: ExecutionStatus; state: LifecycleState; at: Date; events: NewEvent[] },
): Promise<boolean> {
  const { state } = change
  const { rows } = await db.query<{ saved: boolean }>(
    `with item as (
       update items set status = $4, execution_status = $5, error = $6, parameter = $7, user_action = $8,
         consecutive_failed_login_attempts = $9, updated_at = $10
       where id = $1 and current_execution_id = $2 and execution_status = $3
       returning id
     ), execution as (
       update executions set status = $5, steps = ${appendedStep('$5', '$11', 'false')}
       where id = $2 and exists (select 1 from item)
       returning id
     ), ${outboxStatements('$12', 'exists (select 1 from item)')}
     select exists (select 1 from item) and exists (select 1 from execution) as saved, (select count(*) from wake_delivery) as woke`,
    [
      change.itemId, change.executionId, change.expected, state.status, state.executionStatus, state.error, state.parameter,
      state.userAction, state.consecutiveFailedLoginAttempts, change.at, change.at.toISOString(), outboxRows(change.events),
    ],
  )
  return rows[0].saved
}
