import { findItemViews, type ItemView } from '../store/items.ts'
import type { Queryable } from '../store/database.ts'

type Waiting = { clientId: string; resolve(view: ItemView | undefined): void; reject(error: unknown): void }

/**
 * Reads items for the API's answers, many to a statement. A read waits for no timer: the ids
 * asked for during one turn of the event loop are read together at the next. Idle, a read costs
 * one statement as before; under load, the requests that arrived together share one — a
 * statement's round trip to the server (its system calls and wake-ups) cost more of a
 * `GET /items/{id}` than the row itself.
 *
 * Each read is still its client's own: an item of another client is answered as missing.
 */
export class ItemViewReader {
  private waiting = new Map<string, Waiting[]>()
  private scheduled = false

  constructor(private readonly db: Queryable) {}

  read(clientId: string, id: string): Promise<ItemView | undefined> {
    return new Promise((resolve, reject) => {
      const readers = this.waiting.get(id)
      if (readers) readers.push({ clientId, resolve, reject })
      else this.waiting.set(id, [{ clientId, resolve, reject }])
      if (this.scheduled) return
      this.scheduled = true
      setImmediate(() => void this.flush())
    })
  }

  private async flush(): Promise<void> {
    const batch = this.waiting
    this.waiting = new Map()
    this.scheduled = false
    try {
      const byId = new Map((await findItemViews(this.db, [...batch.keys()])).map((view) => [view.id, view]))
      for (const [id, readers] of batch) {
        const view = byId.get(id)
        for (const reader of readers) reader.resolve(view?.clientId === reader.clientId ? view : undefined)
      }
    } catch (error) {
      for (const readers of batch.values()) for (const reader of readers) reader.reject(error)
    }
  }
}
