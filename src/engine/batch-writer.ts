/**
 * Writes changes of the executions running in this process, many to a statement. A change waits
 * for no timer: it is written at the next turn of the event loop, and while `maxInFlight` writes
 * are under way the changes that arrive meanwhile go together in the next one. Idle, a change
 * costs one write as before; with thousands of executions in flight, hundreds share one.
 */
export abstract class BatchWriter<T, R = boolean> {
  private pending: { change: T; resolve(result: R): void; reject(error: unknown): void }[] = []
  private inFlight = 0
  private scheduled = false

  constructor(private readonly options: { maxInFlight: number; maxBatch: number }) {}

  /** Writes the changes; returns each one's result, in order. */
  protected abstract write(changes: T[]): Promise<R[]>

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

  private async flush(): Promise<void> {
    if (this.inFlight >= this.options.maxInFlight) return
    const batch = this.pending.splice(0, this.options.maxBatch)
    if (batch.length === 0) return
    this.inFlight++
    this.schedule()
    try {
      const results = await this.write(batch.map((entry) => entry.change))
      batch.forEach((entry, i) => entry.resolve(results[i]))
    } catch (error) {
      // One change the database refuses (or a lost connection) must not fail the changes it shared
      // a write with: each is tried again alone, and only its own error reaches its execution.
      if (batch.length === 1) batch[0].reject(error)
      else {
        await Promise.all(
          batch.map(async (entry) => {
            try {
              entry.resolve((await this.write([entry.change]))[0])
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
