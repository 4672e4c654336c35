import { createHash } from 'node:crypto'
import { canonicalJson } from '../../domain/canonical-json.ts'
import type { FieldProblem, Validated } from '../../domain/payments/field-problem.ts'
import { idempotencyDecision, type IdempotentOperation } from '../../domain/payments/idempotency.ts'
import type { PaymentEventSubject } from '../../domain/payments/webhook-events.ts'
import type { PaymentEffect } from '../../domain/payments/transition.ts'
import type { applyPaymentEffects } from '../../engine/payments/payment-effects.ts'
import { Refusal } from '../../engine/refusal.ts'
import type { Queryable } from '../../store/database.ts'
import type { NewEvent } from '../../store/events.ts'
import { claimIdempotencyKey, findIdempotencyKey } from '../../store/payments/idempotency-keys.ts'
import { paymentEvent } from '../../store/payments/payment-events.ts'

/**
 * What the payment API's calls share: idempotency keys of the creating calls, refusals that name
 * the fields the domain's validators refused, and the split of a transition's effects into the
 * events its guarded write carries and the work the engine's applyPaymentEffects does.
 */

/** Refuses a body whose fields the payment validators refused, naming each one. */
export function refuseProblems(problems: FieldProblem[]): never {
  throw new Refusal('bad_request', 'VALIDATION_ERROR', `The request is not valid: ${problems.map((p) => p.message).join(' ')}`, {
    details: problems.map((p) => ({ parameter: `body.${p.field}`, message: p.message })),
  })
}

/** The value a validator answered, or undefined with its problems added to `problems`. */
export function checked<T>(result: Validated<T>, problems: FieldProblem[]): T | undefined {
  if (result.ok) return result.value
  problems.push(...result.problems)
  return undefined
}

export interface CreationKey {
  clientId: string
  operation: IdempotentOperation
  /** The Idempotency-Key the call came with; null: the call is not deduplicated. */
  key: string | null
  /** What the hash covers: the body, and the path's ids when the route has some. */
  body: unknown
  /** The id the resource gets if this call creates it. */
  resourceId: string
  at: Date
}

/**
 * Claims a creating call's key inside the transaction that creates the resource: `create` when
 * this call is the first with the key (or has none), the first call's resource id when the same
 * key came with the same body; another body is a conflict. The claim goes with the transaction:
 * rolled back, the key is free again.
 */
export async function claimCreation(tx: Queryable, creation: CreationKey): Promise<{ create: true } | { create: false; resourceId: string }> {
  if (creation.key === null) return { create: true }
  const requestHash = createHash('sha256').update(canonicalJson(creation.body)).digest('hex')
  const claim = await claimIdempotencyKey(tx, { clientId: creation.clientId, operation: creation.operation, key: creation.key, requestHash, resourceId: creation.resourceId, at: creation.at })
  if (claim.claimed) return { create: true }
  // Claimed by a transaction that committed while this one waited: its record is readable now.
  const record = claim.record ?? (await findIdempotencyKey(tx, creation.clientId, creation.operation, creation.key))
  const decision = idempotencyDecision(record, requestHash)
  switch (decision.action) {
    case 'CREATE':
      return { create: true }
    case 'REPLAY':
      return { create: false, resourceId: decision.resourceId }
    case 'CONFLICT':
      throw new Refusal('conflict', 'IDEMPOTENCY_KEY_REUSED', `The Idempotency-Key "${creation.key}" was used for another ${creation.operation} call with a different body; use a new key for a new resource.`)
  }
}

/** The events a transition's EMIT effects write, about `subject` (each EMIT's status, when it has one). */
export function emittedEvents(effects: readonly PaymentEffect[], subject: PaymentEventSubject, at: Date): NewEvent[] {
  return effects.flatMap((effect) => (effect.type === 'EMIT' ? [paymentEvent(effect.event, effect.status === undefined ? subject : { ...subject, status: effect.status }, at)] : []))
}

/** The effects besides EMIT: the engine's work (timers, funds, payments started or ended). */
export function engineEffects(effects: readonly PaymentEffect[]): PaymentEffect[] {
  return effects.filter((effect) => effect.type !== 'EMIT')
}

/**
 * The engine's applyPaymentEffects (src/engine/payments/payment-effects.ts): performs a saved
 * transition's effects in the caller's transaction. Passed in, so that a service runs the engine's
 * one implementation without owning it.
 */
export type ApplyPaymentEffects = typeof applyPaymentEffects

/** A key as clients make them (a UUID, a hash, a few words joined): printable, without spaces. */
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/

/** The key of a creating call (`Idempotency-Key`, or `X-Idempotency-Key`); null when none was sent. */
export function creationKeyOf(headers: Record<string, string | string[] | undefined>): string | null {
  const raw = headers['idempotency-key'] ?? headers['x-idempotency-key']
  const key = Array.isArray(raw) ? raw[0] : raw
  if (key === undefined) return null
  if (!KEY_PATTERN.test(key)) {
    throw new Refusal('bad_request', 'IDEMPOTENCY_KEY_INVALID', 'The Idempotency-Key header must be 1 to 255 printable characters without spaces (a UUID is a good key).')
  }
  return key
}
