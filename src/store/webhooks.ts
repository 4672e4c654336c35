import type { Queryable } from './database.ts'

export interface WebhookRow {
  id: string
  clientId: string
  event: string
  url: string
  headers: Record<string, string>
  createdAt: Date
  updatedAt: Date
  disabledAt: Date | null
}

const WEBHOOK_COLUMNS = `id, client_id as "clientId", event, url, headers, created_at as "createdAt", updated_at as "updatedAt", disabled_at as "disabledAt"`

export async function insertWebhook(db: Queryable, webhook: { id: string; clientId: string; event: string; url: string; headers: Record<string, string>; at: Date }): Promise<WebhookRow> {
  const { rows } = await db.query<WebhookRow>(`insert into webhooks (id, client_id, event, url, headers, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $6) returning ${WEBHOOK_COLUMNS}`, [
    webhook.id,
    webhook.clientId,
    webhook.event,
    webhook.url,
    webhook.headers,
    webhook.at,
  ])
  return rows[0]
}

export async function listWebhooks(db: Queryable, clientId: string): Promise<WebhookRow[]> {
  const { rows } = await db.query<WebhookRow>(`select ${WEBHOOK_COLUMNS} from webhooks where client_id = $1 order by created_at, id`, [clientId])
  return rows
}

export async function findWebhook(db: Queryable, clientId: string, id: string): Promise<WebhookRow | undefined> {
  const { rows } = await db.query<WebhookRow>(`select ${WEBHOOK_COLUMNS} from webhooks where id = $1 and client_id = $2`, [id, clientId])
  return rows[0]
}

export async function updateWebhook(
  db: Queryable,
  clientId: string,
  id: string,
  change: { event: string; url: string; headers: Record<string, string>; disabledAt: Date | null; at: Date },
): Promise<WebhookRow | undefined> {
  const { rows } = await db.query<WebhookRow>(
    `update webhooks set event = $3, url = $4, headers = $5, disabled_at = $6, updated_at = $7 where id = $1 and client_id = $2 returning ${WEBHOOK_COLUMNS}`,
    [id, clientId, change.event, change.url, change.headers, change.disabledAt, change.at],
  )
  return rows[0]
}

export async function deleteWebhook(db: Queryable, clientId: string, id: string): Promise<number> {
  const { rowCount } = await db.query(`delete from webhooks where id = $1 and client_id = $2`, [id, clientId])
  return rowCount ?? 0
}

export type DeliveryStatus = 'PENDING' | 'DELIVERED' | 'FAILED'

export interface DeliveryRow {
  id: string
  clientId: string
  eventSeq: number
  eventId: string
  eventType: string
  itemId: string | null
  webhookId: string | null
  url: string
  headers: Record<string, string>
  status: DeliveryStatus
  attempts: number
  nextAttemptAt: Date
  lastResponseCode: number | null
  lastError: string | null
  lastLatencyMs: number | null
  createdAt: Date
  deliveredAt: Date | null
}

const deliveryColumns = (t: string) => `${t}.id, ${t}.client_id as "clientId", ${t}.event_seq as "eventSeq", ${t}.event_id as "eventId",
  ${t}.event_type as "eventType", ${t}.item_id as "itemId", ${t}.webhook_id as "webhookId", ${t}.url, ${t}.headers, ${t}.status,
  ${t}.attempts, ${t}.next_attempt_at as "nextAttemptAt", ${t}.last_response_code as "lastResponseCode", ${t}.last_error as "lastError",
  ${t}.last_latency_ms as "lastLatencyMs", ${t}.created_at as "createdAt", ${t}.delivered_at as "deliveredAt"`
const DELIVERY_COLUMNS = deliveryColumns('webhook_deliveries')

export type ClaimedDelivery = DeliveryRow & { payload: Record<string, unknown> }

/**
 * Claims up to `limit` deliveries that are due, taking per item and URL only the oldest pending
 * one (the head): a later event of an item waits until the earlier one is delivered or failed.
 * A head another sender holds is skipped, and the lock is re-checked on the row, so senders in
 * many processes never send one delivery twice at once.
 */
export async function claimDueDeliveries(db: Queryable, now: Date, lockUntil: Date, limit: number): Promise<ClaimedDelivery[]> {
  const { rows } = await db.query(
    `with heads as (
       select distinct on (item_id, url) id, next_attempt_at, locked_until
       from webhook_deliveries where status = 'PENDING' order by item_id, url, event_seq
     ), due as (
       -- A head another sender is claiming right now is skipped, not waited for.
       select d.id from webhook_deliveries d join heads h on h.id = d.id
       where h.next_attempt_at <= $1 and (h.locked_until is null or h.locked_until < $1)
       limit $3
       for update of d skip locked
     ), claimed as (
       update webhook_deliveries d set locked_until = $2 from due
       where d.id = due.id and d.status = 'PENDING' and (d.locked_until is null or d.locked_until < $1)
       returning d.*
     )
     select ${deliveryColumns('claimed')}, e.payload from claimed join events e on e.seq = claimed.event_seq`,
    [now, lockUntil, limit],
  )
  return rows
}

