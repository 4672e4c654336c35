import type { ItemError, LifecycleState, MfaParameter, UserAction } from '../domain/lifecycle.ts'
import type { StatusDetail } from '../domain/status-detail.ts'
import { CREDENTIALS_ACCEPTED_ITEM_STATUSES, RUNNING_ITEM_STATUSES, type ExecutionStatus, type ItemStatus, type Product } from '../domain/statuses.ts'
import type { Queryable } from './database.ts'

export type { StatusDetail, StatusDetailEntry } from '../domain/status-detail.ts'

export interface ItemRow {
  id: string
  clientId: string
  connectorId: number
  status: ItemStatus
  executionStatus: ExecutionStatus
  error: ItemError | null
  parameter: MfaParameter | null
  userAction: UserAction | null
  statusDetail: StatusDetail | null
  consecutiveFailedLoginAttempts: number
  consecutiveFailedExecutions: number
  currentExecutionId: string | null
  credentialsEnc: string
  credentialsHash: string
  lastMfaHash: string | null
  rejectedCredentialsHash: string | null
  lastLoginErrorAt: Date | null
  deviceTrusted: boolean
  authPendingSince: Date | null
  authPendingExecutions: number
  /** Executions this item has had, the current one included. */
  executionsStarted: number
  /** When the item's latest executions started (at most 90), oldest first, the current one last. */
  recentExecutionStarts: Date[]
  followUpAt: Date | null
  webhookUrl: string | null
  clientUserId: string | null
  products: Product[] | null
  autoSyncDisabled: boolean
  nextAutoSyncAt: Date | null
  createdByToken: string | null
  createdAt: Date
  updatedAt: Date
  lastUpdatedAt: Date | null
  /** Open Finance: the item's own secrets (tokens), encrypted; never returned by the API. */
  secretsEnc: string | null
  /** Where the user goes back to after the institution's page (validated when it was set). */
  oauthRedirectUri: string | null
  consentExpiresAt: Date | null
}

const COLUMNS = `
  id, client_id as "clientId", connector_id as "connectorId", status, execution_status as "executionStatus",
  error, parameter, user_action as "userAction", status_detail as "statusDetail",
  consecutive_failed_login_attempts as "consecutiveFailedLoginAttempts",
  consecutive_failed_executions as "consecutiveFailedExecutions",
  current_execution_id as "currentExecutionId", credentials_enc as "credentialsEnc",
  credentials_hash as "credentialsHash", last_mfa_hash as "lastMfaHash",
  rejected_credentials_hash as "rejectedCredentialsHash", last_login_error_at as "lastLoginErrorAt",
  device_trusted as "deviceTrusted", auth_pending_since as "authPendingSince",
  auth_pending_executions as "authPendingExecutions", executions_started as "executionsStarted",
  recent_execution_starts as "recentExecutionStarts", follow_up_at as "followUpAt", webhook_url as "webhookUrl",
  client_user_id as "clientUserId", products, auto_sync_disabled as "autoSyncDisabled",
  next_auto_sync_at as "nextAutoSyncAt", created_by_token as "createdByToken",
  created_at as "createdAt", updated_at as "updatedAt", last_updated_at as "lastUpdatedAt",
  secrets_enc as "secretsEnc", oauth_redirect_uri as "oauthRedirectUri", consent_expires_at as "consentExpiresAt"`

/** What an item's answer shows (GET /items/{id}), and who may see it. */
export type ItemView = Pick<
  ItemRow,
  | 'id'
  | 'clientId'
  | 'connectorId'
  | 'status'
  | 'executionStatus'
  | 'error'
  | 'parameter'
  | 'userAction'
  | 'statusDetail'
  | 'consecutiveFailedLoginAttempts'
  | 'webhookUrl'
  | 'clientUserId'
  | 'products'
  | 'autoSyncDisabled'
  | 'nextAutoSyncAt'
  | 'createdByToken'
  | 'createdAt'
  | 'updatedAt'
  | 'lastUpdatedAt'
  | 'oauthRedirectUri'
  | 'consentExpiresAt'
