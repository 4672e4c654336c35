import type { FastifyReply } from 'fastify'
import { Refusal } from '../engine/refusal.ts'
import type { Queryable } from '../store/database.ts'
import { countRequest, deleteEndedRateWindows } from '../store/rate-limit-windows.ts'

/** Where a limiter counts: this process's memory, or the database every API process shares. */
export interface RateWindows {
  /** Counts one request for `key` in its window (a new one of `windowMs` once the last ended). */
  count(key: string, nowMs: number, windowMs: number): Promise<{ count: number; resetAtMs: number }>
}

/** Windows in this process's memory: for one process (the embedded database). */
export class MemoryRateWindows implements RateWindows {
  private readonly windows = new Map<string, { count: number; resetAtMs: number }>()
  private lastPrune = 0

  async count(key: string, nowMs: number, windowMs: number): Promise<{ count: number; resetAtMs: number }> {
    if (nowMs - this.lastPrune >= windowMs) {
      this.lastPrune = nowMs
      for (const [k, window] of this.windows) if (window.resetAtMs <= nowMs) this.windows.delete(k)
    }
    let window = this.windows.get(key)
    if (!window || window.resetAtMs <= nowMs) this.windows.set(key, (window = { count: 0, resetAtMs: nowMs + windowMs }))
    window.count++
    return { ...window }
  }
}

/**
 * Windows in the database: every API process behind a load balancer counts against the same
 * limit, so adding processes does not multiply what a client (or an address guessing a secret)
 * may send.
 */
export class DatabaseRateWindows implements RateWindows {
  private lastPrune = 0

  constructor(private readonly db: Queryable) {}

  async count(key: string, nowMs: number, windowMs: number): Promise<{ count: number; resetAtMs: number }> {
    if (nowMs - this.lastPrune >= windowMs) {
      this.lastPrune = nowMs
      // Housekeeping: a failure only leaves ended windows for the next pass.
      deleteEndedRateWindows(this.db, new Date(nowMs)).catch(() => {})
    }
    const { count, resetAt } = await countRequest(this.db, key, new Date(nowMs), new Date(nowMs + windowMs))
    return { count, resetAtMs: resetAt.getTime() }
  }
}

/** A fixed-window request counter per key; `name` keeps its keys apart from other limiters'. */
export class RateLimiter {
  private readonly keyPrefix: string
  private readonly windows: RateWindows
  private readonly now: () => number

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    options: { name?: string; windows?: RateWindows; now?: () => number } = {},
  ) {
    this.keyPrefix = `${options.name ?? ''}|`
    this.windows = options.windows ?? new MemoryRateWindows()
    this.now = options.now ?? Date.now
  }

  /** Counts one request for `key`; sets the RateLimit headers; throws a 429 refusal past the limit. */
  async take(key: string, reply: FastifyReply, what: string): Promise<void> {
    const now = this.now()
    const window = await this.windows.count(this.keyPrefix + key, now, this.windowMs)
    const resetSeconds = Math.max(1, Math.ceil((window.resetAtMs - now) / 1000))
    const headers = {
      'RateLimit-Limit': String(this.limit),
      'RateLimit-Remaining': String(Math.max(0, this.limit - window.count)),
      'RateLimit-Reset': String(resetSeconds),
    }
    if (window.count > this.limit) {
      throw new Refusal('too_many_requests', 'RATE_LIMIT_EXCEEDED', `Too many ${what}: at most ${this.limit} every ${this.windowMs / 1000} s. Retry after ${resetSeconds} s.`, {
        headers: { ...headers, 'Retry-After': String(resetSeconds) },
      })
    }
    reply.headers(headers)
  }
}
