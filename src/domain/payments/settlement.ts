import type { PaymentErrorDetail } from './statuses.ts'
import type { PaymentEffect } from './transition.ts'

/**
 * What happens to a Pix once its consent is authorized, shared by payment intents and smart-transfer
 * payments (whose status lists both hold these statuses). It follows Open Finance Brasil's payment
 * statuses: received or held for analysis (PAYMENT_PENDING), awaiting more approvers (partially
 * accepted), accepted and sent to settlement, debited from the payer's account, credited to the
 * recipient. The bank may reject it until the payer's account is debited; after that it only completes.
 */
export const SETTLEMENT_STATUSES = ['CONSENT_AUTHORIZED', 'PAYMENT_PENDING', 'PAYMENT_PARTIALLY_ACCEPTED', 'PAYMENT_SETTLEMENT_PROCESSING', 'PAYMENT_SETTLEMENT_DEBTOR_ACCOUNT'] as const
export type SettlementStatus = (typeof SETTLEMENT_STATUSES)[number]
export type SettlementOutcome = 'PAYMENT_COMPLETED' | 'PAYMENT_REJECTED'

export type SettlementEvent =
  /** The payer's bank received the payment initiation. */
  | { type: 'PAYMENT_INITIATED' }
  /** The bank needs more of the payer's approvers (an operator's payment awaiting a master user). */
  | { type: 'ADDITIONAL_AUTHORIZATION_REQUIRED' }
  /** The bank accepted the payment and sent it to settlement (SPI). */
  | { type: 'SETTLEMENT_STARTED' }
  /** The payer's account was debited. */
  | { type: 'DEBTOR_ACCOUNT_DEBITED' }
  /** The recipient's account was credited. */
  | { type: 'SETTLEMENT_CONFIRMED' }
  /** The bank (or the SPI) rejected the payment before debiting the payer. */
  | { type: 'BANK_REJECTED'; error: PaymentErrorDetail }

export const SETTLEMENT_EVENT_TYPES = [
  'PAYMENT_INITIATED',
  'ADDITIONAL_AUTHORIZATION_REQUIRED',
  'SETTLEMENT_STARTED',
  'DEBTOR_ACCOUNT_DEBITED',
  'SETTLEMENT_CONFIRMED',
  'BANK_REJECTED',
] as const satisfies readonly SettlementEvent['type'][]

/** Where each forward move may come from, and where it leads. */
const MOVES: Record<Exclude<SettlementEvent['type'], 'BANK_REJECTED'>, { from: readonly SettlementStatus[]; to: SettlementStatus | 'PAYMENT_COMPLETED' }> = {
  PAYMENT_INITIATED: { from: ['CONSENT_AUTHORIZED'], to: 'PAYMENT_PENDING' },
  ADDITIONAL_AUTHORIZATION_REQUIRED: { from: ['PAYMENT_PENDING'], to: 'PAYMENT_PARTIALLY_ACCEPTED' },
  SETTLEMENT_STARTED: { from: ['PAYMENT_PENDING', 'PAYMENT_PARTIALLY_ACCEPTED'], to: 'PAYMENT_SETTLEMENT_PROCESSING' },
  DEBTOR_ACCOUNT_DEBITED: { from: ['PAYMENT_SETTLEMENT_PROCESSING'], to: 'PAYMENT_SETTLEMENT_DEBTOR_ACCOUNT' },
  SETTLEMENT_CONFIRMED: { from: ['PAYMENT_SETTLEMENT_DEBTOR_ACCOUNT'], to: 'PAYMENT_COMPLETED' },
}

/** Statuses in which the payment may still be canceled or fail: nothing has left the payer's account. */
export const UNDEBITED_SETTLEMENT_STATUSES = ['CONSENT_AUTHORIZED', 'PAYMENT_PENDING', 'PAYMENT_PARTIALLY_ACCEPTED', 'PAYMENT_SETTLEMENT_PROCESSING'] as const satisfies readonly SettlementStatus[]

/** Statuses before the payment goes to settlement: a cancellation can still stop it. */
export const CANCELABLE_SETTLEMENT_STATUSES = ['CONSENT_AUTHORIZED', 'PAYMENT_PENDING', 'PAYMENT_PARTIALLY_ACCEPTED'] as const satisfies readonly SettlementStatus[]

export function isSettlementStatus(status: string): status is SettlementStatus {
  return (SETTLEMENT_STATUSES as readonly string[]).includes(status)
}

export type SettlementStep = { ok: true; status: SettlementStatus | SettlementOutcome; error: PaymentErrorDetail | null; effects: PaymentEffect[] } | { ok: false; why: string }

/**
 * One step of a settlement. The payer's account is debited when the bank reports it, and the
 * recipient credited when settlement is confirmed: each exactly once along any path.
 */
export function settlementStep(status: SettlementStatus, event: SettlementEvent, amountCents: number): SettlementStep {
  if (event.type === 'BANK_REJECTED') {
    if (!(UNDEBITED_SETTLEMENT_STATUSES as readonly string[]).includes(status)) return { ok: false, why: 'the payer was already debited; the payment can only complete' }
    return { ok: true, status: 'PAYMENT_REJECTED', error: event.error, effects: [] }
  }
  const move = MOVES[event.type]
  if (!move.from.includes(status)) return { ok: false, why: `it follows ${move.from.join(' or ')}` }
  const effects: PaymentEffect[] =
    event.type === 'DEBTOR_ACCOUNT_DEBITED'
      ? [{ type: 'MOVE_FUNDS', movement: 'DEBIT_PAYER', amountCents }]
      : event.type === 'SETTLEMENT_CONFIRMED'
        ? [{ type: 'MOVE_FUNDS', movement: 'CREDIT_RECIPIENT', amountCents }]
        : []
  return { ok: true, status: move.to, error: null, effects }
}
