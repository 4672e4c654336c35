import type { ClockAdvance, ForcedOutcome, ItemControl, Outage, OutageMode, TransactionEdit } from '../domain/sandbox-control.ts'
import type { CustomSandboxUser } from '../domain/sandbox-user-document.ts'
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
export async function saveForcedOutcome(db: Queryable, control: { itemId: string; clientId: string; outcome: ForcedOutcome; once: boolean; at: Date }): Promise<SandboxControlRow> {
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

/** One execution's ask for its item's sandbox instructions. */
export interface SandboxControlRequest {
  itemId: string
  executionId: string
  /** The item's user name: the client's custom sandbox user of that name comes with it. */
  userName: string
}

/** What the sandbox control API left for one execution's item. */
export interface SandboxControlTaken {
  control: SandboxControlRow | undefined
  transactionEdits: TransactionEdit[]
  clockAdvances: ClockAdvance[]
  outage: Outage | null
  customUser: CustomSandboxUser | null
}

/**
 * For each starting execution, in one statement: its item's control, a `once` outcome nobody took
 * yet now taken by this execution (a run that takes the execution over finds it taken by the
 * same one), the item's transaction edits and its client's sandbox clock advances, oldest first,
 * its institution's outage and the client's custom sandbox user of the item's user name. The
 * answers are in the requests' order. Each request finds its item by id, one index lookup each (a
 * join would let the planner read all of `items` against its guess of 100 requests).
 */
export async function takeSandboxControls(db: Queryable, requests: readonly SandboxControlRequest[]): Promise<SandboxControlTaken[]> {
  type ControlJson = Omit<SandboxControlRow, 'outcomeSetAt' | 'loginResetAt'> & { outcomeSetAt: string | null; loginResetAt: string | null }
  const { rows } = await db.query<Omit<SandboxControlTaken, 'control'> & { control: ControlJson | null }>(
    `with request as (
       select * from unnest($1::uuid[], $2::uuid[], $3::text[]) with ordinality as r(request_item_id, request_execution_id, request_user_name, ord)
     ), taken as (
       update sandbox_item_controls
       set outcome_taken_by = case when outcome is not null and outcome_once then coalesce(outcome_taken_by, r.request_execution_id) else outcome_taken_by end
       from request r
       where item_id = any($1::uuid[]) and item_id = r.request_item_id
       returning ${COLUMNS}
     )
     select (select row_to_json(t) from taken t where t."itemId" = r.request_item_id limit 1) as control,
       coalesce((select jsonb_agg(e.edit order by e.seq) from sandbox_transaction_edits e where e.item_id = r.request_item_id), '[]'::jsonb) as "transactionEdits",
       coalesce((select jsonb_agg(jsonb_build_object('at', a.at, 'seconds', a.seconds) order by a.seq) from sandbox_clock_advances a
                 where a.client_id = i.client_id), '[]'::jsonb) as "clockAdvances",
       (select jsonb_build_object('mode', o.mode, 'delayMs', o.delay_ms) from sandbox_outages o
        where o.client_id = i.client_id and o.connector_id = i.connector_id) as outage,
       (select u.document from sandbox_users u where u.client_id = i.client_id and u.name = r.request_user_name) as "customUser"
     from request r
     left join lateral (select items.client_id, items.connector_id from items where items.id = r.request_item_id limit 1) i on true
     order by r.ord`,
    [requests.map((r) => r.itemId), requests.map((r) => r.executionId), requests.map((r) => r.userName)],
  )
  return rows.map(({ control, transactionEdits, clockAdvances, outage, customUser }) => ({
    control: control
      ? { ...control, outcomeSetAt: control.outcomeSetAt ? new Date(control.outcomeSetAt) : null, loginResetAt: control.loginResetAt ? new Date(control.loginResetAt) : null }
      : undefined,
    transactionEdits,
    clockAdvances,
    outage,
    customUser,
  }))
}

/**
 * Moves a client's sandbox clock `seconds` forward at `at`: records the advance and makes what was
 * due within that time for its items of sandbox connectors due that much earlier — auto-syncs,
 * device-authorization follow-ups and deadlines, MFA expiries. Returns how many items it moved.
 */
export async function advanceSandboxClock(db: Queryable, advance: { clientId: string; connectorIds: number[]; seconds: number; at: Date }): Promise<number> {
  const { rows } = await db.query<{ moved: number }>(
    `with recorded as (
       insert into sandbox_clock_advances (client_id, at, seconds) values ($1, $4, $3::bigint)
     ), moved as (
       update items set
         next_auto_sync_at = next_auto_sync_at - make_interval(secs => $3::bigint),
         follow_up_at = follow_up_at - make_interval(secs => $3::bigint),
         auth_pending_since = auth_pending_since - make_interval(secs => $3::bigint),
         parameter = case when parameter ? 'expiresAt'
           then jsonb_set(parameter, '{expiresAt}', to_jsonb(to_char(((parameter->>'expiresAt')::timestamptz - make_interval(secs => $3::bigint)) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
           else parameter end
       where client_id = $1 and connector_id = any($2::int[])
         and (next_auto_sync_at is not null or follow_up_at is not null or auth_pending_since is not null or parameter is not null)
       returning 1
     )
     select count(*)::int as moved from moved`,
    [advance.clientId, advance.connectorIds, advance.seconds, advance.at],
  )
  return rows[0].moved
}

/** Records what happened to one of the item's transactions at the institution. */
export async function insertTransactionEdit(db: Queryable, row: { id: string; itemId: string; clientId: string; edit: TransactionEdit; at: Date }): Promise<void> {
  await db.query(`insert into sandbox_transaction_edits (id, item_id, client_id, edit, created_at) values ($1, $2, $3, $4, $5)`, [row.id, row.itemId, row.clientId, JSON.stringify(row.edit), row.at])
}

/** A client's item's transaction edits, oldest first. */
export async function listTransactionEdits(db: Queryable, clientId: string, itemId: string): Promise<{ id: string; edit: TransactionEdit; createdAt: Date }[]> {
  const { rows } = await db.query<{ id: string; edit: TransactionEdit; createdAt: Date }>(
    `select id, edit, created_at as "createdAt" from sandbox_transaction_edits where item_id = $1 and client_id = $2 order by seq`,
    [itemId, clientId],
  )
  return rows
}

/** A client's sandbox clock advances, oldest first. */
export async function findClockAdvances(db: Queryable, clientId: string): Promise<ClockAdvance[]> {
  const { rows } = await db.query<{ at: Date; seconds: string }>(`select at, seconds from sandbox_clock_advances where client_id = $1 order by seq`, [clientId])
  return rows.map((row) => ({ at: row.at.toISOString(), seconds: Number(row.seconds) }))
}

/** A client's outage of a sandbox institution as stored. */
export interface OutageRow {
  connectorId: number
  mode: OutageMode
  delayMs: number
  createdAt: Date
}

/** Puts (or keeps, with a new mode) a sandbox institution in an outage for the client's items. */
export async function saveOutage(db: Queryable, outage: { clientId: string; connectorId: number; mode: OutageMode; delayMs: number; at: Date }): Promise<OutageRow> {
  const { rows } = await db.query<OutageRow>(
    `insert into sandbox_outages (client_id, connector_id, mode, delay_ms, created_at) values ($1, $2, $3, $4, $5)
     on conflict (client_id, connector_id) do update set mode = excluded.mode, delay_ms = excluded.delay_ms, created_at = excluded.created_at
     returning connector_id as "connectorId", mode, delay_ms as "delayMs", created_at as "createdAt"`,
    [outage.clientId, outage.connectorId, outage.mode, outage.delayMs, outage.at],
  )
  return rows[0]
}

export async function findOutage(db: Queryable, clientId: string, connectorId: number): Promise<OutageRow | undefined> {
  const { rows } = await db.query<OutageRow>(
    `select connector_id as "connectorId", mode, delay_ms as "delayMs", created_at as "createdAt" from sandbox_outages where client_id = $1 and connector_id = $2`,
    [clientId, connectorId],
  )
  return rows[0]
}

/** Ends the outage; true when there was one. */
export async function deleteOutage(db: Queryable, clientId: string, connectorId: number): Promise<boolean> {
  const { rowCount } = await db.query(`delete from sandbox_outages where client_id = $1 and connector_id = $2`, [clientId, connectorId])
  return (rowCount ?? 0) > 0
}

/** Registers (or replaces) a client's custom sandbox user. */
export async function saveSandboxUser(db: Queryable, row: { clientId: string; user: CustomSandboxUser; at: Date }): Promise<{ created: boolean }> {
  const { rows } = await db.query<{ created: boolean }>(
    `insert into sandbox_users (client_id, name, document, created_at, updated_at) values ($1, $2, $3, $4, $4)
     on conflict (client_id, name) do update set document = excluded.document, updated_at = excluded.updated_at
     returning (xmax = 0) as created`,
    [row.clientId, row.user.user, JSON.stringify(row.user), row.at],
  )
  return rows[0]
}

export async function findSandboxUser(db: Queryable, clientId: string, name: string): Promise<CustomSandboxUser | undefined> {
  const { rows } = await db.query<{ document: CustomSandboxUser }>(`select document from sandbox_users where client_id = $1 and name = $2`, [clientId, name])
  return rows[0]?.document
}

export async function listSandboxUsers(db: Queryable, clientId: string): Promise<CustomSandboxUser[]> {
  const { rows } = await db.query<{ document: CustomSandboxUser }>(`select document from sandbox_users where client_id = $1 order by name`, [clientId])
  return rows.map((r) => r.document)
}

export async function deleteSandboxUser(db: Queryable, clientId: string, name: string): Promise<boolean> {
  const { rowCount } = await db.query(`delete from sandbox_users where client_id = $1 and name = $2`, [clientId, name])
  return (rowCount ?? 0) > 0
}
