import type { Queryable } from '../store/database.ts'
import { claimExecutions, findExecutions, type ExecutionRow } from '../store/executions.ts'
import { findItemsForEngine, type ItemRow } from '../store/items.ts'
import { BatchWriter, type BatchWriterOptions } from './batch-writer.ts'
import { DEFAULT_OUTAGE_WINDOW_MS } from './step-writer.ts'
import type { Clock } from '../time/clock.ts'

/** A claimed execution comes with its row and its item's, read after the claim. */
export type Claim = { outcome: 'claimed'; execution: ExecutionRow; item: ItemRow } | { outcome: 'busy' | 'gone' }

/**
 * Claims the executions whose jobs this process fetched, many in one statement (then reads the
 * claimed ones and their items in one statement each): a worker that fetches thousands of jobs
 * at once starts them without a round trip each.
 */
export class ClaimWriter extends BatchWriter<string, Claim> {
  constructor(
    private readonly deps: { db: Queryable; clock: Clock; workerId: string; leaseSeconds: number; connectorLimit: number; uncappedConnectors: readonly number[] },
    options: Partial<BatchWriterOptions> = {},
  ) {
    // A claim retried after a lost answer claims again: the same worker may, and the attempt it
    // reads afterwards is the one it holds.
    super({ maxInFlight: 2, maxBatch: 500, outageWindowMs: DEFAULT_OUTAGE_WINDOW_MS, ...options })
  }

  protected async write(executionIds: string[]): Promise<Claim[]> {
    const { db, clock, workerId, leaseSeconds, connectorLimit, uncappedConnectors } = this.deps
    const at = clock.now()
    const staleBefore = new Date(at.getTime() - leaseSeconds * 1000)
    const outcomes = await claimExecutions(db, { executionIds, workerId, at, staleBefore, connectorLimit, uncappedConnectors })
    const claimed = executionIds.filter((id) => outcomes.get(id) === 'claimed')
    const executions = new Map(claimed.length > 0 ? (await findExecutions(db, claimed)).map((e) => [e.id, e]) : [])
    const itemIds = [...new Set([...executions.values()].map((e) => e.itemId))]
    const items = new Map(itemIds.length > 0 ? (await findItemsForEngine(db, itemIds)).map((i) => [i.id, i]) : [])
    return executionIds.map((id): Claim => {
      const outcome = outcomes.get(id) ?? 'gone'
      if (outcome !== 'claimed') return { outcome }
      const execution = executions.get(id)
      const item = execution && items.get(execution.itemId)
      return execution && item ? { outcome, execution, item } : { outcome: 'gone' }
    })
  }
}
