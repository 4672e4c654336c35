import { assertNever } from '../statuses.ts'
import type { IntentKind } from './payment-intent.ts'
import { isFinalIntentStatus, isFinalScheduledPaymentStatus, type PaymentIntentStatus, type PaymentRequestStatus, type ScheduledPaymentStatus } from './statuses.ts'
import { accept, emit, refuse, type PaymentEffect, type Transition } from './transition.ts'
import { NOTIFIED_REQUEST_STATUSES } from './webhook-events.ts'

/** A one-off request, a scheduled one (Pix Agendado), or a Pix Automático authorization. */
export const REQUEST_KINDS = ['ONE_OFF', 'SCHEDULED', 'AUTOMATIC_PIX'] as const
export type RequestKind = (typeof REQUEST_KINDS)[number]

/** The kind of intent that pays each kind of request. */
export const INTENT_KIND_OF: Record<RequestKind, IntentKind> = { ONE_OFF: 'PAYMENT', SCHEDULED: 'SCHEDULE', AUTOMATIC_PIX: 'AUTOMATIC_PIX' }

export interface PaymentRequestState {
  status: PaymentRequestStatus
  kind: RequestKind
  /** Paid from a bulk payment's smart account rather than by an intent of its own. */
  inBulk: boolean
  /** An intent of this request is not finished: at most one is, at any time. */
  intentInProgress: boolean
}

export type PaymentRequestEvent =
  /** A payer started an intent for this request. */
  | { type: 'INTENT_STARTED' }
  /** The request's intent moved: the request follows it. */
  | { type: 'INTENT_MOVED'; status: PaymentIntentStatus }
  /** The bulk payment holding this request started paying it from its smart account. */
  | { type: 'BULK_PAYMENT_STARTED' }
  | { type: 'PAID_FROM_SMART_ACCOUNT' }
  | { type: 'SMART_ACCOUNT_PAYMENT_FAILED' }
  /** Every scheduled payment of the request is finished; `statuses` are theirs. */
  | { type: 'SCHEDULED_PAYMENTS_FINISHED'; statuses: ScheduledPaymentStatus[] }
  /** The client canceled the schedule's pending payments, or the payer revoked the consent at the bank. */
  | { type: 'SCHEDULES_CANCELED' }
  /** The client canceled the Pix Automático authorization, or the payer revoked it at the bank. */
  | { type: 'AUTHORIZATION_CANCELED' }
  /** The Pix Automático authorization reached its `expiresAt`. */
  | { type: 'AUTHORIZATION_EXPIRED' }

/** Statuses from which a payer may start (another) intent: nothing was paid or authorized yet. */
export const PAYABLE_REQUEST_STATUSES = ['CREATED', 'ERROR'] as const satisfies readonly PaymentRequestStatus[]
const INTENT_SHOWN: readonly PaymentRequestStatus[] = ['IN_PROGRESS', 'WAITING_PAYER_AUTHORIZATION']

export function createdRequest(kind: RequestKind, inBulk = false): PaymentRequestState {
  return { status: 'CREATED', kind, inBulk, intentInProgress: false }
}

/**
 * The reference's rule that a payment request follows its latest intent. While the intent runs the
 * request is IN_PROGRESS, or WAITING_PAYER_AUTHORIZATION when the payer must act. A completed
 * intent completes a one-off request, starts a scheduled one's payments (SCHEDULED) and puts a Pix
 * Automático mandate in force (AUTHORIZED). An intent that ended before the payer's bank accepted
 * anything (rejected, expired, canceled) returns the request to CREATED, to be paid again — as the
 * reference documents for an authorization that timed out; a payment the bank rejected or that
 * failed leaves it in ERROR, from which a new intent may start too.
 */
export function requestStatusFollowing(kind: RequestKind, intent: PaymentIntentStatus): PaymentRequestStatus {
  switch (intent) {
    case 'STARTED':
    case 'ENQUEUED':
    case 'CONSENT_AUTHORIZED':
    case 'PAYMENT_PENDING':
    case 'PAYMENT_SETTLEMENT_PROCESSING':
    case 'PAYMENT_SETTLEMENT_DEBTOR_ACCOUNT':
      return 'IN_PROGRESS'
    case 'CONSENT_AWAITING_AUTHORIZATION':
    case 'PAYMENT_PARTIALLY_ACCEPTED':
      return 'WAITING_PAYER_AUTHORIZATION'
    case 'PAYMENT_COMPLETED':
      return kind === 'ONE_OFF' ? 'COMPLETED' : kind === 'SCHEDULED' ? 'SCHEDULED' : 'AUTHORIZED'
    case 'CONSENT_REJECTED':
    case 'EXPIRED':
    case 'CANCELED':
      return 'CREATED'
    case 'PAYMENT_REJECTED':
    case 'ERROR':
      return 'ERROR'
    default:
      return assertNever(intent)
  }
}

/** Moves to `status`, telling the application with payment_request/updated when it is one the reference reports. */
function moveTo(state: PaymentRequestState, status: PaymentRequestStatus, extra: Partial<PaymentRequestState> = {}, effects: PaymentEffect[] = []): Transition<PaymentRequestState> {
  const notify = status !== state.status && (NOTIFIED_REQUEST_STATUSES as readonly string[]).includes(status)
  return accept({ ...state, ...extra, status }, notify ? [...effects, emit('payment_request/updated', status)] : effects)
}

