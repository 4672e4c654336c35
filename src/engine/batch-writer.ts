import { DatabaseUnavailable, untilDatabaseAnswers } from '../store/database-errors.ts'

export interface BatchWriterOptions {
  maxInFlight: number
  maxBatch: number
  /** How long a write waits for a database that cannot be reached before it fails. */
  outageWindowMs: number
}

/**
 * Writes changes of the executions running in this process, many to a statement. A change waits
 * for no timer: it is written at the next turn of the event loop, and while `maxInFlight` writes
 * are under way the changes that arrive meanwhile go together in the next one. Idle, a change
 * costs one write as before; with thousands of executions in flight, hundreds share one.
 *
 * A write that fails for want of the database is tried again until it answers (for up to
 * `outageWindowMs`): an execution keeps its place through a restart of the database. Since a
 * write whose answer was lost may have committed, a change refused after such a retry is checked
 * against what the database holds ({@link confirm}).
 */
export abstract class BatchWriter<T, R = boolean> {
  private pending: { change: T; resolve(result: R): void; reject(error: unknown): void }[] = []
  private inFlight = 0
  private scheduled = false

  constructor(private readonly options: BatchWriterOptions) {}

  /** Writes the changes; returns each one's result, in order. */
  protected abstract write(changes: T[]): Promise<R[]>

  /**
   * After a write was retried, turns the results of changes the database refused into what it
   * holds: a change the lost first try saved is refused by its own guard the second time.
   */
  protected confirm(_changes: T[], results: R[]): Promise<R[]> {
    return Promise.resolve(results)
  }

  /** The change's result once written (with its batch, or alone after the batch failed). */
  save(change: T): Promise<R> {
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

  /** Writes `changes`, through an outage if need be. */
  private async writeThrough(changes: T[]): Promise<R[]> {
    let retried = false
    const results = await untilDatabaseAnswers(() => this.write(changes), { windowMs: this.options.outageWindowMs, onRetry: () => (retried = true) })
    return retried ? this.confirm(changes, results) : results
  }

  private async flush(): Promise<void> {
    if (this.inFlight >= this.options.maxInFlight) return
    const batch = this.pending.splice(0, this.options.maxBatch)
    if (batch.length === 0) return
    this.inFlight++
    this.schedule()
    try {
      const results = await this.writeThrough(batch.map((entry) => entry.change))
      batch.forEach((entry, i) => entry.resolve(results[i]))
    } catch (error) {
      // One change the database refuses must not fail the changes it shared a write with: each is
      // tried again alone, and only its own error reaches its execution. An outage that outlasted
      // the window fails them all.
      if (batch.length === 1 || error instanceof DatabaseUnavailable) for (const entry of batch) entry.reject(error)
      else {
        await Promise.all(
          batch.map(async (entry) => {
            try {
              entry.resolve((await this.writeThrough([entry.change]))[0])
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
