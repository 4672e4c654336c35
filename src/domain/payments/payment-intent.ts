import { assertNever } from '../statuses.ts'
import { addMinutes } from './calendar-date.ts'
import { CANCELABLE_SETTLEMENT_STATUSES, isSettlementStatus, settlementStep, type SettlementEvent } from './settlement.ts'
import { isFinalIntentStatus, isIntentErrorStatus, type PaymentErrorDetail, type PaymentIntentStatus } from './statuses.ts'
import { accept, emit, refuse, type PaymentEffect, type Transition } from './transition.ts'

/**
 * What an intent's consent authorizes: a one-off payment now, a scheduled request's payments, a
 * Pix Automático mandate, or the top-up of a bulk payment's smart account — at the payer's bank, or
 * by a Pix QR code anyone may pay (BULK_PIX_QR, which has no consent). The ones that pay now go
 * through settlement; the two that authorize future payments complete when the bank confirms the
 * consent, and their payments have lifecycles of their own.
 */
export const INTENT_KINDS = ['PAYMENT', 'SCHEDULE', 'AUTOMATIC_PIX', 'BULK_TOP_UP', 'BULK_PIX_QR'] as const
export type IntentKind = (typeof INTENT_KINDS)[number]

export function intentPaysNow(kind: IntentKind): boolean {
  return kind === 'PAYMENT' || kind === 'BULK_TOP_UP' || kind === 'BULK_PIX_QR'
}

/** A Pix QR top-up asks no bank for a consent: it waits for its QR code to be paid. */
export function intentHasConsent(kind: IntentKind): boolean {
  return kind !== 'BULK_PIX_QR'
}

/**
 * How long the payer has to authorize at the bank, from the consent's creation (a Pix QR code,
 * from the intent's start, to be paid). The reference documents 30 minutes for payments and 60 for
 * Pix Automático authorizations; a QR top-up is given a payment's window.
 */
export const CONSENT_WINDOW_MINUTES: Record<IntentKind, number> = { PAYMENT: 30, SCHEDULE: 30, AUTOMATIC_PIX: 60, BULK_TOP_UP: 30, BULK_PIX_QR: 30 }

export interface PaymentIntentState {
  status: PaymentIntentStatus
  kind: IntentKind
  /** What the intent pays now (PAYMENT, BULK_TOP_UP), or each future payment's amount (0 when variable). */
  amountCents: number
  consentUrl: string | null
  /** When the consent's window closes (a Pix QR top-up's: when its QR code stops being payable). */
  consentExpiresAt: string | null
  error: PaymentErrorDetail | null
}

export type PaymentIntentEvent =
  /** The institution queued the consent's creation. */
  | { type: 'QUEUED_AT_INSTITUTION' }
  /** The payer's bank created the consent; the payer is sent to `consentUrl`. */
  | { type: 'CONSENT_CREATED'; consentUrl: string; at: string }
  /** The payer authorized at the bank. */
  | { type: 'PAYER_AUTHORIZED' }
  /** The payer rejected at the bank (or the bank rejected the consent). */
  | { type: 'PAYER_REJECTED'; detail?: string }
  /** The authorization window closed first (the engine's CONSENT_EXPIRY check, at `at`). */
  | { type: 'CONSENT_EXPIRED'; at: string }
  /** The bank registered an authorized consent for future payments (SCHEDULE, AUTOMATIC_PIX). */
  | { type: 'CONSENT_CONFIRMED' }
  /** Someone paid a Pix QR top-up's QR code: the Pix is on its way to the smart account. */
  | { type: 'PIX_QR_PAID' }
  | SettlementEvent
  /** Canceled by any other means before settlement: the request was deleted, the payer gave up. */
  | { type: 'CANCELED'; detail?: string }
  /** A validation failure or a process error. */
  | { type: 'FAILED'; error: PaymentErrorDetail }

const BEFORE_CONSENT: readonly PaymentIntentStatus[] = ['STARTED', 'ENQUEUED']
/** Statuses in which the consent's window may close (CONSENT_EXPIRED): the payer has not authorized yet. */
export const AWAITING_PAYER = ['STARTED', 'ENQUEUED', 'CONSENT_AWAITING_AUTHORIZATION'] as const satisfies readonly PaymentIntentStatus[]
const MOVING_MONEY: readonly PaymentIntentStatus[] = ['PAYMENT_PENDING', 'PAYMENT_PARTIALLY_ACCEPTED', 'PAYMENT_SETTLEMENT_PROCESSING', 'PAYMENT_SETTLEMENT_DEBTOR_ACCOUNT', 'PAYMENT_REJECTED']

