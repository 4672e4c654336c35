import { createHash } from 'node:crypto'
import type { Pool } from 'pg'
import { untilDatabaseAnswers } from '../store/database-errors.ts'
import { claimIdempotencyKey, recordIdempotentAnswer, releaseIdempotencyKey, type IdempotencyRecord } from '../store/idempotency-keys.ts'
import type { Clock } from '../time/clock.ts'

/** How long a key holds its answer, as documented (docs/operations.md). */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 3_600_000
/**
 * A key whose request is still unanswered after this long was left by a process that ended in the
 * middle of it: the request may be sent again with it (and may then do its work a second time).
 */
export const IDEMPOTENCY_KEY_ABANDONED_MS = 60_000

/** A request as far as its idempotency key is concerned. */
export interface IdempotentRequest {
  clientId: string
  key: string
  method: string
  route: string
  params: unknown
  body: unknown
}

export type IdempotencyClaim = { kind: 'claimed' } | { kind: 'replay'; statusCode: number; answer: unknown } | { kind: 'other-request' } | { kind: 'in-progress' }

/** Idempotency keys of the state-changing calls: claimed before the work, answered after it. */
export class IdempotencyService {
  constructor(
    private readonly db: Pool,
    private readonly clock: Clock,
  ) {}

  async claim(request: IdempotentRequest): Promise<IdempotencyClaim> {
    const at = this.clock.now()
    const fingerprint = fingerprintOf(request)
    const result = await claimIdempotencyKey(this.db, {
      clientId: request.clientId,
      key: request.key,
      fingerprint,
      at,
      expiredBefore: new Date(at.getTime() - IDEMPOTENCY_KEY_TTL_MS),
      abandonedBefore: new Date(at.getTime() - IDEMPOTENCY_KEY_ABANDONED_MS),
    })
    if (result.claimed) return { kind: 'claimed' }
    return classify(result.record, fingerprint)
  }

  async answered(request: Pick<IdempotentRequest, 'clientId' | 'key'>, statusCode: number, answer: unknown): Promise<void> {
    await recordIdempotentAnswer(this.db, { clientId: request.clientId, key: request.key, statusCode, answer })
  }

  /**
   * Frees the key of a request that failed on the server's side. Often the database itself is
   * away: the key is then freed as soon as it is back (meanwhile the request sent again is told
   * to wait), without holding the answer back.
   */
  release(request: Pick<IdempotentRequest, 'clientId' | 'key'>, onGiveUp: (error: unknown) => void): void {
    untilDatabaseAnswers(() => releaseIdempotencyKey(this.db, { clientId: request.clientId, key: request.key }), { windowMs: IDEMPOTENCY_KEY_ABANDONED_MS }).catch(onGiveUp)
  }
}

function classify(record: IdempotencyRecord | null, fingerprint: string): IdempotencyClaim {
  if (record === null) return { kind: 'in-progress' }
  if (record.fingerprint !== fingerprint) return { kind: 'other-request' }
  if (record.statusCode === null) return { kind: 'in-progress' }
  return { kind: 'replay', statusCode: record.statusCode, answer: record.answer }
}

/** The same call: same method, route, parameters and body (keys in any order). */
function fingerprintOf(request: IdempotentRequest): string {
  return createHash('sha256')
    .update(JSON.stringify([request.method, request.route, canonical(request.params), canonical(request.body)]))
    .digest('hex')
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical)
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    )
  return value ?? null
}