>

// The read path's columns: not the credentials, hashes and the up to 90 execution starts the engine reads.
const VIEW_COLUMNS = `
  id, client_id as "clientId", connector_id as "connectorId", status, execution_status as "executionStatus",
  error, parameter, user_action as "userAction", status_detail as "statusDetail",
  consecutive_failed_login_attempts as "consecutiveFailedLoginAttempts", webhook_url as "webhookUrl",
  client_user_id as "clientUserId", products, auto_sync_disabled as "autoSyncDisabled",
  next_auto_sync_at as "nextAutoSyncAt", created_by_token as "createdByToken",
  created_at as "createdAt", updated_at as "updatedAt", last_updated_at as "lastUpdatedAt",
  oauth_redirect_uri as "oauthRedirectUri", consent_expires_at as "consentExpiresAt"`

/** The items' answers, whichever client they belong to: the caller compares `clientId` (see ItemViewReader). */
export async function findItemViews(db: Queryable, ids: string[]): Promise<ItemView[]> {
  const { rows } = await db.query<ItemView>(`select ${VIEW_COLUMNS} from items where id = any($1::uuid[])`, [ids])
  return rows
}

export function lifecycleOf(item: ItemRow, failedProducts: Product[] = []): LifecycleState {
  return {
    status: item.status,
    executionStatus: item.executionStatus,
    error: item.error,
    parameter: item.parameter,
    userAction: item.userAction,
    consecutiveFailedLoginAttempts: item.consecutiveFailedLoginAttempts,
    failedProducts,
  }
}

export interface NewItem {
  id: string
  clientId: string
  connectorId: number
  state: LifecycleState
  currentExecutionId: string
  credentialsEnc: string
  credentialsHash: string
  lastMfaHash: string | null
  webhookUrl: string | null
  clientUserId: string | null
  products: Product[] | null
  createdByToken: string | null
  oauthRedirectUri?: string | null
  at: Date
}

/** New items, each with its first execution counted (many creations share the statement); answered in the order given. */
export async function insertItems(db: Queryable, items: NewItem[]): Promise<ItemRow[]> {
  const given = items.map((item) => ({
    id: item.id,
    client_id: item.clientId,
    connector_id: item.connectorId,
    status: item.state.status,
    execution_status: item.state.executionStatus,
    error: item.state.error,
    parameter: item.state.parameter,
    user_action: item.state.userAction,
    consecutive_failed_login_attempts: item.state.consecutiveFailedLoginAttempts,
    current_execution_id: item.currentExecutionId,
    credentials_enc: item.credentialsEnc,
    credentials_hash: item.credentialsHash,
    last_mfa_hash: item.lastMfaHash,
    webhook_url: item.webhookUrl,
    client_user_id: item.clientUserId,
    products: item.products,
    created_by_token: item.createdByToken,
    executions_started: 1,
    recent_execution_starts: [item.at],
    created_at: item.at,
    updated_at: item.at,
    oauth_redirect_uri: item.oauthRedirectUri ?? null,
  }))
  const { rows } = await db.query<ItemRow>(
    `insert into items (id, client_id, connector_id, status, execution_status, error, parameter, user_action,
       consecutive_failed_login_attempts, current_execution_id, credentials_enc, credentials_hash, last_mfa_hash,
       webhook_url, client_user_id, products, created_by_token, executions_started, recent_execution_starts, created_at, updated_at, oauth_redirect_uri)
     select id, client_id, connector_id, status, execution_status, error, parameter, user_action,
       consecutive_failed_login_attempts, current_execution_id, credentials_enc, credentials_hash, last_mfa_hash,
       webhook_url, client_user_id, products, created_by_token, executions_started, recent_execution_starts, created_at, updated_at, oauth_redirect_uri
     from json_populate_recordset(null::items, $1::json)
     returning ${COLUMNS}`,
    [JSON.stringify(given)],
  )
  const byId = new Map(rows.map((row) => [row.id, row]))
  return items.map((item) => byId.get(item.id)!)
}

