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
       from new_events e join webhooks w on w.client_id = e.client_id and w.disabled_at is null and (w.event = e.type or w.event = 'all' or (w.event = 'item/all' and e.type like 'item/%'))
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
 * Where a reader of the event feed stands. Of one item, its events' seq: an item's events are
 * written by transactions that hold the item's row, so they commit in seq order. Of the whole
 * client, the writing transaction's id and the seq: ordered so, and read only below the oldest
 * transaction still in flight, a feed never moves past an event that has yet to commit (seq alone
 * would: numbers are taken before commit, and a later one may commit first).
 */
export type EventCursor = { kind: 'item'; seq: number } | { kind: 'client'; tx: string; seq: number }

export const START_OF_FEED = { item: { kind: 'item', seq: 0 }, client: { kind: 'client', tx: '0', seq: 0 } } as const satisfies Record<string, EventCursor>

/** The cursor's text, as the API gives it: opaque to clients. */
export function formatEventCursor(cursor: EventCursor): string {
  return cursor.kind === 'item' ? String(cursor.seq) : `${cursor.tx}.${cursor.seq}`
}

/** Reads a cursor the API gave (undefined when it is not one); a plain seq is an item cursor. */
export function parseEventCursor(text: string): EventCursor | undefined {
  const match = /^(?:(\d{1,20})\.)?(\d{1,15})$/.exec(text)
  if (!match) return undefined
  return match[1] === undefined ? { kind: 'item', seq: Number(match[2]) } : { kind: 'client', tx: match[1], seq: Number(match[2]) }
}

export interface ListedEvent extends EventRow {
  cursor: EventCursor
}

/**
 * Events after `after`, oldest first: of one item (the live stream, with its item/status events),
 * or of the whole client (which holds no item/status event). Each case has a statement of its
 * own, so that its index serves it (migrations 011 and 031).
 */
export async function listEvents(db: Queryable, clientId: string, filter: { itemId?: string; after: EventCursor; limit: number; includeStatus?: boolean }): Promise<ListedEvent[]> {
  if (filter.itemId !== undefined) {
    const afterSeq = filter.after.seq
    const { rows } = await db.query<EventRow>(
      `select seq, id, client_id as "clientId", item_id as "itemId", type, payload, created_at as "createdAt"
       from events where item_id = $4 and client_id = $1 and seq > $2${filter.includeStatus ? '' : " and type <> 'item/status'"}
       order by seq limit $3`,
      [clientId, afterSeq, filter.limit, filter.itemId],
    )
    return rows.map((row) => ({ ...row, cursor: { kind: 'item', seq: row.seq } }))
  }
  if (filter.includeStatus) throw new Error('item/status events are listed by item only')
  // A cursor from an item's feed names only a seq: the client's feed goes on from that event.
  const after = filter.after.kind === 'client' ? filter.after : await clientCursorAt(db, filter.after.seq)
  const { rows } = await db.query<EventRow & { txText: string }>(
    `select seq, tx::text as "txText", id, client_id as "clientId", item_id as "itemId", type, payload, created_at as "createdAt"
     from events where client_id = $1 and type <> 'item/status' and (tx, seq) > ($2::xid8, $3) and tx < pg_snapshot_xmin(pg_current_snapshot())
     order by events.tx, seq limit $4`,
    [clientId, after.tx, after.seq, filter.limit],
  )
  return rows.map(({ txText, ...row }) => ({ ...row, cursor: { kind: 'client', tx: txText, seq: row.seq } }))
}

/** The client-feed cursor of the event at `seq` (before the first event when there is none). */
async function clientCursorAt(db: Queryable, seq: number): Promise<{ kind: 'client'; tx: string; seq: number }> {
  const { rows } = await db.query<{ tx: string }>(`select tx::text as tx from events where seq = $1`, [seq])
  return { kind: 'client', tx: rows[0]?.tx ?? '0', seq }
}
