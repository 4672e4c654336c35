import { Refusal } from '../engine/refusal.ts'
import type { Queryable } from '../store/database.ts'
import { listEvents, type EventRow } from '../store/events.ts'
import { ownedItem } from './owned-item.ts'

/** The most events one read of the live stream returns; a full batch is followed by another read at once. */
export const STREAM_BATCH = 200

/** A client's events from the outbox: the catch-up list (GET /events) and an item's live stream. */
export class EventService {
  constructor(private readonly db: Queryable) {}

  /**
   * The client's webhook events after the cursor `after` (an outbox position this API returned),
   * oldest first, optionally of one of its items.
   */
  async list(clientId: string, filter: { itemId?: string; after?: string; limit: number }): Promise<EventRow[]> {
    const itemId = filter.itemId === undefined ? undefined : (await ownedItem(this.db, clientId, filter.itemId)).id
    const afterSeq = filter.after === undefined ? 0 : /^\d{1,15}$/.test(filter.after) ? Number(filter.after) : NaN
    if (Number.isNaN(afterSeq)) throw new Refusal('bad_request', 'INVALID_CURSOR', 'The `after` cursor is not one this API returned; pass the `next` value of a previous page.')
    return listEvents(this.db, clientId, { itemId, afterSeq, limit: filter.limit })
  }

  /** The next events of an item the caller may read (status changes included), after outbox position `afterSeq`. */
  ofItem(clientId: string, itemId: string, afterSeq: number): Promise<EventRow[]> {
    return listEvents(this.db, clientId, { itemId, afterSeq, limit: STREAM_BATCH, includeStatus: true })
  }
}
