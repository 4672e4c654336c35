import type { Queryable } from './database.ts'

export interface NewEvent {
  id: string
  clientId: string
  itemId: string | null
  type: string
  payload: Record<string, unknown>
  at: Date
  /** The item's own webhookUrl, which receives every event of the item. */
  itemWebhookUrl: string | null
}

export interface EventRow {
  seq: number
  id: string
  clientId: string
  itemId: string | null
  type: string
  payload: Record<string, unknown>
  createdAt: Date
}

/** The graphile-worker task that sends deliveries (TASKS.deliverWebhooks), and the key of its wake-up for deliveries due now. */
export const DELIVERY_TASK = 'deliver-webhooks'
export const DELIVERY_JOB_KEY = 'deliver-webhooks'
/**
 * The key of the sender's own wake-up for deliveries due later (retries, heads another sender
 * holds). Apart from DELIVERY_JOB_KEY: a job key keeps one pending job whose run_at the last
 * enqueue sets, and a wake-up for later must never postpone a wake-up for now.
 */
export const DELIVERY_LATER_JOB_KEY = 'deliver-webhooks-later'

/**
 * Writes events to the outbox — call it in the transaction of the change they report — with one
 * delivery per subscribed target (the client's matching webhooks and the item's webhookUrl), and
 * wakes the delivery job. One statement: all of it commits or none does.
 */
export async function insertEvents(db: Queryable, events: NewEvent[]): Promise<void> {
  if (events.length === 0) return
  await db.query(`with ${outboxStatements('$1')} select count(*) from wake_delivery`, [outboxRows(events)])
}

/**
 * The common table expressions that write the events in parameter `param` (see outboxRows) with
 * their deliveries and wake the delivery job (`wake_delivery`, which the statement must read so
 * that it runs). With `guard`, an SQL condition, nothing is written unless it holds: a change
 * and the events it reports are saved in one statement.
 */
export function outboxStatements(param: string, guard = 'true'): string {
  return `new_events as (
       insert into events (id, client_id, item_id, type, payload, created_at)
       select e.id, e.client_id, e.item_id, e.type, e.payload, e.created_at
       from jsonb_to_recordset(${param}::jsonb) as e(id uuid, client_id text, item_id uuid, type text, payload jsonb, created_at timestamptz)
       where ${guard}
       returning seq, id, client_id, item_id, type, created_at
     ), targets as (
       select e.seq, e.id, e.client_id, e.item_id, e.type, e.created_at, w.id as webhook_id, w.url, w.headers
       from new_events e join webhooks w on w.client_id = e.client_id and w.disabled_at is null and (w.event = e.type or w.event = 'all')
       where e.type <> 'item/status'
       union all
       select e.seq, e.id, e.client_id, e.item_id, e.type, e.created_at, null::uuid, t.item_webhook_url, '{}'::jsonb
       from new_events e join jsonb_to_recordset(${param}::jsonb) as t(id uuid, item_webhook_url text) on t.id = e.id
       where t.item_webhook_url is not null and e.type <> 'item/status'
     ), deliveries as (
       insert into webhook_deliveries (client_id, event_seq, event_id, event_type, item_id, webhook_id, url, headers, next_attempt_at, created_at)
       select client_id, seq, id, type, item_id, webhook_id, url, headers, created_at, created_at from targets
       on conflict (event_seq, url) do nothing
       returning 1
     ), wake_delivery as (
       select graphile_worker.add_job('${DELIVERY_TASK}', '{}'::json, job_key := '${DELIVERY_JOB_KEY}') from (select 1 from deliveries limit 1) wake
     )`
}

/** The parameter outboxStatements reads. */
export function outboxRows(events: NewEvent[]): string {
  return JSON.stringify(
    events.map((e) => ({
      id: e.id,
      client_id: e.clientId,
      item_id: e.itemId,
      type: e.type,
      payload: e.payload,
      created_at: e.at.toISOString(),
      item_webhook_url: e.itemWebhookUrl,
    })),
  )
}

/**
 * Events after `afterSeq`, oldest first: of one item (the live stream, with its item/status
 * events), or of the whole client. Each case has a statement of its own, so that its index
 * serves it (see migration 011): the item's, or the client's, which holds no item/status event.
 */
export async function listEvents(
  db: Queryable,
  clientId: string,
  filter: { itemId?: string; afterSeq: number; limit: number; includeStatus?: boolean },
): Promise<EventRow[]> {
  const ofItem = filter.itemId !== undefined
  if (filter.includeStatus && !ofItem) throw new Error('item/status events are listed by item only')
  const { rows } = await db.query<EventRow>(
    `select seq, id, client_id as "clientId", item_id as "itemId", type, payload, created_at as "createdAt"
     from events where ${ofItem ? 'item_id = $4 and ' : ''}client_id = $1 and seq > $2${filter.includeStatus ? '' : " and type <> 'item/status'"}
     order by seq limit $3`,
    [clientId, filter.afterSeq, filter.limit, ...(ofItem ? [filter.itemId] : [])],
  )
  return rows
}
