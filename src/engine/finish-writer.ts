import type pg from 'pg'
import { withTransaction } from '../store/database.ts'
import { saveFinalTransitions, type FinalTransition } from '../store/step-transitions.ts'
import { findExecutionStatuses } from '../store/executions.ts'
import { BatchWriter, type BatchWriterOptions } from './batch-writer.ts'
import { mergeCollectedMany, type MergeEntry } from './merge.ts'
import { DEFAULT_OUTAGE_WINDOW_MS, isWhereTheChangeLeftIt } from './step-writer.ts'

/** An execution's end: its final transition, and the merge of a success. */
export interface Finish {
  transition: FinalTransition
  merge?: MergeEntry
}

/**
 * Saves the ends of the executions running in this process, many in one transaction: their final
 * transitions in one statement (a device-authorization follow-up is a time saved on the item),
 * then the merges of those saved, one statement per kind of data
 * for all of them. When a write fails (say, one merge the database refuses), each end is tried
 * again alone, so that only its own execution sees the error (→ MERGE_ERROR). An end's result is
 * false when its guard failed (the item was deleted, or the execution taken over).
 */
export class FinishWriter extends BatchWriter<Finish> {
  constructor(
    private readonly pool: pg.Pool,
    options: Partial<BatchWriterOptions> = {},
  ) {
    super({ maxInFlight: 4, maxBatch: 100, outageWindowMs: DEFAULT_OUTAGE_WINDOW_MS, ...options })
  }

  /** A refused end whose execution already ended with it (by this claim) was saved, merge included, by the lost try. */
  protected override async confirm(finishes: Finish[], results: boolean[]): Promise<boolean[]> {
    const refused = finishes.filter((_, i) => !results[i])
    if (refused.length === 0) return results
    const held = await findExecutionStatuses(
      this.pool,
      refused.map((f) => f.transition.executionId),
    )
    return finishes.map((f, i) => results[i] || isWhereTheChangeLeftIt(held.get(f.transition.executionId), f.transition.state.executionStatus, f.transition.attempt))
  }

  protected write(finishes: Finish[]): Promise<boolean[]> {
    return withTransaction(this.pool, async (tx) => {
      const saved = await saveFinalTransitions(
        tx,
        finishes.map((f) => f.transition),
      )
      const ended = finishes.filter((f) => saved.has(f.transition.executionId))
      const merges = ended.flatMap((f) => (f.merge ? [f.merge] : []))
      if (merges.length > 0) await mergeCollectedMany(tx, merges)
      return finishes.map((f) => saved.has(f.transition.executionId))
    })
  }
}
