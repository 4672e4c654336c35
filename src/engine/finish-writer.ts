import type pg from 'pg'
import { withTransaction } from '../store/database.ts'
import { saveFinalTransitions, type FinalTransition } from '../store/step-transitions.ts'
import { BatchWriter } from './batch-writer.ts'
import { mergeCollectedMany, type MergeEntry } from './merge.ts'
import { TASKS, enqueue } from './queue.ts'

/** An execution's end: its final transition, the merge of a success, a follow-up to schedule. */
export interface Finish {
  transition: FinalTransition
  merge?: MergeEntry
  /** Device authorization still pending: the follow-up that retries the item. */
  followUp?: { runAt: Date }
}

/**
 * Saves the ends of the executions running in this process, many in one transaction: their final
 * transitions in one statement, then the merges of those saved, one statement per kind of data
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
      for (const { transition, followUp } of ended) {
        if (followUp) await enqueue(tx, TASKS.authorizationFollowUp, { itemId: transition.itemId }, { runAt: followUp.runAt, jobKey: `auth-follow-up:${transition.itemId}` })
      }
      return finishes.map((f) => saved.has(f.transition.executionId))
    })
  }
}
