import {
  createAutomaticPixPayment,
  automaticPixPaymentInvariantViolations,
  transitionAutomaticPixPayment,
  type AutomaticPixPaymentEvent,
  type AutomaticPixPaymentState,
} from './automatic-pix-payment.ts'
import { bulkInvariantViolations, createdBulkPayment, transitionBulkPayment, type BulkPaymentEvent, type BulkPaymentState } from './bulk-payment.ts'
import { addMinutes } from './calendar-date.ts'
import type { LifecycleSpec } from './lifecycle-walk.ts'
import { INTENT_KINDS, intentHasConsent, intentInvariantViolations, startedIntent, startedPixQrIntent, transitionIntent, type PaymentIntentEvent, type PaymentIntentState } from './payment-intent.ts'
import { REQUEST_KINDS, createdRequest, requestInvariantViolations, transitionRequest, type PaymentRequestEvent, type PaymentRequestState } from './payment-request.ts'
import { createScheduledPayment, scheduledPaymentInvariantViolations, transitionScheduledPayment, type ScheduledPaymentEvent, type ScheduledPaymentState } from './scheduled-payment.ts'
import { SETTLEMENT_EVENT_TYPES, type SettlementEvent } from './settlement.ts'
import {
  createSmartTransferPayment,
  smartTransferPaymentInvariantViolations,
  transitionSmartTransferPayment,
  type SmartTransferPaymentEvent,
  type SmartTransferPaymentState,
} from './smart-transfer-payment.ts'
import {
  createPreauthorization,
  preauthorizationInvariantViolations,
  transitionPreauthorization,
  type SmartTransferPreauthorizationEvent,
  type SmartTransferPreauthorizationState,
} from './smart-transfer-preauthorization.ts'
import { PAYMENT_INTENT_STATUSES, type PaymentErrorDetail } from './statuses.ts'

/**
 * Every payment lifecycle with an example of each of its events: the exhaustive walks of the tests
 * and the diagrams of docs/payments.md are drawn from here.
 */

const CONSENT_AT = '2026-03-02T12:00:00.000Z'
const CONSENT_URL = 'https://bank.example/consents/c-1'
const BANK_ERROR: PaymentErrorDetail = { code: 'INSUFFICIENT_FUNDS', description: 'The payer’s account has not enough funds.' }
const PROCESS_ERROR: PaymentErrorDetail = { code: 'INVALID_PARAMETER', description: 'The bank refused a parameter of the payment.' }

const settlementEvents: SettlementEvent[] = SETTLEMENT_EVENT_TYPES.map((type) => (type === 'BANK_REJECTED' ? { type, error: BANK_ERROR } : { type }))

export const INTENT_LIFECYCLE: LifecycleSpec<PaymentIntentState, PaymentIntentEvent> = {
  name: 'payment intent',
  initial: INTENT_KINDS.map((kind) => (intentHasConsent(kind) ? startedIntent(kind, kind === 'AUTOMATIC_PIX' ? 0 : 10_000) : startedPixQrIntent(10_000, CONSENT_AT).next)),
  events: [
    { type: 'QUEUED_AT_INSTITUTION' },
    { type: 'CONSENT_CREATED', consentUrl: CONSENT_URL, at: CONSENT_AT },
    { type: 'PAYER_AUTHORIZED' },
    { type: 'PAYER_REJECTED' },
    { type: 'PAYER_REJECTED', detail: 'Recusado pelo usuário' },
    { type: 'CONSENT_EXPIRED', at: addMinutes(CONSENT_AT, 10) },
    { type: 'CONSENT_EXPIRED', at: addMinutes(CONSENT_AT, 61) },
    { type: 'CONSENT_CONFIRMED' },
    { type: 'PIX_QR_PAID' },
    ...settlementEvents,
    { type: 'CANCELED' },
    { type: 'FAILED', error: PROCESS_ERROR },
  ],
  transition: transitionIntent,
  invariants: intentInvariantViolations,
  status: (s) => s.status,
}

export const REQUEST_LIFECYCLE: LifecycleSpec<PaymentRequestState, PaymentRequestEvent> = {
  name: 'payment request',
  initial: [...REQUEST_KINDS.map((kind) => createdRequest(kind)), createdRequest('ONE_OFF', true)],
  events: [
    { type: 'INTENT_STARTED' },
    ...PAYMENT_INTENT_STATUSES.map((status): PaymentRequestEvent => ({ type: 'INTENT_MOVED', status })),
    { type: 'BULK_PAYMENT_STARTED' },
    { type: 'PAID_FROM_SMART_ACCOUNT' },
    { type: 'SMART_ACCOUNT_PAYMENT_FAILED' },
    { type: 'SCHEDULED_PAYMENTS_FINISHED', statuses: ['COMPLETED', 'ERROR', 'CANCELED'] },
    { type: 'SCHEDULED_PAYMENTS_FINISHED', statuses: ['ERROR', 'CANCELED'] },
    { type: 'SCHEDULED_PAYMENTS_FINISHED', statuses: ['CANCELED', 'CANCELED'] },
    { type: 'SCHEDULED_PAYMENTS_FINISHED', statuses: ['COMPLETED', 'SCHEDULED'] },
    { type: 'SCHEDULED_PAYMENTS_FINISHED', statuses: [] },
    { type: 'SCHEDULES_CANCELED' },
    { type: 'AUTHORIZATION_CANCELED' },
    { type: 'AUTHORIZATION_EXPIRED' },
  ],
  transition: transitionRequest,
  invariants: requestInvariantViolations,
  status: (s) => s.status,
}

