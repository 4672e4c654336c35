import type { ForcedOutcome, ItemControl, TransactionEdit } from '../domain/sandbox-control.ts'
import type { Queryable } from './database.ts'

/** An item's sandbox control as the API shows it. */
export interface SandboxControlRow extends ItemControl {
  itemId: string
  outcomeSetAt: Date | null
  loginResetAt: Date | null
}

const COLUMNS = `item_id as "itemId", outcome, outcome_once as "once", outcome_taken_by as "takenBy",
  outcome_set_at as "outcomeSetAt", login_reset_for as "loginResetFor", login_reset_at as "loginResetAt"`

/** Sets (or replaces) the item's forced outcome; a replaced `once` outcome is not taken yet. */
export async function saveForcedOutcome(
  db: Queryable,
  control: { itemId: string; clientId: string; outcome: ForcedOutcome; once: boolean; at: Date },
): Promise<SandboxControlRow> {
  const { rows } = await db.query<SandboxControlRow>(
    `insert into sandbox_item_controls (item_id, client_id, outcome, outcome_once, outcome_taken_by, outcome_set_at)
     values ($1, $2, $3, $4, null, $5)
     on conflict (item_id) do update set outcome = excluded.outcome, outcome_once = excluded.outcome_once,
       outcome_taken_by = null, outcome_set_at = excluded.outcome_set_at
       where sandbox_item_controls.client_id = excluded.client_id
     returning ${COLUMNS}`,
    [control.itemId, control.clientId, JSON.stringify(control.outcome), control.once, control.at],
  )
  return rows[0]
}

/** Resets the item's login for the credentials it holds now (their ciphertext's fingerprint). */
export async function saveLoginReset(db: Queryable, control: { itemId: string; clientId: string; credentialsFingerprint: string; at: Date }): Promise<SandboxControlRow> {
  const { rows } = await db.query<SandboxControlRow>(
    `insert into sandbox_item_controls (item_id, client_id, login_reset_for, login_reset_at)
     values ($1, $2, $3, $4)
     on conflict (item_id) do update set login_reset_for = excluded.login_reset_for, login_reset_at = excluded.login_reset_at
       where sandbox_item_controls.client_id = excluded.client_id
     returning ${COLUMNS}`,
    [control.itemId, control.clientId, control.credentialsFingerprint, control.at],
  )
  return rows[0]
}

/** A client's item's control, if any was ever set. */
export async function findSandboxControl(db: Queryable, clientId: string, itemId: string): Promise<SandboxControlRow | undefined> {
  const { rows } = await db.query<SandboxControlRow>(`select ${COLUMNS} from sandbox_item_controls where item_id = $1 and client_id = $2`, [itemId, clientId])
  return rows[0]
}

/** Clears the item's forced outcome; true when there was one. */
export async function clearForcedOutcome(db: Queryable, clientId: string, itemId: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `update sandbox_item_controls set outcome = null, outcome_taken_by = null, outcome_set_at = null
     where item_id = $1 and client_id = $2 and outcome is not null`,
    [itemId, clientId],
  )
  return (rowCount ?? 0) > 0
}

/**
 * For the engine, when an execution starts: the item's control, with a `once` outcome nobody took
 * yet taken by this execution (a run that takes the execution over finds it taken by the same
 * one), and the item's transaction edits, oldest first.
 */
export async function takeSandboxControl(
  db: Queryable,
  itemId: string,
  executionId: string,
): Promise<{ control: SandboxControlRow | undefined; transactionEdits: TransactionEdit[] }> {
  const { rows } = await db.query<{ control: (Omit<SandboxControlRow, 'outcomeSetAt' | 'loginResetAt'> & { outcomeSetAt: string | null; loginResetAt: string | null }) | null; transactionEdits: TransactionEdit[] }>(
    `with taken as (
       update sandbox_item_controls
       set outcome_taken_by = case when outcome is not null and outcome_once then coalesce(outcome_taken_by, $2::uuid) else outcome_taken_by end
       where item_id = $1
       returning ${COLUMNS}
     )
     select (select row_to_json(taken) from taken) as control,
       coalesce((select jsonb_agg(e.edit order by e.seq) from sandbox_transaction_edits e where e.item_id = $1), '[]'::jsonb) as "transactionEdits"`,
    [itemId, executionId],
  )
  const { control, transactionEdits } = rows[0]
  return {
    control: control
      ? { ...control, outcomeSetAt: control.outcomeSetAt ? new Date(control.outcomeSetAt) : null, loginResetAt: control.loginResetAt ? new Date(control.loginResetAt) : null }
      : undefined,
    transactionEdits,
  }
}

/** Records what happened to one of the item's transactions at the institution. */
export async function insertTransactionEdit(db: Queryable, row: { id: string; itemId: string; clientId: string; edit: TransactionEdit; at: Date }): Promise<void> {
  await db.query(`insert into sandbox_transaction_edits (id, item_id, client_id, edit, created_at) values ($1, $2, $3, $4, $5)`, [
    row.id,
    row.itemId,
    row.clientId,
    JSON.stringify(row.edit),
    row.at,
  ])
}

/** A client's item's transaction edits, oldest first. */
export async function listTransactionEdits(db: Queryable, clientId: string, itemId: string): Promise<{ id: string; edit: TransactionEdit; createdAt: Date }[]> {
  const { rows } = await db.query<{ id: string; edit: TransactionEdit; createdAt: Date }>(
    `select id, edit, created_at as "createdAt" from sandbox_transaction_edits where item_id = $1 and client_id = $2 order by seq`,
    [itemId, clientId],
  )
  return rows
}
