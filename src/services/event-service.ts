import { Refusal } from '../engine/refusal.ts'
import type { Queryable } from '../store/database.ts'
import { formatEventCursor, listEvents, parseEventCursor, START_OF_FEED, type EventCursor, type EventRow, type ListedEvent } from '../store/events.ts'
import { ownedItem } from './owned-item.ts'

/** The most events one read of the live stream returns; a full batch is followed by another read at once. */
export const STREAM_BATCH = 200

/** A client's events from the outbox: the catch-up feed (GET /events) and an item's live stream. */
export class EventService {
  constructor(private readonly db: Queryable) {}

  /**
   * The client's webhook events after the cursor `after` (one this API gave), oldest first,
   * optionally of one of its items; each with its cursor, and the cursor to read on from.
   */
  async feed(clientId: string, filter: { itemId?: string; after?: string; limit: number }): Promise<{ events: (EventRow & { cursor: string })[]; next: string | null }> {
    const itemId = filter.itemId === undefined ? undefined : (await ownedItem(this.db, clientId, filter.itemId)).id
    const after = filter.after === undefined ? (itemId ? START_OF_FEED.item : START_OF_FEED.client) : parseEventCursor(filter.after)
    if (!after) throw new Refusal('bad_request', 'INVALID_CURSOR', 'The `after` cursor is not one this API returned; pass the `next` value of a previous page.')
    const events = (await listEvents(this.db, clientId, { itemId, after, limit: filter.limit })).map((event) => ({ ...event, cursor: formatEventCursor(event.cursor) }))
    return { events, next: events.at(-1)?.cursor ?? filter.after ?? null }
  }

  /** Where an item's live stream starts: after the event a reconnecting client names (Last-Event-ID or ?after=), else at its first event. */
  streamStart(resumeFrom: unknown): EventCursor {
    return (typeof resumeFrom === 'string' && parseEventCursor(resumeFrom)) || START_OF_FEED.item
  }

  /** The next events of an item the caller may read (status changes included), after `after`. */
  ofItem(clientId: string, itemId: string, after: EventCursor): Promise<ListedEvent[]> {
    return listEvents(this.db, clientId, { itemId, after, limit: STREAM_BATCH, includeStatus: true })
  }
}
