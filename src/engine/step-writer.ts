import type { Queryable } from '../store/database.ts'
import { saveStepTransitions, type StepTransition } from '../store/step-transitions.ts'

/**
 * Writes the steps of the executions running in this process. A step waits for no timer: it is
 * written at the next turn of the event loop, and while `maxInFlight` writes are under way the
 * steps that arrive meanwhile go together in the next one. Idle, a step costs one statement as
 * before; with thousands of executions in flight, hundreds of steps share one.
 */
export class StepWriter {
  private pending: { change: StepTransition; resolve(saved: boolean): void; reject(error: unknown): void }[] = []
  private inFlight = 0
  private scheduled = false

  constructor(
    private readonly db: Queryable,
    private readonly options: { maxInFlight: number; maxBatch: number } = { maxInFlight: 4, maxBatch: 500 },
  ) {}

  /** True when the step was saved; false when its guard failed (the item was deleted, or the execution taken over). */
  save(change: StepTransition): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.pending.push({ change, resolve, reject })
      this.schedule()
    })
  }

  private schedule(): void {
    if (this.scheduled || this.pending.length === 0 || this.inFlight >= this.options.maxInFlight) return
    this.scheduled = true
    setImmediate(() => {
      this.scheduled = false
      void this.flush()
    })
  }

  private async flush(): Promise<void> {
    if (this.inFlight >= this.options.maxInFlight) return
    const batch = this.pending.splice(0, this.options.maxBatch)
    if (batch.length === 0) return
    this.inFlight++
    this.schedule()
    try {
      const saved = await saveStepTransitions(this.db, batch.map((entry) => entry.change))
      for (const entry of batch) entry.resolve(saved.has(entry.change.executionId))
    } catch (error) {
      // One change the database refuses (or a lost connection) must not fail the steps it shared a
      // statement with: each is tried again alone, and only its own error reaches its execution.
      if (batch.length === 1) batch[0].reject(error)
      else {
        await Promise.all(
          batch.map(async (entry) => {
            try {
              entry.resolve((await saveStepTransitions(this.db, [entry.change])).has(entry.change.executionId))
            } catch (alone) {
              entry.reject(alone)
            }
          }),
        )
      }
    } finally {
      this.inFlight--
      this.schedule()
    }
  }
}