/** When the earliest pending head is due (or null when nothing is pending). */
export async function nextDeliveryDueAt(db: Queryable): Promise<Date | null> {
  const { rows } = await db.query<{ at: Date | null }>(
    `select min(greatest(next_attempt_at, coalesce(locked_until, next_attempt_at))) as at from (
       select distinct on (item_id, url) next_attempt_at, locked_until
       from webhook_deliveries where status = 'PENDING' order by item_id, url, event_seq
     ) heads`,
  )
  return rows[0]?.at ?? null
}

export interface DeliveryResult {
  id: string
  status: DeliveryStatus
  attempts: number
  nextAttemptAt: Date
  responseCode: number | null
  error: string | null
  latencyMs: number
  attemptedAt: Date
  deliveredAt: Date | null
}

/**
 * Saves the outcome of a batch of attempts, and logs each attempt, in one statement. The log
 * numbers attempts on from the delivery's last logged one: a delivery sent again starts its
 * `attempts` count anew, and its new attempts must not collide with (and be dropped for) the old.
 */
export async function saveDeliveryResults(db: Queryable, results: DeliveryResult[]): Promise<void> {
  if (results.length === 0) return
  await db.query(
    `with r as (
       select * from unnest($1::uuid[], $2::text[], $3::int[], $4::timestamptz[], $5::int[], $6::text[], $7::int[], $8::timestamptz[], $9::timestamptz[])
         as r(id, status, attempts, next_attempt_at, response_code, error, latency_ms, attempted_at, delivered_at)
     ), updated as (
       update webhook_deliveries d set status = r.status, attempts = r.attempts, next_attempt_at = r.next_attempt_at,
         last_response_code = r.response_code, last_error = r.error, last_latency_ms = r.latency_ms,
         delivered_at = r.delivered_at, locked_until = null
       from r where d.id = r.id and d.status = 'PENDING'
       returning d.id
     )
     insert into webhook_delivery_attempts (delivery_id, attempt, attempted_at, response_code, latency_ms, error)
     select r.id, coalesce((select max(a.attempt) from webhook_delivery_attempts a where a.delivery_id = r.id), 0) + 1,
       r.attempted_at, r.response_code, r.latency_ms, r.error
     from r join updated u on u.id = r.id
     on conflict do nothing`,
    [
      results.map((r) => r.id),
      results.map((r) => r.status),
      results.map((r) => r.attempts),
      results.map((r) => r.nextAttemptAt),
      results.map((r) => r.responseCode),
      results.map((r) => r.error),
      results.map((r) => r.latencyMs),
      results.map((r) => r.attemptedAt),
      results.map((r) => r.deliveredAt),
    ],
  )
}

export async function listDeliveries(
  db: Queryable,
  clientId: string,
  filter: { itemId?: string; status?: DeliveryStatus; event?: string; limit: number; offset: number },
): Promise<{ rows: DeliveryRow[]; total: number }> {
  const { rows } = await db.query<DeliveryRow & { total: number }>(
    `select ${DELIVERY_COLUMNS}, count(*) over () as total from webhook_deliveries
     where client_id = $1 and ($2::uuid is null or item_id = $2) and ($3::text is null or status = $3) and ($4::text is null or event_type = $4)
     order by created_at desc, event_seq desc, id limit $5 offset $6`,
    [clientId, filter.itemId ?? null, filter.status ?? null, filter.event ?? null, filter.limit, filter.offset],
  )
  return { rows, total: rows[0]?.total ?? 0 }
}

export interface DeliveryAttemptRow {
  deliveryId: string
  attempt: number
  attemptedAt: Date
  responseCode: number | null
  latencyMs: number
  error: string | null
}

/** Every logged attempt of the client's deliveries among `deliveryIds`, oldest first. */
export async function listDeliveryAttempts(db: Queryable, clientId: string, deliveryIds: string[]): Promise<DeliveryAttemptRow[]> {
  const { rows } = await db.query<DeliveryAttemptRow>(
    `select a.delivery_id as "deliveryId", a.attempt, a.attempted_at as "attemptedAt", a.response_code as "responseCode", a.latency_ms as "latencyMs", a.error
     from webhook_delivery_attempts a join webhook_deliveries d on d.id = a.delivery_id
     where d.client_id = $1 and a.delivery_id = any($2::uuid[]) order by a.delivery_id, a.attempt`,
    [clientId, deliveryIds],
  )
  return rows
}

/** Puts a delivery back in the queue to be sent now, whatever its status. */
export async function resetDelivery(db: Queryable, clientId: string, id: string, at: Date): Promise<DeliveryRow | undefined> {
  const { rows } = await db.query<DeliveryRow>(
    `update webhook_deliveries set status = 'PENDING', attempts = 0, next_attempt_at = $3, delivered_at = null, locked_until = null
     where id = $1 and client_id = $2 returning ${DELIVERY_COLUMNS}`,
    [id, clientId, at],
  )
  return rows[0]
}

/** An item is deleted: what was still waiting to go out about it is dropped (item/deleted is written after). */
export async function dropPendingDeliveries(db: Queryable, clientId: string, itemId: string): Promise<void> {
  await db.query(`delete from webhook_deliveries where client_id = $1 and item_id = $2 and status = 'PENDING'`, [clientId, itemId])
}
