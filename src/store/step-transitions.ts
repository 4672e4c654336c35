import type { LifecycleState } from '../domain/lifecycle.ts'
import type { ExecutionStatus } from '../domain/statuses.ts'
import type { Queryable } from './database.ts'
import { outboxRows, outboxStatements, type NewEvent } from './events.ts'
import { appendedStep } from './executions.ts'

export interface StepTransition {
  itemId: string
  executionId: string
  /** The execution status the engine expects the item to have: the guard. */
  expected: ExecutionStatus
  state: LifecycleState
  at: Date
  events: NewEvent[]
}

/**
 * Saves steps of running executions — each item's new state, its execution's timeline entry and
 * the events the step emits — in one statement, each change guarded on the status the engine
 * expects (the item not deleted, the execution not taken over). One statement is its own
 * transaction: no other session waits on a transaction held open across round trips (on the
 * embedded database every connection shares one session), and many executions' steps share one
 * round trip. Changes must be of distinct items. Returns the executions whose change was saved.
 */
export async function saveStepTransitions(db: Queryable, changes: StepTransition[]): Promise<Set<string>> {
  const { rows } = await db.query<{ executionId: string }>(
    `with change as (
       select * from jsonb_to_recordset($1::jsonb) as c(
         item_id uuid, execution_id uuid, expected text, status text, execution_status text, error jsonb, parameter jsonb,
         user_action jsonb, consecutive_failed_login_attempts integer, at text)
     ), item as (
       update items i set status = c.status, execution_status = c.execution_status, error = c.error, parameter = c.parameter,
         user_action = c.user_action, consecutive_failed_login_attempts = c.consecutive_failed_login_attempts, updated_at = c.at::timestamptz
       from change c
       where i.id = c.item_id and i.current_execution_id = c.execution_id and i.execution_status = c.expected
       returning i.id as item_id, c.execution_id, c.execution_status, c.at
     ), execution as (
       update executions set status = item.execution_status, steps = ${appendedStep('item.execution_status', 'item.at', 'false')}
       from item
       where executions.id = item.execution_id
       returning executions.id
     ), ${outboxStatements('$2', 'e.item_id in (select item_id from item)')}
     select execution_id as "executionId" from item where execution_id in (select id from execution)
     union all
     select null from wake_delivery`,
    [
      JSON.stringify(
        changes.map(({ itemId, executionId, expected, state, at }) => ({
          item_id: itemId,
          execution_id: executionId,
          expected,
          status: state.status,
          execution_status: state.executionStatus,
          error: state.error,
          parameter: state.parameter,
          user_action: state.userAction,
          consecutive_failed_login_attempts: state.consecutiveFailedLoginAttempts,
          at: at.toISOString(),
        })),
      ),
      outboxRows(changes.flatMap((c) => c.events)),
    ],
  )
  return new Set(rows.filter((r) => r.executionId !== null).map((r) => r.executionId))
}
