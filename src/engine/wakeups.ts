import { EventEmitter } from 'node:events'

/**
 * Wakes a waiting execution when something it waits for changed (an MFA value arrived, the item
 * was deleted). Only a hint: the waiter always re-reads the database, and polls when no hint
 * arrives, so a lost wake-up costs latency, never correctness.
 */
export class Wakeups {
  private readonly emitter = new EventEmitter().setMaxListeners(0)

  notify(key: string): void {
    this.emitter.emit(key)
  }

  /** Resolves on `notify(key)` or after `timeoutMs`, whichever comes first; never rejects. */
  wait(key: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer)
        this.emitter.off(key, done)
        signal?.removeEventListener('abort', done)
        resolve()
      }
      const timer = setTimeout(done, timeoutMs)
      this.emitter.once(key, done)
      signal?.addEventListener('abort', done, { once: true })
    })
  }
}
