import type { PGlite } from '@electric-sql/pglite'
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket'

// Extended-protocol messages that continue a sequence begun by Parse; Sync ('S') ends it.
const CONTINUES_SEQUENCE = new Set([0x50 /* P */, 0x42 /* B */, 0x44 /* D */, 0x45 /* E */, 0x43 /* C */, 0x48 /* H */])

interface QueuedMessage {
  handlerId: number
  message: Uint8Array
  resolve(bytes: number): void
  reject(error: unknown): void
  onData(data: Uint8Array): void
}

interface QueryQueue {
  queue: QueuedMessage[]
  processing: boolean
  lastHandlerId: number | null
  db: PGlite
  processQueue(): Promise<void>
  clearQueueForHandler(handlerId: number): void
}

/**
 * PGlite has one session; its socket server multiplexes connections onto it message by message.
 * As shipped, it keeps a connection's messages together only inside an explicit transaction, so
 * two connections' Parse/Bind/Execute sequences can interleave and one binds its parameters to the
 * other's statement; and an error leaves its queue stuck. This replaces the queue's scheduler: a
 * connection keeps the session from its first extended-protocol message to its Sync (and for a
 * whole transaction), and an error is answered without stopping the queue.
 */
export function serializeProtocolSequences(server: PGLiteSocketServer): void {
  const queue = (server as unknown as { queryQueue: QueryQueue }).queryQueue
  let owner: number | null = null
  const clear = queue.clearQueueForHandler.bind(queue)
  queue.clearQueueForHandler = (handlerId) => {
    clear(handlerId)
    if (owner === handlerId) owner = null
    void queue.processQueue()
  }
  queue.processQueue = async function processQueue(this: QueryQueue) {
    if (this.processing || this.queue.length === 0) return
    this.processing = true
    try {
      while (this.queue.length > 0) {
        const holder = owner ?? (this.db.isInTransaction() ? this.lastHandlerId : null)
        const index = holder === null ? 0 : this.queue.findIndex((m) => m.handlerId === holder)
        if (index === -1) break // the holder's next message has not arrived yet
        const [entry] = this.queue.splice(index, 1)
        let bytes = 0
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(entry.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length
                entry.onData(data)
              },
            }),
          )
          entry.resolve(bytes)
        } catch (error) {
          entry.reject(error)
        }
        this.lastHandlerId = entry.handlerId
        owner = CONTINUES_SEQUENCE.has(entry.message[0]) ? entry.handlerId : null
      }
    } finally {
      this.processing = false
    }
  }.bind(queue)
}
