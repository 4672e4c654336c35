import type { LifecycleState } from '../domain/lifecycle.ts'
import type { ExecutionStatus, Product } from '../domain/statuses.ts'
import type { Queryable } from './database.ts'
import { outboxRows, outboxStatements, type NewEvent } from './events.ts'
import { appendedStep, type ExecutionRow } from './executions.ts'
import type { StatusDetail } from './items.ts'

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

/** The final transition of an execution and everything its outcome changes. */
export interface FinalTransition {
  itemId: string
  executionId: string
  /** The execution status the engine expects the item to have: the guard. */
  expected: ExecutionStatus
  state: LifecycleState
  at: Date
  statusDetail: StatusDetail | null
  lastUpdatedAt: Date | null
  consecutiveFailedExecutions: number
  rejectedCredentialsHash: string | null
  lastLoginErrorAt: Date | null
  deviceTrusted: boolean
  authPendingSince: Date | null
  authPendingExecutions: number
  nextAutoSyncAt: Date | null
  failedProducts: Product[]
  warnings: ExecutionRow['warnings']
  events: NewEvent[]
}

/**
 * Saves the final transition of an execution in one statement, guarded like a step: the item with
 * everything the outcome changes, the execution closed (its timeline, error, failed products and
 * warnings), and the events. Returns false when the guard failed. A successful merge runs after
 * it, in the same transaction, so that nothing is merged for an execution that no longer runs.
 */
export async function saveFinalTransition(db: Queryable, finish: FinalTransition): Promise<boolean> {
  const { rows } = await db.query<{ saved: boolean }>(
    `with item as (
       update items set status = $4, execution_status = $5, error = $6, parameter = null, user_action = $7,
         consecutive_failed_login_attempts = $8, updated_at = $9::text::timestamptz, status_detail = $10, last_updated_at = $11,
         consecutive_failed_executions = $12, rejected_credentials_hash = $13, last_login_error_at = $14,
         device_trusted = $15, auth_pending_since = $16, auth_pending_executions = $17,
         next_auto_sync_at = case when auto_sync_disabled then null else $18::timestamptz end
       where id = $1 and current_execution_id = $2 and execution_status = $3
       returning id
     ), execution as (
       update executions set status = $5, steps = ${appendedStep('$5', '$9', 'true')},
         error = coalesce($6, error), failed_products = $19, warnings = $20, finished_at = $9::text::timestamptz, mfa_value_enc = null
       where id = $2 and exists (select 1 from item)
     ), ${outboxStatements('$21', 'exists (select 1 from item)')}
     select exists (select 1 from item) as saved, (select count(*) from wake_delivery) as woken`,
    [
      finish.itemId, finish.executionId, finish.expected, finish.state.status, finish.state.executionStatus,
      finish.state.error, finish.state.userAction, finish.state.consecutiveFailedLoginAttempts, finish.at.toISOString(),
      finish.statusDetail, finish.lastUpdatedAt, finish.consecutiveFailedExecutions, finish.rejectedCredentialsHash,
      finish.lastLoginErrorAt, finish.deviceTrusted, finish.authPendingSince, finish.authPendingExecutions,
      finish.nextAutoSyncAt, finish.failedProducts, JSON.stringify(finish.warnings), outboxRows(finish.events),
    ],
  )
  return rows[0].saved
}
