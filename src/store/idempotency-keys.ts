import type { Queryable } from './database.ts'

/** What a key holds: the request it was first used for and, once given, its answer. */
export interface IdempotencyRecord {
  fingerprint: string
  statusCode: number | null
  answer: unknown
}

/**
 * Claims `key` for a request: answers `claimed` when no live record held it (a record older than
 * `expiredBefore`, or one still unanswered since before `abandonedBefore`, is taken over), else the
 * record that holds it. Up to 100 of the client's expired
 * records are removed on the way, so the table holds about one day of keys.
 */
export async function claimIdempotencyKey(
  db: Queryable,
  claim: { clientId: string; key: string; fingerprint: string; at: Date; expiredBefore: Date; abandonedBefore: Date },
): Promise<{ claimed: true } | { claimed: false; record: IdempotencyRecord | null }> {
  const { rows } = await db.query<{ claimed: boolean; fingerprint: string | null; statusCode: number | null; answer: unknown }>(
    `with swept as (
       delete from idempotency_keys where ctid in (
         select ctid from idempotency_keys where client_id = $1 and key <> $2 and created_at < $5 limit 100)
     ), claimed as (
       insert into idempotency_keys (client_id, key, fingerprint, created_at) values ($1, $2, $3, $4)
       on conflict (client_id, key) do update set fingerprint = excluded.fingerprint, status_code = null, answer = null, created_at = excluded.created_at
       where idempotency_keys.created_at < $5 or (idempotency_keys.status_code is null and idempotency_keys.created_at < $6)
       returning true as claimed
     )
     select true as claimed, null as fingerprint, null::integer as "statusCode", null::jsonb as answer from claimed
     union all
     select false, fingerprint, status_code, answer from idempotency_keys
     where client_id = $1 and key = $2 and not exists (select 1 from claimed)`,
    [claim.clientId, claim.key, claim.fingerprint, claim.at, claim.expiredBefore, claim.abandonedBefore],
  )
  const row = rows[0]
  if (row?.claimed) return { claimed: true }
  // No row: another request claimed the key and has not committed yet.
  return { claimed: false, record: row ? { fingerprint: row.fingerprint!, statusCode: row.statusCode, answer: row.answer } : null }
}

/** Keeps the answer given to the request that claimed `key`. */
export async function recordIdempotentAnswer(db: Queryable, answer: { clientId: string; key: string; statusCode: number; answer: unknown }): Promise<void> {
  await db.query(`update idempotency_keys set status_code = $3, answer = $4 where client_id = $1 and key = $2`, [answer.clientId, answer.key, answer.statusCode, JSON.stringify(answer.answer)])
}

/** Frees `key` after a request that changed nothing (a server-side failure): it may be sent again. */
export async function releaseIdempotencyKey(db: Queryable, key: { clientId: string; key: string }): Promise<void> {
  await db.query(`delete from idempotency_keys where client_id = $1 and key = $2 and status_code is null`, [key.clientId, key.key])
}
