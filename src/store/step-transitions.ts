import type { LifecycleState } from '../domain/lifecycle.ts'
import type { ExecutionStatus, Product } from '../domain/statuses.ts'
import type { Queryable } from './database.ts'
import { outboxRows, outboxStatements, outboxWake, type NewEvent } from './events.ts'
import { appendedSteps, takeoverAttempt, timelineEntries, type ExecutionRow, type StatusReached } from './executions.ts'
import type { StatusDetail } from '../domain/status-detail.ts'

export interface StepTransition {
  itemId: string
  executionId: string
  /**
   * The claim (executions.attempt) the writer holds: a worker whose execution was taken over by
   * another cannot write anything (a fencing token). Null for writers that hold no claim (the API).
   */
  attempt: number | null
  /** The execution status the engine expects the item to have: the guard. */
  expected: ExecutionStatus
  /** The state after the last status reached. */
  state: LifecycleState
  /**
   * The statuses reached since `expected`, in order: one, or several when the execution moved on
   * while its previous step was being written.
   */
  reached: StatusReached[]
  /** The events of every status reached. */
  events: NewEvent[]
  /** Products collected before these statuses, kept durably for a worker that may take over (see ConnectorDefinition.checkpoints). */
  checkpoints?: { product: string; data: unknown }[]
}

/**
 * The SQL condition that the change `c` comes from the claim that holds its execution (or from no
 * claim). A scalar subquery, looked up by id for each change: the planner may turn an `exists`
 * under `or` into a hash of every execution's attempt, read from the whole table at each step.
 */
function claimHeld(c: string): string {
  return `(${c}.attempt is null or ${c}.attempt = (select held.attempt from executions held where held.id = ${c}.execution_id))`
}

/**
 * Saves steps of running executions — each item's new state, its execution's timeline entry and
 * the events the step emits — in one statement, each change guarded on the status the engine
 * expects (the item not deleted, the execution not taken over). One statement is its own
 * transaction: no other session waits on a transaction held open across round trips (on the
 * embedded database every connection shares one session), and many executions' steps share one
 * round trip. Changes must be of distinct items. Returns the executions whose change was saved.
 *
 * The items are found by their ids ($3) as well as joined to the changes: the planner counts 100
 * rows for a recordset, and against that a table of a few thousand items reads cheaper whole —
 * every item at every step — and a prepared statement keeps that plan as the table grows.
 */
export async function saveStepTransitions(db: Queryable, changes: StepTransition[]): Promise<Set<string>> {
  const { rows } = await db.query<{ executionId: string }>(
    `with change as (
       select * from jsonb_to_recordset($1::jsonb) as c(
         item_id uuid, execution_id uuid, attempt integer, expected text, status text, execution_status text, error jsonb, parameter jsonb,
         user_action jsonb, consecutive_failed_login_attempts integer, first_at text, at text, timeline jsonb)
     ), item as (
       update items i set status = c.status, execution_status = c.execution_status, error = c.error, parameter = c.parameter,
         user_action = c.user_action, consecutive_failed_login_attempts = c.consecutive_failed_login_attempts, updated_at = c.at::timestamptz
       from change c
       where i.id = any($3::uuid[]) and i.id = c.item_id and i.current_execution_id = c.execution_id and i.execution_status = c.expected
         and ${claimHeld('c')}
       returning i.id as item_id, c.execution_id, c.execution_status, c.first_at, c.timeline
     ), execution as (
       update executions set status = item.execution_status, steps = ${appendedSteps('item.first_at', 'item.timeline')}
       from item
       where executions.id = item.execution_id
       returning executions.id
     ), checkpoint as (
       insert into execution_checkpoints (execution_id, product, data)
       select k.execution_id, k.product, k.data from jsonb_to_recordset($6::jsonb) as k(execution_id uuid, product text, data jsonb)
       where k.execution_id in (select execution_id from item)
       on conflict (execution_id, product) do update set data = excluded.data
     ), ${outboxStatements({ events: '$2', wakeTask: '$4', wakeKey: '$5' }, 'e.item_id in (select item_id from item)')}
     select execution_id as "executionId" from item where execution_id in (select id from execution)
     union all
     select null from wake_delivery`,
    [
      JSON.stringify(
        changes.map(({ itemId, executionId, attempt, expected, state, reached }) => ({
          item_id: itemId,
          execution_id: executionId,
          attempt,
          expected,
          status: state.status,
          execution_status: state.executionStatus,
          error: state.error,
          parameter: state.parameter,
          user_action: state.userAction,
          consecutive_failed_login_attempts: state.consecutiveFailedLoginAttempts,
          first_at: reached[0].at.toISOString(),
          at: reached[reached.length - 1].at.toISOString(),
          timeline: timelineEntries(reached, false),
        })),
      ),
      outboxRows(changes.flatMap((c) => c.events)),
      changes.map((c) => c.itemId),
      ...outboxWake,
      JSON.stringify(changes.flatMap((c) => (c.checkpoints ?? []).map((k) => ({ execution_id: c.executionId, product: k.product, data: k.data })))),
    ],
  )
  return new Set(rows.filter((r) => r.executionId !== null).map((r) => r.executionId))
}