export const BULK_LIFECYCLE: LifecycleSpec<BulkPaymentState, BulkPaymentEvent> = {
  name: 'bulk payment',
  initial: [
    createdBulkPayment([
      { paymentRequestId: 'r-1', amountCents: 1_000 },
      { paymentRequestId: 'r-2', amountCents: 2_500 },
    ]),
  ],
  events: [
    { type: 'INTENT_STARTED' },
    ...PAYMENT_INTENT_STATUSES.map((status): BulkPaymentEvent => ({ type: 'INTENT_MOVED', status })),
    { type: 'REQUEST_SETTLED', paymentRequestId: 'r-1' },
    { type: 'REQUEST_SETTLED', paymentRequestId: 'r-2' },
    { type: 'REQUEST_FAILED', paymentRequestId: 'r-2' },
    { type: 'REQUEST_SETTLED', paymentRequestId: 'not-in-the-bulk' },
  ],
  transition: transitionBulkPayment,
  invariants: bulkInvariantViolations,
  status: (s) => s.status,
}

export const SCHEDULED_PAYMENT_LIFECYCLE: LifecycleSpec<ScheduledPaymentState, ScheduledPaymentEvent> = {
  name: 'scheduled payment',
  initial: [createScheduledPayment('2026-03-10', 133_333).state],
  events: [
    { type: 'SETTLED', today: '2026-03-09' },
    { type: 'SETTLED', today: '2026-03-10' },
    { type: 'FAILED', error: BANK_ERROR },
    { type: 'CANCELED_BY_CLIENT', today: '2026-03-09' },
    { type: 'CANCELED_BY_CLIENT', today: '2026-03-10' },
    { type: 'CONSENT_ENDED' },
  ],
  transition: transitionScheduledPayment,
  invariants: scheduledPaymentInvariantViolations,
  status: (s) => s.status,
}

export const AUTOMATIC_PIX_PAYMENT_LIFECYCLE: LifecycleSpec<AutomaticPixPaymentState, AutomaticPixPaymentEvent> = {
  name: 'Pix Automático payment',
  initial: [createAutomaticPixPayment('2026-03-10', 4_990).state],
  events: [
    { type: 'DATE_REACHED', today: '2026-03-09' },
    { type: 'DATE_REACHED', today: '2026-03-17' },
    { type: 'SETTLED' },
    { type: 'FAILED', error: BANK_ERROR, retriable: true },
    { type: 'FAILED', error: PROCESS_ERROR, retriable: false },
    { type: 'CANCELED_BY_CLIENT', today: '2026-03-09' },
    { type: 'CANCELED_BY_CLIENT', today: '2026-03-17' },
    { type: 'AUTHORIZATION_ENDED' },
    { type: 'RETRY_SCHEDULED', date: '2026-03-12', today: '2026-03-11', retryAccepted: true },
    { type: 'RETRY_SCHEDULED', date: '2026-03-14', today: '2026-03-13', retryAccepted: true },
    { type: 'RETRY_SCHEDULED', date: '2026-03-16', today: '2026-03-15', retryAccepted: true },
    { type: 'RETRY_SCHEDULED', date: '2026-03-18', today: '2026-03-11', retryAccepted: true },
    { type: 'RETRY_SCHEDULED', date: '2026-03-12', today: '2026-03-11', retryAccepted: false },
  ],
  transition: transitionAutomaticPixPayment,
  invariants: automaticPixPaymentInvariantViolations,
  status: (s) => s.status,
}

export const PREAUTHORIZATION_LIFECYCLE: LifecycleSpec<SmartTransferPreauthorizationState, SmartTransferPreauthorizationEvent> = {
  name: 'smart-transfer preauthorization',
  initial: [createPreauthorization(CONSENT_URL, CONSENT_AT).state],
  events: [
    { type: 'PAYER_AUTHORIZED' },
    { type: 'PAYER_REJECTED' },
    { type: 'CONSENT_EXPIRED', at: addMinutes(CONSENT_AT, 10) },
    { type: 'CONSENT_EXPIRED', at: addMinutes(CONSENT_AT, 31) },
    { type: 'FAILED', error: PROCESS_ERROR },
    { type: 'REVOKED' },
  ],
  transition: transitionPreauthorization,
  invariants: preauthorizationInvariantViolations,
  status: (s) => s.status,
}

export const SMART_TRANSFER_PAYMENT_LIFECYCLE: LifecycleSpec<SmartTransferPaymentState, SmartTransferPaymentEvent> = {
  name: 'smart-transfer payment',
  initial: [createSmartTransferPayment(15_000)],
  events: [
    ...settlementEvents,
    { type: 'PREAUTHORIZATION_REFUSED', error: { code: 'VALUE_ABOVE_LIMIT', description: 'The transfer exceeds the preauthorization’s limits.' } },
    { type: 'CANCELED' },
    { type: 'FAILED', error: PROCESS_ERROR },
  ],
  transition: transitionSmartTransferPayment,
  invariants: smartTransferPaymentInvariantViolations,
  status: (s) => s.status,
}

/** In the order docs/payments.md presents them. */
export const PAYMENT_LIFECYCLES = [
  REQUEST_LIFECYCLE,
  INTENT_LIFECYCLE,
  SCHEDULED_PAYMENT_LIFECYCLE,
  AUTOMATIC_PIX_PAYMENT_LIFECYCLE,
  BULK_LIFECYCLE,
  PREAUTHORIZATION_LIFECYCLE,
  SMART_TRANSFER_PAYMENT_LIFECYCLE,
] as const
