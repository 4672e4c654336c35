import type { Queryable } from '../store/database.ts'
import { saveStepTransitions, type StepTransition } from '../store/step-transitions.ts'
import { BatchWriter } from './batch-writer.ts'

/**
 * Saves the steps of the executions running in this process, many in one statement. A step's
 * result is false when its guard failed (the item was deleted, or the execution taken over).
 */
export class StepWriter extends BatchWriter<StepTransition> {
  constructor(
    private readonly db: Queryable,
    options = { maxInFlight: 4, maxBatch: 500 },
  ) {
    super(options)
  }

  protected async write(changes: StepTransition[]): Promise<boolean[]> {
    const saved = await saveStepTransitions(this.db, changes)
    return changes.map((c) => saved.has(c.executionId))
  }
}
