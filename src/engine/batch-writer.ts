/**
 * Writes changes of the executions running in this process, many to a statement. A change waits
 * for no timer: it is written at the next turn of the event loop, and while `maxInFlight` writes
 * are under way the changes that arrive meanwhile go together in the next one. Idle, a change
 * costs one write as before; with thousands of executions in flight, hundreds share one.
 */
export abstract class BatchWriter<T> {
  private pending: { change: T; resolve(saved: boolean): void; reject(error: unknown): void }[] = []
  private inFlight = 0
  private scheduled = false

  constructor(private readonly options: { maxInFlight: number; maxBatch: number }) {}

  /** Writes the changes; returns the keys of those saved (the others' guard failed). */
  protected abstract write(changes: T[]): Promise<Set<string>>
  protected abstract keyOf(change: T): string

  /** True when the change was saved; false when its guard failed (the item was deleted, or the execution taken over). */
  save(change: T): Promise<boolean> {
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
      const saved = await this.write(batch.map((entry) => entry.change))
      for (const entry of batch) entry.resolve(saved.has(this.keyOf(entry.change)))
    } catch (error) {
      // One change the database refuses (or a lost connection) must not fail the changes it shared
      // a write with: each is tried again alone, and only its own error reaches its execution.
      if (batch.length === 1) batch[0].reject(error)
      else {
        await Promise.all(
          batch.map(async (entry) => {
            try {
              entry.resolve((await this.write([entry.change])).has(this.keyOf(entry.change)))
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
