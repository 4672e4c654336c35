import type { Queryable } from '../store/database.ts'
import { saveStepTransitions, type StepTransition } from '../store/step-transitions.ts'
import { BatchWriter } from './batch-writer.ts'

/** Saves the steps of the executions running in this process, many in one statement. */
export class StepWriter extends BatchWriter<StepTransition> {
  constructor(
    private readonly db: Queryable,
    options = { maxInFlight: 4, maxBatch: 500 },
  ) {
    super(options)
  }

  protected write(changes: StepTransition[]): Promise<Set<string>> {
    return saveStepTransitions(this.db, changes)
  }

  protected keyOf(change: StepTransition): string {
    return change.executionId
  }
}
