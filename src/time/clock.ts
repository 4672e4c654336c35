/**
 * The engine's source of time. It owns both reading the time and waiting for it: every deadline,
 * timeout, retry schedule and periodic pass of the engine is a timer of the clock, so a test can
 * replace it with a {@link ManualClock} and move time instead of sleeping.
 *
 * What does not go through the clock: waits that are about the machinery rather than about the
 * lifecycle (reconnecting to the database, the live stream's poll, the queue's own restarts).
 */
export interface Clock {
  now(): Date
  /** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
  /** Calls `callback` once after `ms`; the timer never keeps the process alive. */
  setTimeout(callback: () => void, ms: number): Timer
  /** Calls `callback` every `ms`; the timer never keeps the process alive. */
  setInterval(callback: () => void, ms: number): Timer
}

export interface Timer {
  cancel(): void
}

/** Sleeps on any clock's timers: the one implementation of `sleep`, shared by every clock. */
export function sleepOn(clock: Pick<Clock, 'setTimeout'>, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const onAbort = () => {
      timer.cancel()
      reject(signal?.reason)
    }
    const timer = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms, signal) => sleepOn(systemClock, ms, signal),
  setTimeout(callback, ms) {
    const timer = setTimeout(callback, ms)
    timer.unref()
    return { cancel: () => clearTimeout(timer) }
  },
  setInterval(callback, ms) {
    const timer = setInterval(callback, ms)
    timer.unref()
    return { cancel: () => clearInterval(timer) }
  },
}
