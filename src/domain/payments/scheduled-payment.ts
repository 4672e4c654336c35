import { assertNever } from '../statuses.ts'
import { startOfBrasiliaDay } from './calendar-date.ts'
import type { PaymentErrorDetail, ScheduledPaymentStatus } from './statuses.ts'
import { accept, emit, refuse, type PaymentEffect, type Transition } from './transition.ts'

/**
 * One dated payment of a scheduled request (Pix Agendado). It waits for its day, then the payer's
 * bank settles it or fails it; the client may cancel it until the day before. A failed one is not
 * retried (the reference: the Central Bank's rules forbid it); the next dates go on.
 */
export interface ScheduledPaymentState {
  status: ScheduledPaymentStatus
  /** The day it settles, in Brasília. */
  date: string
  amountCents: number
  error: PaymentErrorDetail | null
}

export type ScheduledPaymentEvent =
  /** The payer's bank settled it (`today` in Brasília). */
  | { type: 'SETTLED'; today: string }
  /** The payer's bank failed it (insufficient funds, account closed, …). */
  | { type: 'FAILED'; error: PaymentErrorDetail }
  /** The client canceled it (cancelScheduledPayment), `today` in Brasília. */
  | { type: 'CANCELED_BY_CLIENT'; today: string }
  /** The schedule's consent ended: all its pending payments were canceled, or the payer revoked it. */
  | { type: 'CONSENT_ENDED' }

/** A scheduled payment as the schedule's consent creates it, and what the engine does then. */
export function createScheduledPayment(date: string, amountCents: number): { state: ScheduledPaymentState; effects: PaymentEffect[] } {
  return {
    state: { status: 'SCHEDULED', date, amountCents, error: null },
    effects: [emit('scheduled_payment/created'), { type: 'CHECK_AT', check: 'PAYMENT_DATE', at: startOfBrasiliaDay(date) }],
  }
}

export function transitionScheduledPayment(state: ScheduledPaymentState, event: ScheduledPaymentEvent): Transition<ScheduledPaymentState> {
  const no = (why?: string) => refuse<ScheduledPaymentState>('scheduled payment', event, state.status, why)
  if (state.status !== 'SCHEDULED') return no('it is finished')
  switch (event.type) {
    case 'SETTLED':
      if (event.today < state.date) return no(`it settles on ${state.date}`)
      return accept({ ...state, status: 'COMPLETED' }, [
        { type: 'MOVE_FUNDS', movement: 'DEBIT_PAYER', amountCents: state.amountCents },
        { type: 'MOVE_FUNDS', movement: 'CREDIT_RECIPIENT', amountCents: state.amountCents },
        emit('scheduled_payment/completed'),
      ])
    case 'FAILED':
      return accept({ ...state, status: 'ERROR', error: event.error }, [emit('scheduled_payment/error')])
    case 'CANCELED_BY_CLIENT':
      if (event.today >= state.date) return no(`it can be canceled until the day before ${state.date}`)
      return accept({ ...state, status: 'CANCELED' }, [emit('scheduled_payment/canceled')])
    case 'CONSENT_ENDED':
      return accept({ ...state, status: 'CANCELED' }, [emit('scheduled_payment/canceled')])
    default:
      return assertNever(event)
  }
}

export function scheduledPaymentInvariantViolations(state: ScheduledPaymentState): string[] {
  const violations: string[] = []
  if ((state.status === 'ERROR') !== (state.error !== null)) violations.push(state.error ? `error present while ${state.status}` : 'error missing for ERROR')
  if (!Number.isInteger(state.amountCents) || state.amountCents <= 0) violations.push('amountCents is a positive whole number of centavos')
  return violations
}
