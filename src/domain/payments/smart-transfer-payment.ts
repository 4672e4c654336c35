import { assertNever } from '../statuses.ts'
import { CANCELABLE_SETTLEMENT_STATUSES, isSettlementStatus, settlementStep, type SettlementEvent } from './settlement.ts'
import type { PaymentErrorDetail, SmartTransferPaymentStatus } from './statuses.ts'
import { accept, emit, refuse, type PaymentEffect, type Transition } from './transition.ts'

/**
 * A transfer under a completed preauthorization. Its consent is already given, so it starts
 * CONSENT_AUTHORIZED and goes through settlement as an intent does; the payer's bank may refuse
 * it under the preauthorization's limits (CONSENT_REJECTED).
 */
export interface SmartTransferPaymentState {
  status: SmartTransferPaymentStatus
  amountCents: number
  error: PaymentErrorDetail | null
}

export type SmartTransferPaymentEvent =
  | SettlementEvent
  /** The payer's bank refused the transfer under the preauthorization (revoked, over its limits). */
  | { type: 'PREAUTHORIZATION_REFUSED'; error: PaymentErrorDetail }
  | { type: 'CANCELED'; detail?: string }
  | { type: 'FAILED'; error: PaymentErrorDetail }

const ERROR_EVENT = 'smart_transfer_payment/error'

export function createSmartTransferPayment(amountCents: number): SmartTransferPaymentState {
  return { status: 'CONSENT_AUTHORIZED', amountCents, error: null }
}

export function transitionSmartTransferPayment(state: SmartTransferPaymentState, event: SmartTransferPaymentEvent): Transition<SmartTransferPaymentState> {
  const no = (why?: string) => refuse<SmartTransferPaymentState>('smart-transfer payment', event, state.status, why)
  const { status } = state
  // The statuses outside settlement are the final ones.
  if (!isSettlementStatus(status)) return no('it is finished')
  const ended = (to: SmartTransferPaymentStatus, error: PaymentErrorDetail) => accept({ ...state, status: to, error }, [emit(ERROR_EVENT, to)])
  switch (event.type) {
    case 'PAYMENT_INITIATED':
    case 'ADDITIONAL_AUTHORIZATION_REQUIRED':
    case 'SETTLEMENT_STARTED':
    case 'DEBTOR_ACCOUNT_DEBITED':
    case 'SETTLEMENT_CONFIRMED':
    case 'BANK_REJECTED': {
      const step = settlementStep(status, event, state.amountCents)
      if (!step.ok) return no(step.why)
      const effects: PaymentEffect[] = [...step.effects]
      if (step.status === 'PAYMENT_COMPLETED') effects.push(emit('smart_transfer_payment/completed', step.status))
      if (step.status === 'PAYMENT_REJECTED') effects.push(emit(ERROR_EVENT, step.status))
      return accept({ ...state, status: step.status, error: step.error }, effects)
    }
    case 'PREAUTHORIZATION_REFUSED':
      return status === 'CONSENT_AUTHORIZED' ? ended('CONSENT_REJECTED', event.error) : no()
    case 'CANCELED':
      if (!(CANCELABLE_SETTLEMENT_STATUSES as readonly string[]).includes(status)) return no()
      return ended('CANCELED', { code: 'CANCELED', description: 'The transfer was canceled before it was sent to settlement.', ...(event.detail ? { detail: event.detail } : {}) })
    case 'FAILED':
      if (status === 'PAYMENT_SETTLEMENT_DEBTOR_ACCOUNT') return no('the payer was already debited; the transfer can only complete')
      return ended('ERROR', event.error)
    default:
      return assertNever(event)
  }
}

export function smartTransferPaymentInvariantViolations(state: SmartTransferPaymentState): string[] {
  const violations: string[] = []
  const failed = !isSettlementStatus(state.status) && state.status !== 'PAYMENT_COMPLETED'
  if (failed !== (state.error !== null)) violations.push(state.error ? `error present while ${state.status}` : `error missing for ${state.status}`)
  if (!Number.isInteger(state.amountCents) || state.amountCents <= 0) violations.push('amountCents is a positive whole number of centavos')
  return violations
}