/** The payment-request lifecycle as a pure function; illegal moves are refused, never applied. */
export function transitionRequest(state: PaymentRequestState, event: PaymentRequestEvent): Transition<PaymentRequestState> {
  const no = (why?: string) => refuse<PaymentRequestState>('payment request', event, state.status, why)
  switch (event.type) {
    case 'INTENT_STARTED':
      if (state.inBulk) return no('it is paid by its bulk payment')
      if (state.intentInProgress) return no('another intent is in progress')
      if (!(PAYABLE_REQUEST_STATUSES as readonly string[]).includes(state.status)) return no()
      return moveTo(state, 'IN_PROGRESS', { intentInProgress: true })
    case 'INTENT_MOVED': {
      if (!state.intentInProgress) return no('no intent is in progress')
      const status = requestStatusFollowing(state.kind, event.status)
      const started = event.status === 'PAYMENT_COMPLETED' && state.kind !== 'ONE_OFF'
      return moveTo(state, status, { intentInProgress: !isFinalIntentStatus(event.status) }, started ? [{ type: 'START_PAYMENTS' }] : [])
    }
    case 'BULK_PAYMENT_STARTED':
      return state.inBulk && state.status === 'CREATED' ? moveTo(state, 'IN_PROGRESS') : no()
    case 'PAID_FROM_SMART_ACCOUNT':
      return state.inBulk && state.status === 'IN_PROGRESS' ? moveTo(state, 'COMPLETED') : no()
    case 'SMART_ACCOUNT_PAYMENT_FAILED':
      return state.inBulk && state.status === 'IN_PROGRESS' ? moveTo(state, 'ERROR') : no()
    case 'SCHEDULED_PAYMENTS_FINISHED': {
      if (state.status !== 'SCHEDULED') return no()
      if (event.statuses.length === 0 || !event.statuses.every(isFinalScheduledPaymentStatus)) return no('some scheduled payments are not finished')
      if (event.statuses.every((s) => s === 'CANCELED')) return moveTo(state, 'CANCELED')
      const outcome = event.statuses.includes('COMPLETED') ? 'COMPLETED' : 'ERROR'
      return moveTo(state, outcome, {}, [emit('scheduled_payment/all_completed')])
    }
    case 'SCHEDULES_CANCELED':
      return state.status === 'SCHEDULED' ? moveTo(state, 'CANCELED', {}, [{ type: 'CANCEL_PENDING_PAYMENTS' }]) : no()
    case 'AUTHORIZATION_CANCELED':
      if (state.kind !== 'AUTOMATIC_PIX' || state.intentInProgress) return no()
      if (state.status !== 'AUTHORIZED' && !(PAYABLE_REQUEST_STATUSES as readonly string[]).includes(state.status)) return no()
      return moveTo(state, 'CANCELED', {}, state.status === 'AUTHORIZED' ? [{ type: 'CANCEL_PENDING_PAYMENTS' }] : [])
    case 'AUTHORIZATION_EXPIRED':
      return state.status === 'AUTHORIZED' ? moveTo(state, 'EXPIRED', {}, [{ type: 'CANCEL_PENDING_PAYMENTS' }]) : no()
    default:
      return assertNever(event)
  }
}

/**
 * Why a request cannot be deleted now (undefined when it can): not while money may still move —
 * an intent past its consent, payments scheduled or authorized and not canceled first.
 */
export function requestDeletionRefusal(state: PaymentRequestState, intent: PaymentIntentStatus | null): string | undefined {
  if (state.status === 'SCHEDULED') return 'Its scheduled payments are pending: cancel them first (POST /payments/requests/{id}/schedules/cancel).'
  if (state.status === 'AUTHORIZED') return 'Its Pix Automático authorization is in force: cancel it first (POST /payments/requests/{id}/automatic-pix/cancel).'
  if (state.inBulk) return 'It belongs to a bulk payment: delete the bulk payment first (DELETE /payments/bulk/{id}).'
  if (state.intentInProgress && intent !== null && !['STARTED', 'ENQUEUED', 'CONSENT_AWAITING_AUTHORIZATION'].includes(intent)) {
    return 'The payer already authorized it at their bank; wait until its payment finishes.'
  }
  return undefined
}

/** The rules every stored request keeps; the engine refuses to save a state that breaks any. */
export function requestInvariantViolations(state: PaymentRequestState): string[] {
  const violations: string[] = []
  const { status, kind } = state
  if (state.intentInProgress && !INTENT_SHOWN.includes(status)) violations.push(`an intent is in progress while ${status}`)
  if (INTENT_SHOWN.includes(status) && !state.intentInProgress && !state.inBulk) violations.push(`${status} without an intent in progress`)
  if (state.inBulk && (kind !== 'ONE_OFF' || state.intentInProgress)) violations.push('a bulk payment pays only one-off requests, without intents of their own')
  if (state.inBulk && !['CREATED', 'IN_PROGRESS', 'COMPLETED', 'ERROR'].includes(status)) violations.push(`a request in a bulk payment cannot be ${status}`)
  if (status === 'SCHEDULED' && kind !== 'SCHEDULED') violations.push(`a ${kind} request cannot be SCHEDULED`)
  if ((status === 'AUTHORIZED' || status === 'EXPIRED') && kind !== 'AUTOMATIC_PIX') violations.push(`a ${kind} request cannot be ${status}`)
  if (status === 'COMPLETED' && kind === 'AUTOMATIC_PIX') violations.push('a Pix Automático authorization never completes; it is canceled or expires')
  return violations
}
