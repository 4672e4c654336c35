import { assertNever } from '../statuses.ts'
import { isFinalIntentStatus, type BulkPaymentStatus, type PaymentIntentStatus, type PaymentRequestStatus } from './statuses.ts'
import { accept, refuse, type PaymentEffect, type Transition } from './transition.ts'

/**
 * A bulk payment pays several requests from the client's smart account: the payer tops the smart
 * account up with one intent (the requests' total plus fees), then each request is paid from it.
 */
export interface BulkRequest {
  paymentRequestId: string
  amountCents: number
  payment: 'PENDING' | 'SETTLED' | 'FAILED'
}

export interface BulkPaymentState {
  status: BulkPaymentStatus
  intentInProgress: boolean
  requests: BulkRequest[]
}

export type BulkPaymentEvent =
  /** A payer started the top-up intent. */
  | { type: 'INTENT_STARTED' }
  /** The top-up intent moved: the bulk payment follows it. */
  | { type: 'INTENT_MOVED'; status: PaymentIntentStatus }
  /** One request was paid from the smart account. */
  | { type: 'REQUEST_SETTLED'; paymentRequestId: string }
  /** One request could not be paid from the smart account; the money stays there. */
  | { type: 'REQUEST_FAILED'; paymentRequestId: string }

const TOPPING_UP: readonly BulkPaymentStatus[] = ['TOP_UP_STARTED', 'WAITING_PAYER_AUTHORIZATION', 'TOP_UP_IN_PROGRESS']

export function createdBulkPayment(requests: { paymentRequestId: string; amountCents: number }[]): BulkPaymentState {
  return { status: 'CREATED', intentInProgress: false, requests: requests.map((r) => ({ ...r, payment: 'PENDING' })) }
}

/** The bulk payment's status while its top-up intent is in `intent` (the rule payment requests follow too). */
export function bulkStatusFollowing(intent: PaymentIntentStatus): BulkPaymentStatus {
  switch (intent) {
    case 'STARTED':
    case 'ENQUEUED':
      return 'TOP_UP_STARTED'
    case 'CONSENT_AWAITING_AUTHORIZATION':
    case 'PAYMENT_PARTIALLY_ACCEPTED':
      return 'WAITING_PAYER_AUTHORIZATION'
    case 'CONSENT_AUTHORIZED':
    case 'PAYMENT_PENDING':
    case 'PAYMENT_SETTLEMENT_PROCESSING':
    case 'PAYMENT_SETTLEMENT_DEBTOR_ACCOUNT':
      return 'TOP_UP_IN_PROGRESS'
    case 'PAYMENT_COMPLETED':
      return 'PAYMENT_IN_PROGRESS'
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

/** The bulk-payment lifecycle as a pure function; illegal moves are refused, never applied. */
export function transitionBulkPayment(state: BulkPaymentState, event: BulkPaymentEvent): Transition<BulkPaymentState> {
  const no = (why?: string) => refuse<BulkPaymentState>('bulk payment', event, state.status, why)
  switch (event.type) {
    case 'INTENT_STARTED': {
      if (state.intentInProgress) return no('another intent is in progress')
      const untouched = state.requests.every((r) => r.payment === 'PENDING')
      if (!(state.status === 'CREATED' || state.status === 'ERROR') || !untouched) return no()
      return accept({ ...state, status: 'TOP_UP_STARTED', intentInProgress: true })
    }
    case 'INTENT_MOVED': {
      if (!state.intentInProgress) return no('no intent is in progress')
      const status = bulkStatusFollowing(event.status)
      const effects: PaymentEffect[] = status === 'PAYMENT_IN_PROGRESS' ? [{ type: 'PAY_BULK_REQUESTS' }] : []
      return accept({ ...state, status, intentInProgress: !isFinalIntentStatus(event.status) }, effects)
    }
    case 'REQUEST_SETTLED':
    case 'REQUEST_FAILED': {
      if (state.status !== 'PAYMENT_IN_PROGRESS') return no()
      const target = state.requests.find((r) => r.paymentRequestId === event.paymentRequestId)
      if (!target || target.payment !== 'PENDING') return no(`request ${event.paymentRequestId} is not waiting to be paid`)
      const settled = event.type === 'REQUEST_SETTLED'
      const requests = state.requests.map((r): BulkRequest => (r === target ? { ...r, payment: settled ? 'SETTLED' : 'FAILED' } : r))
      const finished = requests.every((r) => r.payment !== 'PENDING')
      const status: BulkPaymentStatus = !finished ? 'PAYMENT_IN_PROGRESS' : requests.some((r) => r.payment === 'FAILED') ? 'ERROR' : 'COMPLETED'
      const { paymentRequestId, amountCents } = target
      const effects: PaymentEffect[] = settled
        ? [
            { type: 'MOVE_FUNDS', movement: 'DEBIT_PAYER', amountCents, paymentRequestId },
            { type: 'MOVE_FUNDS', movement: 'CREDIT_RECIPIENT', amountCents, paymentRequestId },
          ]
        : []
      return accept({ ...state, status, requests }, effects)
    }
    default:
      return assertNever(event)
  }
}

/** The rules every stored bulk payment keeps. */
export function bulkInvariantViolations(state: BulkPaymentState): string[] {
  const violations: string[] = []
  const pending = state.requests.filter((r) => r.payment === 'PENDING').length
  const failed = state.requests.some((r) => r.payment === 'FAILED')
  if (state.requests.length === 0) violations.push('a bulk payment pays at least one request')
  if (state.intentInProgress !== TOPPING_UP.includes(state.status)) violations.push(`intentInProgress is ${state.intentInProgress} while ${state.status}`)
  if ((state.status === 'CREATED' || TOPPING_UP.includes(state.status)) && pending !== state.requests.length) violations.push(`requests paid before the top-up completed (${state.status})`)
  if (state.status === 'PAYMENT_IN_PROGRESS' && pending === 0) violations.push('PAYMENT_IN_PROGRESS with no request left to pay')
  if (state.status === 'COMPLETED' && state.requests.some((r) => r.payment !== 'SETTLED')) violations.push('COMPLETED with a request not paid')
  if (state.status === 'ERROR' && !(pending === state.requests.length || (pending === 0 && failed))) violations.push('ERROR is a failed top-up or a finished payment with failures')
  if (state.requests.some((r) => !Number.isInteger(r.amountCents) || r.amountCents <= 0)) violations.push('each request pays a positive whole number of centavos')
  return violations
}

/** Where a bulk payment stands with one of its requests, from the request's status. */
export function bulkRequestPayment(status: PaymentRequestStatus): BulkRequest['payment'] {
  return status === 'COMPLETED' ? 'SETTLED' : status === 'ERROR' ? 'FAILED' : 'PENDING'
}
