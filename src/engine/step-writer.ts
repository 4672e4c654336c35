import type { Queryable } from '../store/database.ts'
import { findExecutionStatuses } from '../store/executions.ts'
import { saveStepTransitions, type StepTransition } from '../store/step-transitions.ts'
import { BatchWriter, type BatchWriterOptions } from './batch-writer.ts'

export const DEFAULT_OUTAGE_WINDOW_MS = 120_000

/**
 * Saves the steps of the executions running in this process, many in one statement. A step's
 * result is false when its guard failed (the item was deleted, or the execution taken over).
 */
export class StepWriter extends BatchWriter<StepTransition> {
  constructor(
    private readonly db: Queryable,
    options: Partial<BatchWriterOptions> = {},
  ) {
    super({ maxInFlight: 4, maxBatch: 500, outageWindowMs: DEFAULT_OUTAGE_WINDOW_MS, ...options })
  }

  protected async write(changes: StepTransition[]): Promise<boolean[]> {
    const saved = await saveStepTransitions(this.db, changes)
    return changes.map((c) => saved.has(c.executionId))
  }

  /** A refused step whose execution is already where the step took it (by this claim) was saved by the lost try. */
  protected override async confirm(changes: StepTransition[], results: boolean[]): Promise<boolean[]> {
    const refused = changes.filter((_, i) => !results[i])
    if (refused.length === 0) return results
    const held = await findExecutionStatuses(
      this.db,
      refused.map((c) => c.executionId),
    )
    return changes.map((c, i) => results[i] || isWhereTheChangeLeftIt(held.get(c.executionId), c.state.executionStatus, c.attempt))
  }
}

export function isWhereTheChangeLeftIt(held: { status: string; attempt: number } | undefined, status: string, attempt: number | null): boolean {
  return held !== undefined && held.status === status && (attempt === null || held.attempt === attempt)
}
