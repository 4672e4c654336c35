import type pg from 'pg'
import { withTransaction } from '../store/database.ts'
import { saveFinalTransitions, type FinalTransition } from '../store/step-transitions.ts'
import { BatchWriter } from './batch-writer.ts'
import { mergeCollectedMany, type MergeEntry } from './merge.ts'

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
    options = { maxInFlight: 4, maxBatch: 100 },
  ) {
    super(options)
  }

  protected write(finishes: Finish[]): Promise<boolean[]> {
    return withTransaction(this.pool, async (tx) => {
      const saved = await saveFinalTransitions(tx, finishes.map((f) => f.transition))
      const ended = finishes.filter((f) => saved.has(f.transition.executionId))
      const merges = ended.flatMap((f) => (f.merge ? [f.merge] : []))
      if (merges.length > 0) await mergeCollectedMany(tx, merges)
      return finishes.map((f) => saved.has(f.transition.executionId))
    })
  }
}
