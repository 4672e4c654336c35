import type { Queryable } from './database.ts'
import { JOB_KEYS, TASKS } from './queue.ts'

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

/**
 * Writes events to the outbox — call it in the transaction of the change they report — with one
 * delivery per subscribed target (the client's matching webhooks and the item's webhookUrl), and
 * wakes the delivery job. One statement: all of it commits or none does.
 */
export async function insertEvents(db: Queryable, events: NewEvent[]): Promise<void> {
  if (events.length === 0) return
  await db.query(`with ${outboxStatements({ events: '$1', wakeTask: '$2', wakeKey: '$3' })} select count(*) from wake_delivery`, [outboxRows(events), ...outboxWake])
}

/** The values of outboxStatements' `wakeTask` and `wakeKey` parameters, in that order. */
export const outboxWake = [TASKS.deliverWebhooks, JOB_KEYS['deliver-webhooks']({})] as const

/**
 * The common table expressions that write the events in parameter `params.events` (see
 * outboxRows) with their deliveries and wake the delivery job (`wake_delivery`, which the
 * statement must read so that it runs; its task and job key are the parameters `params.wakeTask`
 * and `params.wakeKey`, given {@link outboxWake}). With `guard`, an SQL condition, nothing is
 * written unless it holds: a change and the events it reports are saved in one statement.
 */
export function outboxStatements(params: { events: string; wakeTask: string; wakeKey: string }, guard = 'true'): string {
  const param = params.events
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
       select graphile_worker.add_job(${params.wakeTask}::text, '{}'::json, job_key := ${params.wakeKey}::text) from (select 1 from deliveries limit 1) wake
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
