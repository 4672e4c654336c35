import type { FieldProblem, Validated } from '../../domain/payments/field-problem.ts'
import type { PaymentEventSubject } from '../../domain/payments/webhook-events.ts'
import type { PaymentEffect } from '../../domain/payments/transition.ts'
import type { applyPaymentEffects } from '../../engine/payments/payment-effects.ts'
import { Refusal } from '../../engine/refusal.ts'
import type { NewEvent } from '../../store/events.ts'
import { paymentEvent } from '../../store/payments/payment-events.ts'

/**
 * What the payment API's calls share: refusals that name the fields the domain's validators
 * refused, and the split of a transition's effects into the events its guarded write carries and
 * the work the engine's applyPaymentEffects does. (Idempotency keys: payment-idempotency.ts.)
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