/** The final transition of an execution and everything its outcome changes. */
export interface FinalTransition {
  itemId: string
  executionId: string
  /** The claim the writer holds (see StepTransition.attempt). */
  attempt: number | null
  /** The execution status the engine expects the item to have: the guard. */
  expected: ExecutionStatus
  state: LifecycleState
  /** When the execution ended. */
  at: Date
  /** The statuses reached since `expected` before the final one (not yet saved as steps), in order. */
  reached: StatusReached[]
  statusDetail: StatusDetail | null
  lastUpdatedAt: Date | null
  consecutiveFailedExecutions: number
  rejectedCredentialsHash: string | null
  lastLoginErrorAt: Date | null
  deviceTrusted: boolean
  authPendingSince: Date | null
  authPendingExecutions: number
  followUpAt: Date | null
  nextAutoSyncAt: Date | null
  failedProducts: Product[]
  warnings: ExecutionRow['warnings']
  events: NewEvent[]
  /** The execution kept checkpoints: they go with its end. */
  dropCheckpoints?: boolean
}

/**
 * Saves final transitions of executions in one statement, each guarded like a step: the item
 * with everything the outcome changes, the execution closed (its timeline, error, failed
 * products and warnings), and the events. Returns the executions whose transition was saved. A
 * successful merge runs after it, in the same transaction, so that nothing is merged for an
 * execution that no longer runs. Transitions must be of distinct items. Items are found by
 * their ids, as in {@link saveStepTransitions}.
 */
export async function saveFinalTransitions(db: Queryable, finishes: readonly FinalTransition[]): Promise<Set<string>> {
  const { rows } = await db.query<{ executionId: string | null }>(
    `with change as (
       select * from jsonb_to_recordset($1::jsonb) as c(
         item_id uuid, execution_id uuid, attempt integer, expected text, status text, execution_status text, error jsonb, user_action jsonb,
         consecutive_failed_login_attempts integer, first_at text, at text, timeline jsonb, status_detail jsonb, last_updated_at timestamptz,
         consecutive_failed_executions integer, rejected_credentials_hash text, last_login_error_at timestamptz,
         device_trusted boolean, auth_pending_since timestamptz, auth_pending_executions integer, follow_up_at timestamptz,
         next_auto_sync_at timestamptz, failed_products text[], warnings jsonb)
     ), item as (
       update items i set status = c.status, execution_status = c.execution_status, error = c.error, parameter = null,
         user_action = c.user_action, consecutive_failed_login_attempts = c.consecutive_failed_login_attempts,
         updated_at = c.at::timestamptz, status_detail = c.status_detail, last_updated_at = c.last_updated_at,
         consecutive_failed_executions = c.consecutive_failed_executions, rejected_credentials_hash = c.rejected_credentials_hash,
         last_login_error_at = c.last_login_error_at, device_trusted = c.device_trusted, auth_pending_since = c.auth_pending_since,
         auth_pending_executions = c.auth_pending_executions, follow_up_at = c.follow_up_at,
         -- auto-sync may have been disabled while the execution ran
         next_auto_sync_at = case when i.auto_sync_disabled then null else c.next_auto_sync_at end
       from change c
       where i.id = any($3::uuid[]) and i.id = c.item_id and i.current_execution_id = c.execution_id and i.execution_status = c.expected
         and ${claimHeld('c')}
       returning i.id as item_id, c.execution_id, c.execution_status, c.first_at, c.at, c.timeline, c.error, c.failed_products, c.warnings
     ), execution as (
       update executions set status = item.execution_status, steps = ${appendedSteps('item.first_at', 'item.timeline')},
         error = coalesce(item.error, executions.error), failed_products = item.failed_products, warnings = item.warnings,
         finished_at = item.at::timestamptz, mfa_value_enc = null
       from item
       where executions.id = item.execution_id
     ), dropped_checkpoints as (
       delete from execution_checkpoints where execution_id = any($6::uuid[]) and execution_id in (select execution_id from item)
     ), ${outboxStatements({ events: '$2', wakeTask: '$4', wakeKey: '$5' }, 'e.item_id in (select item_id from item)')}
     select execution_id as "executionId" from item
     union all
     select null from wake_delivery`,
    [
      JSON.stringify(
        finishes.map((f) => ({
          item_id: f.itemId,
          execution_id: f.executionId,
          attempt: f.attempt,
          expected: f.expected,
          status: f.state.status,
          execution_status: f.state.executionStatus,
          error: f.state.error,
          user_action: f.state.userAction,
          consecutive_failed_login_attempts: f.state.consecutiveFailedLoginAttempts,
          first_at: (f.reached[0]?.at ?? f.at).toISOString(),
          at: f.at.toISOString(),
          timeline: timelineEntries([...f.reached, { status: f.state.executionStatus, at: f.at, attempt: takeoverAttempt(f.attempt) }], true),
          status_detail: f.statusDetail,
          last_updated_at: f.lastUpdatedAt,
          consecutive_failed_executions: f.consecutiveFailedExecutions,
          rejected_credentials_hash: f.rejectedCredentialsHash,
          last_login_error_at: f.lastLoginErrorAt,
          device_trusted: f.deviceTrusted,
          auth_pending_since: f.authPendingSince,
          auth_pending_executions: f.authPendingExecutions,
          follow_up_at: f.followUpAt,
          next_auto_sync_at: f.nextAutoSyncAt,
          failed_products: f.failedProducts,
          warnings: f.warnings,
        })),
      ),
      outboxRows(finishes.flatMap((f) => f.events)),
      finishes.map((f) => f.itemId),
      ...outboxWake,
      finishes.filter((f) => f.dropCheckpoints).map((f) => f.executionId),
    ],
  )
  return new Set(rows.flatMap((r) => (r.executionId === null ? [] : [r.executionId])))
}
