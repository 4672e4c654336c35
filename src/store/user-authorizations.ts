import type { Queryable } from './database.ts'

/**
 * Terminology: a *user authorization* is one visit of the user to an institution's authorization
 * page (Open Finance), for one waiting execution; the *return* is the institution sending the user
 * back to Tributary's callback with the `state` it was given.
 */
export interface UserAuthorizationRow {
  executionId: string
  itemId: string
  secretEnc: string
  expiresAt: Date
  callbackEnc: string | null
  usedAt: Date | null
}

const COLUMNS = `execution_id as "executionId", item_id as "itemId", secret_enc as "secretEnc", expires_at as "expiresAt",
  callback_enc as "callbackEnc", used_at as "usedAt"`

export async function insertUserAuthorization(db: Queryable, row: { executionId: string; itemId: string; stateHash: string; secretEnc: string; expiresAt: Date; at: Date }): Promise<void> {
  await db.query(`insert into user_authorizations (execution_id, item_id, state_hash, secret_enc, expires_at, created_at) values ($1, $2, $3, $4, $5, $6)`, [
    row.executionId,
    row.itemId,
    row.stateHash,
    row.secretEnc,
    row.expiresAt,
    row.at,
  ])
}

/** The authorization an execution waits on (a run that took the execution over keeps waiting on it). */
export async function findUserAuthorization(db: Queryable, executionId: string): Promise<UserAuthorizationRow | undefined> {
  const { rows } = await db.query<UserAuthorizationRow>(`select ${COLUMNS} from user_authorizations where execution_id = $1`, [executionId])
  return rows[0]
}

/**
 * Records the return for the authorization whose state hashes to `stateHash` — once: a state
 * already used, or past its window at `at`, records nothing. Answers the authorization with the
 * item's redirect URI, or undefined.
 */
export async function recordUserAuthorizationReturn(
  db: Queryable,
  change: { stateHash: string; callbackEnc: string; at: Date },
): Promise<(UserAuthorizationRow & { stateHash: string; oauthRedirectUri: string | null }) | undefined> {
  const { rows } = await db.query<UserAuthorizationRow & { stateHash: string; oauthRedirectUri: string | null }>(
    `with used as (
       update user_authorizations set callback_enc = $2, used_at = $3
       where state_hash = $1 and used_at is null and expires_at > $3
       returning *)
     select ${COLUMNS}, used.state_hash as "stateHash", i.oauth_redirect_uri as "oauthRedirectUri"
     from used join items i on i.id = used.item_id`,
    [change.stateHash, change.callbackEnc, change.at],
  )
  return rows[0]
}

/** Reads and erases the return's parameters, so they are kept no longer than the execution needs them. */
export async function takeUserAuthorizationReturn(db: Queryable, executionId: string): Promise<string | undefined> {
  const { rows } = await db.query<{ value: string }>(
    `update user_authorizations u set callback_enc = null from (select callback_enc from user_authorizations where execution_id = $1 for update) old
     where u.execution_id = $1 and old.callback_enc is not null returning old.callback_enc as value`,
    [executionId],
  )
  return rows[0]?.value
}

/** Replaces an item's secrets (encrypted; null erases them). */
export async function saveItemSecrets(db: Queryable, itemId: string, secretsEnc: string | null): Promise<void> {
  await db.query(`update items set secrets_enc = $2 where id = $1`, [itemId, secretsEnc])
}

/** Items whose secrets were encrypted with another key than `keyId` (key rotation). */
export async function findItemSecretsEncryptedWithOtherKeys(db: Queryable, keyId: string, limit: number): Promise<{ id: string; secretsEnc: string }[]> {
  const { rows } = await db.query<{ id: string; secretsEnc: string }>(
    `select id, secrets_enc as "secretsEnc" from items where secrets_enc is not null and split_part(secrets_enc, '.', 2) <> $1 order by id limit $2`,
    [keyId, limit],
  )
  return rows
}

/** Saves re-encrypted item secrets, unless the item's secrets changed meanwhile. */
export async function saveReencryptedItemSecrets(db: Queryable, rows: { id: string; previousEnc: string; secretsEnc: string }[]): Promise<void> {
  await db.query(
    `update items set secrets_enc = r.enc from unnest($1::uuid[], $2::text[], $3::text[]) as r(id, previous, enc)
     where items.id = r.id and items.secrets_enc = r.previous`,
    [rows.map((r) => r.id), rows.map((r) => r.previousEnc), rows.map((r) => r.secretsEnc)],
  )
}
