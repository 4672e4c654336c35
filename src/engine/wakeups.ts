import { EventEmitter } from 'node:events'
import type { Clock } from '../time/clock.ts'

/** The wake-up of an execution waiting for its MFA value. */
export const mfaWakeupKey = (executionId: string) => `mfa:${executionId}`
/** The wake-up that stops an execution (its item was deleted). */
/** The wake-up of an execution waiting for the user to come back from the institution's page. */
export const userActionWakeupKey = (executionId: string) => `user-action:${executionId}`
export const cancelWakeupKey = (executionId: string) => `cancel:${executionId}`

/**
 * Wakes a waiting execution when something it waits for changed (an MFA value arrived, the item
 * was deleted). Only a hint: the waiter always re-reads the database, and polls when no hint
 * arrives, so a lost wake-up costs latency, never correctness.
 */
export class Wakeups {
  private readonly emitter = new EventEmitter().setMaxListeners(0)

  constructor(private readonly clock: Clock) {}

  notify(key: string): void {
    this.emitter.emit(key)
  }

  /** Resolves on `notify(key)` or after `timeoutMs`, whichever comes first; never rejects. */
  wait(key: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        timer.cancel()
        this.emitter.off(key, done)
        signal?.removeEventListener('abort', done)
        resolve()
      }
      const timer = this.clock.setTimeout(done, timeoutMs)
      this.emitter.once(key, done)
      signal?.addEventListener('abort', done, { once: true })
    })
  }
}