/** A client's item; another client's item is indistinguishable from a missing one. */
export async function findItem(db: Queryable, clientId: string, id: string): Promise<ItemRow | undefined> {
  const { rows } = await db.query<ItemRow>(`select ${COLUMNS} from items where id = $1 and client_id = $2`, [id, clientId])
  return rows[0]
}

/** For the engine, which runs executions of every client (as findItemForEngine). */
export async function findItemsForEngine(db: Queryable, ids: string[]): Promise<ItemRow[]> {
  const { rows } = await db.query<ItemRow>(`select ${COLUMNS} from items where id = any($1::uuid[])`, [ids])
  return rows
}

/** For the engine, which runs executions of every client. */
export async function findItemForEngine(db: Queryable, id: string): Promise<ItemRow | undefined> {
  const { rows } = await db.query<ItemRow>(`select ${COLUMNS} from items where id = $1`, [id])
  return rows[0]
}

export async function listItems(
  db: Queryable,
  clientId: string,
  filter: { clientUserId?: string; limit: number; offset: number; createdByToken?: string; status?: ItemStatus; connectorId?: number },
): Promise<{ rows: ItemRow[]; total: number }> {
  const { rows } = await db.query<ItemRow & { total: number }>(
    `select ${COLUMNS}, count(*) over () as total from items
     where client_id = $1 and ($2::text is null or client_user_id = $2) and ($5::text is null or created_by_token = $5)
       and ($6::text is null or status = $6) and ($7::int is null or connector_id = $7)
     order by created_at desc, id limit $3 offset $4`,
    [clientId, filter.clientUserId ?? null, filter.limit, filter.offset, filter.createdByToken ?? null, filter.status ?? null, filter.connectorId ?? null],
  )
  return { rows, total: rows[0]?.total ?? 0 }
}

export interface ExecutionStart {
  id: string
  clientId: string
  executionId: string
  state: LifecycleState
  at: Date
  credentialsEnc?: string
  credentialsHash?: string
  lastMfaHash?: string | null
  webhookUrl?: string | null
  clientUserId?: string | null
  products?: Product[] | null
  oauthRedirectUri?: string | null
}

/**
 * Starts an execution on an item that has none in progress. Guarded on the status, so of two
 * concurrent starts exactly one updates the row; the other gets `undefined`. A pending
 * device-authorization follow-up is dropped: this execution takes its place.
 */
export async function startItemExecution(db: Queryable, start: ExecutionStart): Promise<ItemRow | undefined> {
  const { rows } = await db.query<ItemRow>(
    `update items set status = $3, execution_status = $4, error = null, parameter = null, user_action = null,
       current_execution_id = $5, updated_at = $6, follow_up_at = null, executions_started = executions_started + 1,
       recent_execution_starts = (recent_execution_starts || $6::timestamptz)[greatest(1, cardinality(recent_execution_starts) - 88):],
       credentials_enc = coalesce($7, credentials_enc), credentials_hash = coalesce($8, credentials_hash),
       last_mfa_hash = case when $9 then $10 else last_mfa_hash end,
       webhook_url = case when $11 then $12 else webhook_url end,
       client_user_id = case when $13 then $14 else client_user_id end,
       products = case when $15 then $16::text[] else products end,
       oauth_redirect_uri = case when $18 then $19 else oauth_redirect_uri end
     where id = $1 and client_id = $2 and not (status = any($17::text[]))
     returning ${COLUMNS}`,
    [
      start.id,
      start.clientId,
      start.state.status,
      start.state.executionStatus,
      start.executionId,
      start.at,
      start.credentialsEnc ?? null,
      start.credentialsHash ?? null,
      start.lastMfaHash !== undefined,
      start.lastMfaHash ?? null,
      start.webhookUrl !== undefined,
      start.webhookUrl ?? null,
      start.clientUserId !== undefined,
      start.clientUserId ?? null,
      start.products !== undefined,
      start.products ?? null,
      RUNNING_ITEM_STATUSES,
      start.oauthRedirectUri !== undefined,
      start.oauthRedirectUri ?? null,
    ],
  )
  return rows[0]
}

