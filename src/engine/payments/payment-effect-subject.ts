import type { PaymentEventSubject } from '../../domain/payments/webhook-events.ts'
import type { PaymentSubjectKind } from '../../store/payments/payment-execution.ts'

/**
 * The entity a list of effects is about (the one whose transition produced them), with the ids
 * its events name. `entity` says which of the ids is the subject: CHECK_AT arms a timer for it,
 * MOVE_FUNDS moves its money, START_PAYMENTS / CANCEL_PENDING_PAYMENTS act on its payments.
 */
export interface PaymentEffectSubject extends PaymentEventSubject {
  entity: PaymentSubjectKind
}
