import { assertNever } from '../statuses.ts'
import { AUTOMATIC_PIX_RULES } from './automatic-pix.ts'
import { addDays, startOfBrasiliaDay } from './calendar-date.ts'
import type { AutomaticPixPaymentStatus, PaymentErrorDetail } from './statuses.ts'
import { accept, emit, refuse, type PaymentEffect, type Transition } from './transition.ts'

/**
 * One payment under a Pix Automático authorization. SCHEDULED until its day (the payer's bank
 * holds the instruction), CREATED once sent to settlement on that day, then COMPLETED or ERROR.
 * The client may cancel it until the day before; a failed one may be retried (same payment, a new
 * date) when the authorization accepts retries and the failure is one a retry can cure.
 */
export interface AutomaticPixPaymentState {
  status: AutomaticPixPaymentStatus
  date: string
  /** The date it was first scheduled for: retries stay within a window from it. */
  originalDate: string
  amountCents: number
  /** Retries scheduled so far. */
  retries: number
  error: (PaymentErrorDetail & { retriable: boolean }) | null
}

export type AutomaticPixPaymentEvent =
  /** Its day came (`today`, in Brasília): the instruction goes to settlement. */
  | { type: 'DATE_REACHED'; today: string }
  /** The payer's account was debited and the recipient credited. */
  | { type: 'SETTLED' }
  /** The payer's bank refused the instruction or failed the payment; `retriable` for failures like insufficient funds. */
  | { type: 'FAILED'; error: PaymentErrorDetail; retriable: boolean }
  /** The client canceled it (cancelAutomaticPixPayment), `today` in Brasília. */
  | { type: 'CANCELED_BY_CLIENT'; today: string }
  /** The authorization ended (canceled, revoked or expired) while the payment waited. */
  | { type: 'AUTHORIZATION_ENDED' }
  /** The client retries the failed payment on `date` (retryAutomaticPixPayment). */
  | { type: 'RETRY_SCHEDULED'; date: string; today: string; retryAccepted: boolean }

function scheduled(date: string): PaymentEffect[] {
  return [emit('automatic_pix_payment/created'), { type: 'CHECK_AT', check: 'PAYMENT_DATE', at: startOfBrasiliaDay(date) }]
}

/** A payment as the client (or the authorization's first payment) schedules it. */
export function createAutomaticPixPayment(date: string, amountCents: number): { state: AutomaticPixPaymentState; effects: PaymentEffect[] } {
  return { state: { status: 'SCHEDULED', date, originalDate: date, amountCents, retries: 0, error: null }, effects: scheduled(date) }
}

export function transitionAutomaticPixPayment(state: AutomaticPixPaymentState, event: AutomaticPixPaymentEvent): Transition<AutomaticPixPaymentState> {
  const no = (why?: string) => refuse<AutomaticPixPaymentState>('Pix Automático payment', event, state.status, why)
  const { status } = state
  switch (event.type) {
    case 'DATE_REACHED':
      if (status !== 'SCHEDULED') return no()
      return event.today >= state.date ? accept({ ...state, status: 'CREATED' }) : no(`it settles on ${state.date}`)
    case 'SETTLED':
      if (status !== 'CREATED') return no()
      return accept({ ...state, status: 'COMPLETED' }, [
        { type: 'MOVE_FUNDS', movement: 'DEBIT_PAYER', amountCents: state.amountCents },
        { type: 'MOVE_FUNDS', movement: 'CREDIT_RECIPIENT', amountCents: state.amountCents },
        emit('automatic_pix_payment/completed'),
      ])
    case 'FAILED':
      if (status !== 'SCHEDULED' && status !== 'CREATED') return no()
      return accept({ ...state, status: 'ERROR', error: { ...event.error, retriable: event.retriable } }, [emit('automatic_pix_payment/error')])
    case 'CANCELED_BY_CLIENT':
      if (status !== 'SCHEDULED') return no()
      if (event.today >= state.date) return no(`it can be canceled until the day before ${state.date}`)
      return accept({ ...state, status: 'CANCELED' }, [emit('automatic_pix_payment/canceled')])
    case 'AUTHORIZATION_ENDED':
      return status === 'SCHEDULED' ? accept({ ...state, status: 'CANCELED' }, [emit('automatic_pix_payment/canceled')]) : no()
    case 'RETRY_SCHEDULED': {
      if (status !== 'ERROR' || !state.error) return no()
      if (!event.retryAccepted) return no('the authorization does not accept retries')
      if (!state.error.retriable) return no(`a retry cannot cure ${state.error.code}`)
      if (state.retries >= AUTOMATIC_PIX_RULES.maxRetries) return no(`it was retried ${AUTOMATIC_PIX_RULES.maxRetries} times already`)
      const last = addDays(state.originalDate, AUTOMATIC_PIX_RULES.retryWindowDays)
      if (event.date <= event.today || event.date > last) return no(`a retry is dated after today and by ${last}`)
      return accept({ ...state, status: 'SCHEDULED', date: event.date, retries: state.retries + 1, error: null }, scheduled(event.date))
    }
    default:
      return assertNever(event)
  }
}

export function automaticPixPaymentInvariantViolations(state: AutomaticPixPaymentState): string[] {
  const violations: string[] = []
  if ((state.status === 'ERROR') !== (state.error !== null)) violations.push(state.error ? `error present while ${state.status}` : 'error missing for ERROR')
  if (state.retries < 0 || state.retries > AUTOMATIC_PIX_RULES.maxRetries) violations.push(`retries ${state.retries} outside 0–${AUTOMATIC_PIX_RULES.maxRetries}`)
  if (state.retries === 0 && state.date !== state.originalDate) violations.push('the date moved without a retry')
  if (state.retries > 0 && (state.date <= state.originalDate || state.date > addDays(state.originalDate, AUTOMATIC_PIX_RULES.retryWindowDays))) {
    violations.push('a retry is dated within the retry window after the original date')
  }
  if (!Number.isInteger(state.amountCents) || state.amountCents <= 0) violations.push('amountCents is a positive whole number of centavos')
  return violations
}
