import { assertNever } from '../statuses.ts'
import { addMinutes } from './calendar-date.ts'
import { CONSENT_WINDOW_MINUTES } from './payment-intent.ts'
import type { PaymentErrorDetail, SmartTransferPreauthorizationStatus } from './statuses.ts'
import { accept, emit, refuse, type PaymentEffect, type Transition } from './transition.ts'

/**
 * A smart-transfer preauthorization: the payer's standing consent (Open Finance "transferências
 * inteligentes") to move money from one account to recipients of their own, without authorizing
 * each transfer. CREATED while the payer is asked at the bank; COMPLETED when authorized, until the
 * payer revokes it; REJECTED or ERROR otherwise.
 */
export interface SmartTransferPreauthorizationState {
  status: SmartTransferPreauthorizationStatus
  consentUrl: string
  consentExpiresAt: string
  error: PaymentErrorDetail | null
}

export type SmartTransferPreauthorizationEvent =
  | { type: 'PAYER_AUTHORIZED' }
  | { type: 'PAYER_REJECTED'; detail?: string }
  /** The authorization window closed first (the engine's CONSENT_EXPIRY check, at `at`). */
  | { type: 'CONSENT_EXPIRED'; at: string }
  | { type: 'FAILED'; error: PaymentErrorDetail }
  /** The payer revoked the preauthorization at their bank. */
  | { type: 'REVOKED' }

/** A preauthorization whose consent the payer's bank created at `at`. */
export function createPreauthorization(consentUrl: string, at: string): { state: SmartTransferPreauthorizationState; effects: PaymentEffect[] } {
  const consentExpiresAt = addMinutes(at, CONSENT_WINDOW_MINUTES.PAYMENT)
  return {
    state: { status: 'CREATED', consentUrl, consentExpiresAt, error: null },
    effects: [{ type: 'CHECK_AT', check: 'CONSENT_EXPIRY', at: consentExpiresAt }],
  }
}

const ERROR_EVENT = 'smart_transfer_preauthorization/error'

export function transitionPreauthorization(state: SmartTransferPreauthorizationState, event: SmartTransferPreauthorizationEvent): Transition<SmartTransferPreauthorizationState> {
  const no = (why?: string) => refuse<SmartTransferPreauthorizationState>('smart-transfer preauthorization', event, state.status, why)
  const ended = (status: SmartTransferPreauthorizationStatus, error: PaymentErrorDetail) => accept({ ...state, status, error }, [emit(ERROR_EVENT, status)])
  switch (event.type) {
    case 'PAYER_AUTHORIZED':
      return state.status === 'CREATED' ? accept({ ...state, status: 'COMPLETED' }, [emit('smart_transfer_preauthorization/completed', 'COMPLETED')]) : no()
    case 'PAYER_REJECTED':
      if (state.status !== 'CREATED') return no()
      return ended('REJECTED', { code: 'CONSENT_REJECTED', description: 'The payer rejected the preauthorization at their bank.', ...(event.detail ? { detail: event.detail } : {}) })
    case 'CONSENT_EXPIRED':
      if (state.status !== 'CREATED') return no()
      if (Date.parse(event.at) < Date.parse(state.consentExpiresAt)) return no(`the consent is valid until ${state.consentExpiresAt}`)
      return ended('ERROR', { code: 'CONSENT_EXPIRED', description: 'The payer did not authorize the preauthorization at their bank in time.' })
    case 'FAILED':
      return state.status === 'CREATED' ? ended('ERROR', event.error) : no()
    case 'REVOKED':
      return state.status === 'COMPLETED' ? ended('REVOKED', { code: 'CONSENT_REVOKED', description: 'The payer revoked the preauthorization at their bank.' }) : no()
    default:
      return assertNever(event)
  }
}

export function preauthorizationInvariantViolations(state: SmartTransferPreauthorizationState): string[] {
  const failed = state.status === 'REJECTED' || state.status === 'ERROR' || state.status === 'REVOKED'
  return failed === (state.error !== null) ? [] : [state.error ? `error present while ${state.status}` : `error missing for ${state.status}`]
}

/** The status a preauthorization takes transfers in: the payer authorized it and has not revoked it. */
export const PREAUTHORIZATION_IN_FORCE: SmartTransferPreauthorizationStatus = 'COMPLETED'