/** The intent a payer starts when they choose their bank and give their CPF/CNPJ. */
export function startedIntent(kind: IntentKind, amountCents: number): PaymentIntentState {
  return { status: 'STARTED', kind, amountCents, consentUrl: null, consentExpiresAt: null, error: null }
}

/**
 * A Pix QR top-up started at `at`: no bank is asked anything, so its QR code's window opens now,
 * and the engine wakes it when that closes.
 */
export function startedPixQrIntent(amountCents: number, at: string): { next: PaymentIntentState; effects: PaymentEffect[] } {
  const consentExpiresAt = addMinutes(at, CONSENT_WINDOW_MINUTES.BULK_PIX_QR)
  return { next: { ...startedIntent('BULK_PIX_QR', amountCents), consentExpiresAt }, effects: [{ type: 'CHECK_AT', check: 'CONSENT_EXPIRY', at: consentExpiresAt }] }
}

function fail(state: PaymentIntentState, status: PaymentIntentStatus, error: PaymentErrorDetail): Transition<PaymentIntentState> {
  return accept({ ...state, status, error }, [emit('payment_intent/error')])
}

/** The payment-intent lifecycle as a pure function; illegal moves are refused, never applied. */
export function transitionIntent(state: PaymentIntentState, event: PaymentIntentEvent): Transition<PaymentIntentState> {
  const no = (why?: string) => refuse<PaymentIntentState>('payment intent', event, state.status, why)
  if (isFinalIntentStatus(state.status)) return no('the intent is finished')
  const { status } = state
  const consentEvent = event.type === 'QUEUED_AT_INSTITUTION' || event.type === 'CONSENT_CREATED' || event.type === 'PAYER_AUTHORIZED' || event.type === 'PAYER_REJECTED'
  if (consentEvent && !intentHasConsent(state.kind)) return no('a Pix QR top-up has no consent')
  switch (event.type) {
    case 'QUEUED_AT_INSTITUTION':
      return status === 'STARTED' ? accept({ ...state, status: 'ENQUEUED' }) : no()
    case 'CONSENT_CREATED': {
      if (!BEFORE_CONSENT.includes(status)) return no()
      const consentExpiresAt = addMinutes(event.at, CONSENT_WINDOW_MINUTES[state.kind])
      return accept({ ...state, status: 'CONSENT_AWAITING_AUTHORIZATION', consentUrl: event.consentUrl, consentExpiresAt }, [
        emit('payment_intent/created'),
        { type: 'CHECK_AT', check: 'CONSENT_EXPIRY', at: consentExpiresAt },
      ])
    }
    case 'PAYER_AUTHORIZED':
      return status === 'CONSENT_AWAITING_AUTHORIZATION' ? accept({ ...state, status: 'CONSENT_AUTHORIZED' }) : no()
    case 'PAYER_REJECTED':
      if (status !== 'CONSENT_AWAITING_AUTHORIZATION') return no()
      return fail(state, 'CONSENT_REJECTED', { code: 'CONSENT_REJECTED', description: 'The payer rejected the payment at their bank.', ...(event.detail ? { detail: event.detail } : {}) })
    case 'CONSENT_EXPIRED':
      if (!(AWAITING_PAYER as readonly string[]).includes(status)) return no()
      // A check that fires early (a clock running ahead, a duplicate timer) changes nothing.
      if (state.consentExpiresAt !== null && Date.parse(event.at) < Date.parse(state.consentExpiresAt)) return no(`the consent is valid until ${state.consentExpiresAt}`)
      return fail(
        state,
        'EXPIRED',
        intentHasConsent(state.kind)
          ? { code: 'CONSENT_EXPIRED', description: 'The payer did not authorize the payment at their bank in time.' }
          : { code: 'CONSENT_EXPIRED', description: 'Nobody paid the Pix QR code in time.' },
      )
    case 'CONSENT_CONFIRMED':
      if (status !== 'CONSENT_AUTHORIZED' || intentPaysNow(state.kind)) return no()
      return accept({ ...state, status: 'PAYMENT_COMPLETED' }, [emit('payment_intent/completed')])
    case 'PIX_QR_PAID':
      // The payer's Pix was sent when they paid: it is received, and settles as any payment does.
      if (status !== 'STARTED' || intentHasConsent(state.kind)) return no('only a Pix QR top-up not paid yet is paid by its QR code')
      return accept({ ...state, status: 'PAYMENT_PENDING' })
    case 'PAYMENT_INITIATED':
    case 'ADDITIONAL_AUTHORIZATION_REQUIRED':
    case 'SETTLEMENT_STARTED':
    case 'DEBTOR_ACCOUNT_DEBITED':
    case 'SETTLEMENT_CONFIRMED':
    case 'BANK_REJECTED':
      return settle(state, event)
    case 'CANCELED':
      if (!(AWAITING_PAYER as readonly string[]).includes(status) && !(CANCELABLE_SETTLEMENT_STATUSES as readonly string[]).includes(status)) return no()
      return fail(state, 'CANCELED', { code: 'CANCELED', description: 'The payment was canceled before it was sent to settlement.', ...(event.detail ? { detail: event.detail } : {}) })
    case 'FAILED':
      if (status === 'PAYMENT_SETTLEMENT_DEBTOR_ACCOUNT') return no('the payer was already debited; the payment can only complete')
      return fail(state, 'ERROR', event.error)
    default:
      return assertNever(event)
  }
}

