import { sleepOn, type Clock, type Timer } from './clock.ts'

interface PendingTimer {
  id: number
  at: number
  /** Set for an interval: its period in ms. */
  every?: number
  callback: () => void
}

/** Lets callbacks and the promise chains they start run before the next timer fires. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve))

/**
 * A clock whose time moves only when a test moves it — the engine's deadlines, schedules and
 * retries then happen at once instead of in minutes or days, and "nothing happened" is proven by
 * moving time past the moment it would have happened.
 *
 * `advance()` moves time forward and fires every timer that falls due on the way, in order, each
 * at its own due time (so a callback reads the time it was due at). An interval fires once per
 * `advance()`, at its last due time on the way: moving a day does not replay every 30-second pass
 * of the day, just as a process suspended for a day would not. A timer of 0 ms or less fires on
 * the next turn of the event loop without waiting for `advance()`.
 */
export class ManualClock implements Clock {
  private current: number
  private timers: PendingTimer[] = []
  private nextId = 1

  constructor(start: Date = new Date()) {
    this.current = start.getTime()
  }

  now(): Date {
    return new Date(this.current)
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, ms, signal)
  }

  setTimeout(callback: () => void, ms: number): Timer {
    if (!(ms > 0)) {
      const immediate = setImmediate(callback)
      return { cancel: () => clearImmediate(immediate) }
    }
    return this.add({ at: this.current + ms, callback })
  }

  setInterval(callback: () => void, ms: number): Timer {
    const every = Math.max(1, ms)
    return this.add({ at: this.current + every, every, callback })
  }

  /** Timers waiting for time to move (for a test that wants to know what is scheduled). */
  get pendingTimers(): number {
    return this.timers.length
  }

  /** When the earliest timer that is not an interval falls due (say, a step waiting on the clock), if any. */
  nextTimeoutAt(): Date | undefined {
    const ats = this.timers.filter((t) => t.every === undefined).map((t) => t.at)
    return ats.length > 0 ? new Date(Math.min(...ats)) : undefined
  }

  /** Moves time forward by `ms`, firing what falls due on the way; resolves once they ran. */
  async advance(ms: number): Promise<void> {
    if (ms < 0) throw new Error('a clock does not move backwards')
    await this.advanceTo(new Date(this.current + ms))
  }

  /** Moves time forward to `target` (see {@link advance}). */
  async advanceTo(target: Date): Promise<void> {
    const end = target.getTime()
    if (end < this.current) throw new Error(`cannot move the clock back from ${this.now().toISOString()} to ${target.toISOString()}`)
    const firedIntervals = new Set<number>()
    await settle()
    for (;;) {
      const due = this.timers
        .filter((t) => t.at <= end && !(t.every !== undefined && firedIntervals.has(t.id)))
        .map((t) => ({ timer: t, fireAt: t.every === undefined ? t.at : t.at + Math.floor((end - t.at) / t.every) * t.every }))
        .sort((a, b) => a.fireAt - b.fireAt || a.timer.id - b.timer.id)[0]
      if (!due) break
      const { timer, fireAt } = due
      this.current = Math.max(this.current, fireAt)
      if (timer.every === undefined) this.timers = this.timers.filter((t) => t !== timer)
      else {
        timer.at = fireAt + timer.every
        firedIntervals.add(timer.id)
      }
      timer.callback()
      await settle()
    }
    this.current = end
    await settle()
  }

  private add(timer: Omit<PendingTimer, 'id'>): Timer {
    const entry = { ...timer, id: this.nextId++ }
    this.timers.push(entry)
    return { cancel: () => (this.timers = this.timers.filter((t) => t !== entry)) }
  }
}
