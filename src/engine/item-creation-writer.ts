import { type Database, withTransaction } from '../store/database.ts'
import { insertEvents, type NewEvent } from '../store/events.ts'
import { insertExecutions, type NewExecution } from '../store/executions.ts'
import { insertItems, type ItemRow, type NewItem } from '../store/items.ts'
import { enqueueAll, TASKS } from '../store/queue.ts'
import { BatchWriter } from './batch-writer.ts'

/** A new item with its first execution, the job that runs it and its first status event. */
export interface ItemCreation {
  item: NewItem
  execution: NewExecution
  event: NewEvent
}

/**
 * Creates the items of POST /items, many to a transaction: items created together (a burst of
 * sign-ups, a test creating hundreds) share its four statements. A transaction holds the embedded
 * database's one session for its round trips, so a transaction per item made a burst of creations
 * queue behind each other's round trips, and the executions already running with them.
 *
 * A request waits for no outage: the API answers 503 at once, as it did for one item's transaction.
 */
export class ItemCreationWriter extends BatchWriter<ItemCreation, ItemRow> {
  constructor(private readonly db: Database) {
    super({ maxInFlight: db.embedded ? 1 : 4, maxBatch: 200, outageWindowMs: 0 })
  }

  protected write(creations: ItemCreation[]): Promise<ItemRow[]> {
    return withTransaction(this.db.pool, async (tx) => {
      const items = await insertItems(
        tx,
        creations.map((c) => c.item),
      )
      await insertExecutions(
        tx,
        creations.map((c) => c.execution),
      )
      await enqueueAll(
        tx,
        TASKS.runExecution,
        creations.map((c) => ({ executionId: c.execution.id })),
      )
      await insertEvents(
        tx,
        creations.map((c) => c.event),
      )
      return items
    })
  }
}
