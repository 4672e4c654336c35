import { assertNever } from '../statuses.ts'
import { intentHasConsent, intentPaysNow, type IntentKind } from './payment-intent.ts'
import { isSettlementStatus, type SettlementEvent, type SettlementStatus } from './settlement.ts'
import type { AutomaticPixPaymentStatus, PaymentErrorDetail, PaymentIntentStatus, ScheduledPaymentStatus, SmartTransferPreauthorizationStatus } from './statuses.ts'

/**
 * Statuses the engine looks for when it executes payments, named here so that lifecycle words stay
 * in the domain: the intent whose consent the dated payments of a request are paid under, and the
 * statuses of payments still waiting for their dates.
 */
export const PAYABLE_AFTER_CONSENT: PaymentIntentStatus = 'PAYMENT_COMPLETED'
export const PENDING_SCHEDULED_STATUS: ScheduledPaymentStatus = 'SCHEDULED'
export const PENDING_AUTOMATIC_PIX_STATUS: AutomaticPixPaymentStatus = 'SCHEDULED'
/** A Pix Automático payment sent to settlement on its day, not finished yet. */
export const AUTOMATIC_PIX_SETTLING_STATUS: AutomaticPixPaymentStatus = 'CREATED'

/** The bank's refusal codes a retry may cure (Pix Automático retries): a lack of funds, not a closed account. */
export function retriableFailure(code: string): boolean {
  return code === 'SALDO_INSUFICIENTE' || code === 'INSUFFICIENT_FUNDS'
}
/** A smart-transfer preauthorization the payer has not answered yet. */
export const PREAUTHORIZATION_AWAITING_PAYER: SmartTransferPreauthorizationStatus = 'CREATED'

/**
 * A payment consent's status at the payer's bank, as Open Finance Brasil's payments API names them
 * (AWAITING_AUTHORISATION, AUTHORISED, REJECTED, CONSUMED); QUEUED is the bank holding its creation.
 */
export const BANK_CONSENT_STATUSES = ['QUEUED', 'AWAITING_AUTHORISATION', 'AUTHORISED', 'REJECTED', 'CONSUMED'] as const
export type BankConsentStatus = (typeof BANK_CONSENT_STATUSES)[number]

/**
 * A payment's status at the payer's bank (Open Finance Brasil, pix/payments): received, pending
 * analysis, partially accepted (more approvers needed), accepted and sent to settlement, accepted
 * and processed by the clearing, debited from the payer, credited to the recipient, rejected.
 */
export const BANK_PAYMENT_STATUSES = ['RCVD', 'PDNG', 'PATC', 'ACCP', 'ACPD', 'ACSC', 'ACCC', 'RJCT'] as const
export type BankPaymentStatus = (typeof BANK_PAYMENT_STATUSES)[number]

/** How far along settlement each bank status is (RJCT is apart: it ends the payment). */
const BANK_PROGRESS: Record<Exclude<BankPaymentStatus, 'RJCT'>, number> = { RCVD: 0, PDNG: 0, PATC: 1, ACCP: 2, ACPD: 2, ACSC: 3, ACCC: 4 }
/** How far along each settlement status of ours is, on the same scale. */
const OUR_PROGRESS: Record<SettlementStatus, number> = {
  CONSENT_AUTHORIZED: -1,
  PAYMENT_PENDING: 0,
  PAYMENT_PARTIALLY_ACCEPTED: 1,
  PAYMENT_SETTLEMENT_PROCESSING: 2,
  PAYMENT_SETTLEMENT_DEBTOR_ACCOUNT: 3,
}

/**
 * The next settlement event that brings a payment from `current` towards what the bank reports,
 * one step at a time (the engine saves each step before it takes the next), or null when the
 * payment is where the bank is and the engine must wait. A rejection the payment can no longer take
 * (the payer was debited) is left to the lifecycle to refuse.
 */
export function nextSettlementEvent(current: SettlementStatus, bank: { status: BankPaymentStatus; rejection?: PaymentErrorDetail | null }): SettlementEvent | null {
  if (bank.status === 'RJCT') {
    return { type: 'BANK_REJECTED', error: bank.rejection ?? { code: 'PAYMENT_REJECTED', description: 'The payer’s bank rejected the payment.' } }
  }
  const target = BANK_PROGRESS[bank.status]
  const here = OUR_PROGRESS[current]
  if (target <= here) return null
  switch (current) {
    case 'CONSENT_AUTHORIZED':
      return { type: 'PAYMENT_INITIATED' }
    case 'PAYMENT_PENDING':
      return target === 1 ? { type: 'ADDITIONAL_AUTHORIZATION_REQUIRED' } : { type: 'SETTLEMENT_STARTED' }
    default:
      return settlementAdvance(current)
  }
}

/** The event that takes a payment the bank accepted one settlement step further. */
function settlementAdvance(status: Exclude<SettlementStatus, 'CONSENT_AUTHORIZED' | 'PAYMENT_PENDING'>): SettlementEvent {
  switch (status) {
    case 'PAYMENT_PARTIALLY_ACCEPTED':
      return { type: 'SETTLEMENT_STARTED' }
    case 'PAYMENT_SETTLEMENT_PROCESSING':
      return { type: 'DEBTOR_ACCOUNT_DEBITED' }
    case 'PAYMENT_SETTLEMENT_DEBTOR_ACCOUNT':
      return { type: 'SETTLEMENT_CONFIRMED' }
    default:
      return assertNever(status)
  }
}

/**
 * What the engine asks the payer's bank next for an intent in `status`: create its consent, read
 * the payer's answer, confirm a consent for future payments, or follow the payment's settlement.
 */
export type IntentBankStep = 'CREATE_CONSENT' | 'READ_CONSENT' | 'CONFIRM_CONSENT' | 'FOLLOW_SETTLEMENT' | 'SETTLE_PAID_QR' | 'NONE'

export function intentBankStep(status: PaymentIntentStatus, kind: IntentKind): IntentBankStep {
  // A Pix QR top-up waits for its QR code to be paid; once paid, no bank is asked: the Pix was sent.
  if (!intentHasConsent(kind)) return status !== 'STARTED' && isSettlementStatus(status) ? 'SETTLE_PAID_QR' : 'NONE'
  if (status === 'STARTED' || status === 'ENQUEUED') return 'CREATE_CONSENT'
  if (status === 'CONSENT_AWAITING_AUTHORIZATION') return 'READ_CONSENT'
  if (!isSettlementStatus(status)) return 'NONE'
  if (status === 'CONSENT_AUTHORIZED' && !intentPaysNow(kind)) return 'CONFIRM_CONSENT'
  return 'FOLLOW_SETTLEMENT'
}

/** The intent may still queue its consent (QUEUED_AT_INSTITUTION is accepted from STARTED only). */
export function mayQueueConsent(status: PaymentIntentStatus): boolean {
  return status === 'STARTED'
}

/**
 * The next settlement step of a paid Pix QR top-up: a Pix is sent, debited and credited as one
 * instant transfer, so the engine walks it through settlement (each step saved) to completion.
 */
export function paidPixQrSettlementEvent(status: SettlementStatus): SettlementEvent | null {
  switch (status) {
    case 'CONSENT_AUTHORIZED':
      return null
    case 'PAYMENT_PENDING':
      return { type: 'SETTLEMENT_STARTED' }
    default:
      return settlementAdvance(status)
  }
}
