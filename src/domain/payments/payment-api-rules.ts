import type { BulkPaymentState } from './bulk-payment.ts'
import { createdBulkPayment } from './bulk-payment.ts'
import { createdRequest, type PaymentRequestState, type RequestKind } from './payment-request.ts'
import type { PaymentRequestStatus } from './statuses.ts'

/**
 * The rules the payment API checks before it asks the store for a change, so that a refusal can
 * say why: which requests may join a bulk payment, when a bulk payment may be deleted, which
 * requests have scheduled payments or Pix Automático payments.
 */

/** A bulk payment pays one-off requests that nobody started paying: of this kind, in this status. */
export const BULK_MEMBER: { kind: RequestKind; status: PaymentRequestStatus } = { kind: 'ONE_OFF', status: createdRequest('ONE_OFF').status }

/** A new bulk payment's status. */
export const NEW_BULK_STATUS = createdBulkPayment([]).status

/** Why a request cannot join a bulk payment (undefined when it can). */
export function bulkMembershipRefusal(state: PaymentRequestState): string | undefined {
  if (state.kind !== BULK_MEMBER.kind) return `it is a ${state.kind} request; a bulk payment pays one-off requests only`
  if (state.inBulk) return 'it already belongs to a bulk payment'
  if (state.intentInProgress || state.status !== BULK_MEMBER.status) return `it is ${state.status}; only requests nobody started paying (${BULK_MEMBER.status}) join a bulk payment`
  return undefined
}

/**
 * Why a bulk payment cannot be deleted now (undefined when it can): only before its top-up
 * started, or after a top-up that failed before any request was paid — never while money moves.
 */
export function bulkDeletionRefusal(state: BulkPaymentState): string | undefined {
  if (state.intentInProgress) return 'Its top-up is under way; wait until it finishes.'
  const untouched = state.requests.every((r) => r.payment === 'PENDING')
  if ((state.status === 'CREATED' || state.status === 'ERROR') && untouched) return undefined
  return `It is ${state.status}: the smart account was topped up and its requests are being paid, or were.`
}

/** Requests that have scheduled payments (Pix Agendado). */
export function hasScheduledPayments(kind: RequestKind): boolean {
  return kind === 'SCHEDULED'
}

/** Requests that are Pix Automático authorizations. */
export function isAutomaticPixAuthorization(kind: RequestKind): boolean {
  return kind === 'AUTOMATIC_PIX'
}

/** The status a Pix Automático authorization takes payments in. */
export const AUTHORIZATION_IN_FORCE: PaymentRequestStatus = 'AUTHORIZED'