function settle(state: PaymentIntentState, event: SettlementEvent): Transition<PaymentIntentState> {
  if (!intentPaysNow(state.kind)) return refuse('payment intent', event, state.status, `a ${state.kind} intent moves no money itself`)
  if (!isSettlementStatus(state.status)) return refuse('payment intent', event, state.status)
  if (event.type === 'ADDITIONAL_AUTHORIZATION_REQUIRED' && !intentHasConsent(state.kind)) return refuse('payment intent', event, state.status, 'a paid Pix QR code needs no more approvers')
  const step = settlementStep(state.status, event, state.amountCents)
  if (!step.ok) return refuse('payment intent', event, state.status, step.why)
  const effects: PaymentEffect[] = [...step.effects]
  if (step.status === 'PAYMENT_PARTIALLY_ACCEPTED') effects.push(emit('payment_intent/waiting_payer_authorization'))
  if (step.status === 'PAYMENT_COMPLETED') effects.push(emit('payment_intent/completed'))
  if (step.status === 'PAYMENT_REJECTED') effects.push(emit('payment_intent/error'))
  return accept({ ...state, status: step.status, error: step.error }, effects)
}

/** The rules every stored intent keeps; the engine refuses to save a state that breaks any. */
export function intentInvariantViolations(state: PaymentIntentState): string[] {
  const violations: string[] = []
  const { status } = state
  if (isIntentErrorStatus(status) !== (state.error !== null)) violations.push(state.error ? `error present while ${status}` : `error missing for ${status}`)
  if (!intentHasConsent(state.kind)) return [...violations, ...pixQrViolations(state)]
  if ((state.consentUrl === null) !== (state.consentExpiresAt === null)) violations.push('consentUrl and consentExpiresAt are set together')
  if (BEFORE_CONSENT.includes(status) && state.consentUrl !== null) violations.push(`consentUrl present while ${status}`)
  const consentCreated = !BEFORE_CONSENT.includes(status) && !['EXPIRED', 'CANCELED', 'ERROR'].includes(status)
  if (consentCreated && state.consentUrl === null) violations.push(`consentUrl missing while ${status}`)
  if (!intentPaysNow(state.kind) && MOVING_MONEY.includes(status)) violations.push(`a ${state.kind} intent cannot be ${status}`)
  if (!Number.isInteger(state.amountCents) || state.amountCents < 0) violations.push('amountCents is a whole number of centavos, not negative')
  if (intentPaysNow(state.kind) && state.amountCents === 0) violations.push(`a ${state.kind} intent pays a positive amount`)
  return violations
}

const CONSENT_ONLY: readonly PaymentIntentStatus[] = ['ENQUEUED', 'CONSENT_AWAITING_AUTHORIZATION', 'CONSENT_AUTHORIZED', 'CONSENT_REJECTED']

/** A Pix QR top-up never has a consent URL, always has its QR code's window, never a consent status. */
function pixQrViolations(state: PaymentIntentState): string[] {
  const violations: string[] = []
  if (state.consentUrl !== null) violations.push('a Pix QR top-up has no consentUrl')
  if (state.consentExpiresAt === null) violations.push('a Pix QR top-up has its window (consentExpiresAt)')
  if (CONSENT_ONLY.includes(state.status)) violations.push(`a Pix QR top-up cannot be ${state.status}`)
  if (state.amountCents <= 0 || !Number.isInteger(state.amountCents)) violations.push('a Pix QR top-up pays a positive whole number of centavos')
  return violations
}
