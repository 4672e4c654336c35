import { createHash } from 'node:crypto'
import type { PoolClient } from 'pg'
import { canonicalJson } from '../../domain/canonical-json.ts'
import { idempotencyDecision, type IdempotentOperation } from '../../domain/payments/idempotency.ts'
import { Refusal } from '../../engine/refusal.ts'
import { claimIdempotencyKey, findIdempotencyKey } from '../../store/payments/idempotency-keys.ts'

/** A key as clients make them (a UUID, a hash, a few words joined): printable, without spaces. */
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/

/** The key of a creating call: `Idempotency-Key`, or `X-Idempotency-Key`; undefined when none was sent. */
export function idempotencyKeyOf(headers: Record<string, string | string[] | undefined>): string | undefined {
  const raw = headers['idempotency-key'] ?? headers['x-idempotency-key']
  const key = Array.isArray(raw) ? raw[0] : raw
  if (key === undefined) return undefined
  if (!KEY_PATTERN.test(key)) {
    throw new Refusal('bad_request', 'IDEMPOTENCY_KEY_INVALID', 'The Idempotency-Key header must be 1 to 255 printable characters without spaces (a UUID is a good key).')
  }
  return key
}

/**
 * Claims `key` for a creating call in the transaction that creates the resource (docs/payments.md,
 * Idempotency): undefined when this call creates it (as `resourceId`), or the id of the resource
 * the first call with the same key and body created. The same key with another body is a 409.
 */
export async function claimCreation(
  tx: PoolClient,
  claim: { clientId: string; operation: IdempotentOperation; key: string | undefined; body: unknown; resourceId: string; at: Date },
): Promise<string | undefined> {
  if (claim.key === undefined) return undefined
  const requestHash = createHash('sha256').update(canonicalJson(claim.body)).digest('hex')
  const claimed = await claimIdempotencyKey(tx, { clientId: claim.clientId, operation: claim.operation, key: claim.key, requestHash, resourceId: claim.resourceId, at: claim.at })
  if (claimed.claimed) return undefined
  const recorded = claimed.record ?? (await findIdempotencyKey(tx, claim.clientId, claim.operation, claim.key))
  const decision = idempotencyDecision(recorded, requestHash)
  if (decision.action === 'REPLAY') return decision.resourceId
  throw new Refusal('conflict', 'IDEMPOTENCY_KEY_REUSED', `The Idempotency-Key "${claim.key}" was used for another ${claim.operation} body; use a new key for a new request.`)
}