export async function deleteItem(db: Queryable, clientId: string, id: string): Promise<ItemRow | undefined> {
  const { rows } = await db.query<ItemRow>(`delete from items where id = $1 and client_id = $2 returning ${COLUMNS}`, [id, clientId])
  return rows[0]
}

export async function disableAutoSync(db: Queryable, clientId: string, id: string, at: Date): Promise<ItemRow | undefined> {
  const { rows } = await db.query<ItemRow>(
    `update items set auto_sync_disabled = true, next_auto_sync_at = null, updated_at = $3
     where id = $1 and client_id = $2 returning ${COLUMNS}`,
    [id, clientId, at],
  )
  return rows[0]
}

/** Items of a client on a connector with the same credentials (`avoidDuplicates`). */
export async function findItemsWithCredentials(db: Queryable, clientId: string, connectorId: number, credentialsHash: string): Promise<ItemRow[]> {
  const { rows } = await db.query<ItemRow>(`select ${COLUMNS} from items where client_id = $1 and connector_id = $2 and credentials_hash = $3 order by created_at`, [
    clientId,
    connectorId,
    credentialsHash,
  ])
  return rows
}

/**
 * Locks up to `limit` items whose auto-sync or device-authorization follow-up is due, skipping
 * rows another scheduler holds, so that many worker processes can run the scheduler at once and
 * each due item is taken once. Call it in the transaction that starts their executions.
 */
export async function lockDueItems(db: Queryable, now: Date, limit: number): Promise<ItemRow[]> {
  const { rows } = await db.query<ItemRow>(
    `select ${COLUMNS} from (
       select id from items where follow_up_at <= $1
       union
       select id from items where next_auto_sync_at <= $1 and not auto_sync_disabled and status = any($3::text[])
     ) due join items using (id)
     order by least(follow_up_at, next_auto_sync_at) limit $2 for update of items skip locked`,
    [now, limit, CREDENTIALS_ACCEPTED_ITEM_STATUSES],
  )
  return rows
}

/** Items whose credentials were encrypted with another key than `keyId` (key rotation). */
export async function findItemsEncryptedWithOtherKeys(db: Queryable, keyId: string, limit: number): Promise<{ id: string; connectorId: number; credentialsEnc: string }[]> {
  const { rows } = await db.query(
    `select id, connector_id as "connectorId", credentials_enc as "credentialsEnc" from items
     where split_part(credentials_enc, '.', 2) <> $1 order by id limit $2`,
    [keyId, limit],
  )
  return rows
}

/**
 * Saves re-encrypted credentials and their new keyed hashes. The hashes of a past MFA value and of
 * rejected credentials cannot be recomputed without those values: they are cleared.
 */
export async function saveReencryptedCredentials(db: Queryable, rows: { id: string; credentialsEnc: string; credentialsHash: string }[]): Promise<void> {
  await db.query(
    `update items set credentials_enc = r.enc, credentials_hash = r.hash, last_mfa_hash = null, rejected_credentials_hash = null
     from unnest($1::uuid[], $2::text[], $3::text[]) as r(id, enc, hash) where items.id = r.id`,
    [rows.map((r) => r.id), rows.map((r) => r.credentialsEnc), rows.map((r) => r.credentialsHash)],
  )
}

/** Items of every client (operator tools), newest first. */
export async function listItemsForOperator(db: Queryable, filter: { clientId?: string; limit: number }): Promise<ItemRow[]> {
  const { rows } = await db.query<ItemRow>(`select ${COLUMNS} from items where ($1::text is null or client_id = $1) order by created_at desc, id limit $2`, [filter.clientId ?? null, filter.limit])
  return rows
}
