/**
 * Terminology (payments, the second lifecycle beside items):
 * - payment request: what the application asks to be paid — an amount to a recipient, once, on a
 *   schedule (Pix Agendado), or as a Pix Automático authorization (a mandate for future payments).
 * - payment intent: one attempt of a payer to fulfil a request (or to top up a bulk payment) at the
 *   bank they chose. A request has at most one intent in progress; a failed one can be followed by
 *   another.
 * - consent: the payer's authorization at their bank (Open Finance), awaited within a window.
 * - settlement: the Pix moving — pending at the bank, settling, debited from the payer, credited to
 *   the recipient.
 * - scheduled payment: one dated payment of a scheduled request.
 * - Pix Automático payment: one payment the recipient schedules under an authorization.
 * - bulk payment: several payment requests paid from a smart account, topped up by one intent.
 * - smart account: an account the client holds with Tributary, with a balance.
 * - smart transfer: a transfer between the payer's own accounts under a standing preauthorization.
 *
 * Every status list below is the reference client's, spelled and ordered as pluggy-sdk 0.90.0
 * declares it (dist/types/payments/*.d.ts).
 */

export const PAYMENT_REQUEST_STATUSES = [
  'CREATED',
  'IN_PROGRESS',
  'COMPLETED',
  'SCHEDULED',
  'WAITING_PAYER_AUTHORIZATION',
  'ERROR',
  'REFUND_IN_PROGRESS',
  'REFUNDED',
  'REFUND_ERROR',
  'EXPIRED',
  'AUTHORIZED',
  'CANCELED',
] as const
export type PaymentRequestStatus = (typeof PAYMENT_REQUEST_STATUSES)[number]

export const PAYMENT_INTENT_ERROR_STATUSES = ['PAYMENT_REJECTED', 'ERROR', 'CANCELED', 'CONSENT_REJECTED', 'EXPIRED'] as const
export type PaymentIntentErrorStatus = (typeof PAYMENT_INTENT_ERROR_STATUSES)[number]

export const PAYMENT_INTENT_STATUSES = [
  ...PAYMENT_INTENT_ERROR_STATUSES,
  'STARTED',
  'ENQUEUED',
  'CONSENT_AWAITING_AUTHORIZATION',
  'CONSENT_AUTHORIZED',
  'PAYMENT_PENDING',
  'PAYMENT_PARTIALLY_ACCEPTED',
  'PAYMENT_SETTLEMENT_PROCESSING',
  'PAYMENT_SETTLEMENT_DEBTOR_ACCOUNT',
  'PAYMENT_COMPLETED',
] as const
export type PaymentIntentStatus = (typeof PAYMENT_INTENT_STATUSES)[number]

export const SCHEDULED_PAYMENT_STATUSES = ['SCHEDULED', 'COMPLETED', 'ERROR', 'CANCELED'] as const
export type ScheduledPaymentStatus = (typeof SCHEDULED_PAYMENT_STATUSES)[number]

export const AUTOMATIC_PIX_PAYMENT_STATUSES = ['SCHEDULED', 'CREATED', 'COMPLETED', 'CANCELED', 'ERROR'] as const
export type AutomaticPixPaymentStatus = (typeof AUTOMATIC_PIX_PAYMENT_STATUSES)[number]

export const BULK_PAYMENT_STATUSES = ['CREATED', 'TOP_UP_STARTED', 'WAITING_PAYER_AUTHORIZATION', 'TOP_UP_IN_PROGRESS', 'PAYMENT_IN_PROGRESS', 'ERROR', 'COMPLETED'] as const
export type BulkPaymentStatus = (typeof BULK_PAYMENT_STATUSES)[number]

export const SMART_TRANSFER_PREAUTHORIZATION_STATUSES = ['CREATED', 'COMPLETED', 'REVOKED', 'REJECTED', 'ERROR'] as const
export type SmartTransferPreauthorizationStatus = (typeof SMART_TRANSFER_PREAUTHORIZATION_STATUSES)[number]

export const SMART_TRANSFER_PAYMENT_STATUSES = [
  'PAYMENT_REJECTED',
  'ERROR',
  'CANCELED',
  'CONSENT_REJECTED',
  'CONSENT_AUTHORIZED',
  'PAYMENT_PENDING',
  'PAYMENT_PARTIALLY_ACCEPTED',
  'PAYMENT_SETTLEMENT_PROCESSING',
  'PAYMENT_SETTLEMENT_DEBTOR_ACCOUNT',
  'PAYMENT_COMPLETED',
] as const
export type SmartTransferPaymentStatus = (typeof SMART_TRANSFER_PAYMENT_STATUSES)[number]

/** Final statuses of each lifecycle: nothing moves out of them (a payment request's retry is a new intent). */
export const FINAL_INTENT_STATUSES = [...PAYMENT_INTENT_ERROR_STATUSES, 'PAYMENT_COMPLETED'] as const satisfies readonly PaymentIntentStatus[]
export const FINAL_SCHEDULED_PAYMENT_STATUSES = ['COMPLETED', 'ERROR', 'CANCELED'] as const satisfies readonly ScheduledPaymentStatus[]

export function isFinalIntentStatus(status: PaymentIntentStatus): boolean {
  return (FINAL_INTENT_STATUSES as readonly string[]).includes(status)
}
export function isIntentErrorStatus(status: PaymentIntentStatus): status is PaymentIntentErrorStatus {
  return (PAYMENT_INTENT_ERROR_STATUSES as readonly string[]).includes(status)
}
export function isFinalScheduledPaymentStatus(status: ScheduledPaymentStatus): boolean {
  return (FINAL_SCHEDULED_PAYMENT_STATUSES as readonly string[]).includes(status)
}

/** Why a payment failed, in the shape of the reference's AutomaticPixPaymentErrorDetail. */
export interface PaymentErrorDetail {
  code: string
  description: string
  detail?: string
}
