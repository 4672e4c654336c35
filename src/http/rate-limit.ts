import type { FastifyReply } from 'fastify'
import { Refusal } from '../engine/refusal.ts'

/**
 * A fixed-window request counter per key, in this process's memory. Behind several API processes
 * each counts its own share; the limits are a brake on abuse, not an exact quota.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>()
  private lastPrune = 0

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one request for `key`; sets the RateLimit headers; throws a 429 refusal past the limit. */
  take(key: string, reply: FastifyReply, what: string): void {
    const now = this.now()
    this.prune(now)
    let window = this.windows.get(key)
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + this.windowMs }
      this.windows.set(key, window)
    }
    window.count++
    const resetSeconds = Math.max(1, Math.ceil((window.resetAt - now) / 1000))
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

  private prune(now: number): void {
    if (now - this.lastPrune < this.windowMs) return
    this.lastPrune = now
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key)
  }
}
