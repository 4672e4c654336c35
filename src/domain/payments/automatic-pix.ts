import { addDays, dayOfMonthAfter, daysBetween, isCalendarDate } from './calendar-date.ts'
import type { FieldProblem } from './field-problem.ts'
import type { AutomaticPixPaymentStatus } from './statuses.ts'

/**
 * The terms of a Pix Automático authorization (the reference's PaymentRequestAutomaticPixDetails,
 * amounts in centavos) and the rules a payment scheduled under it must keep.
 */
export const AUTOMATIC_PIX_INTERVALS = ['WEEKLY', 'MONTHLY', 'QUARTERLY', 'SEMESTER', 'YEARLY'] as const
export type AutomaticPixInterval = (typeof AUTOMATIC_PIX_INTERVALS)[number]

export interface AutomaticPixTerms {
  interval: AutomaticPixInterval
  startDate: string
  fixedAmountCents: number | null
  minimumVariableAmountCents: number | null
  maximumVariableAmountCents: number | null
  /** The authorization's last day, if it has one. */
  expiresAt: string | null
  isRetryAccepted: boolean
}

/**
 * Pix Automático's calendar (Central Bank rules, as the reference documents them): a payment is
 * scheduled from 2 to 10 days before its date; a failed one may be retried up to 3 times within 7
 * days of its original date, once a day at most, when the authorization accepts retries.
 */
export const AUTOMATIC_PIX_RULES = { scheduleFromDays: 2, scheduleToDays: 10, maxRetries: 3, retryWindowDays: 7 } as const

/** Statuses that hold their period: one payment per interval, not counting canceled ones or the first payment. */
export const PERIOD_HOLDING_STATUSES = ['SCHEDULED', 'CREATED', 'COMPLETED', 'ERROR'] as const satisfies readonly AutomaticPixPaymentStatus[]

const MONTHS: Record<Exclude<AutomaticPixInterval, 'WEEKLY'>, number> = { MONTHLY: 1, QUARTERLY: 3, SEMESTER: 6, YEARLY: 12 }

/** The expiry's day: `expiresAt` may be a date or an instant. */
function lastDay(terms: AutomaticPixTerms): string | null {
  return terms.expiresAt === null ? null : terms.expiresAt.slice(0, 10)
}

/**
 * Which interval of the authorization `date` falls in: 0 for the interval that starts on
 * `startDate`, −1 before it. Month-based intervals start on `startDate`'s day of the month (or the
 * month's last day, when shorter).
 */
export function periodOf(terms: Pick<AutomaticPixTerms, 'interval' | 'startDate'>, date: string): number {
  if (date < terms.startDate) return -1
  if (terms.interval === 'WEEKLY') return Math.floor(daysBetween(terms.startDate, date) / 7)
  const months = MONTHS[terms.interval]
  const day = Number(terms.startDate.slice(8, 10))
  const elapsed = (Number(date.slice(0, 4)) - Number(terms.startDate.slice(0, 4))) * 12 + Number(date.slice(5, 7)) - Number(terms.startDate.slice(5, 7))
  let period = Math.floor(elapsed / months)
  if (date < dayOfMonthAfter(terms.startDate, period * months, day)) period--
  return period
}

/** Problems with an authorization's own terms (empty when they hold). */
export function automaticPixTermsProblems(terms: AutomaticPixTerms, today: string): FieldProblem[] {
  const problems: FieldProblem[] = []
  const { fixedAmountCents: fixed, minimumVariableAmountCents: min, maximumVariableAmountCents: max } = terms
  if (!AUTOMATIC_PIX_INTERVALS.includes(terms.interval)) problems.push({ field: 'interval', message: `interval is one of ${AUTOMATIC_PIX_INTERVALS.join(', ')}.` })
  if (!isCalendarDate(terms.startDate)) problems.push({ field: 'startDate', message: 'startDate is a date written YYYY-MM-DD.' })
  else if (terms.startDate < today) problems.push({ field: 'startDate', message: `startDate cannot be before today (${today} in Brasília).` })
  if (fixed !== null && (min !== null || max !== null)) {
    problems.push({ field: 'fixedAmount', message: 'fixedAmount cannot be given with minimumVariableAmount or maximumVariableAmount.' })
  }
  if (min !== null && max !== null && min > max) problems.push({ field: 'minimumVariableAmount', message: 'minimumVariableAmount cannot exceed maximumVariableAmount.' })
  const last = lastDay(terms)
  if (last !== null && (!isCalendarDate(last) || last <= terms.startDate)) problems.push({ field: 'expiresAt', message: 'expiresAt is a date after startDate.' })
  return problems
}

/**
 * Problems with a payment the client schedules under an authorization in force (empty when it may
 * be scheduled): its date in the scheduling window and the authorization's validity, its amount
 * within the terms, its interval not taken by another payment (`others`, the authorization's
 * payments besides the first one).
 */
export function automaticPixPaymentProblems(
  terms: AutomaticPixTerms,
  payment: { amountCents: number; date: string },
  today: string,
  others: { date: string; status: AutomaticPixPaymentStatus }[],
): FieldProblem[] {
  const problems: FieldProblem[] = []
  const from = addDays(today, AUTOMATIC_PIX_RULES.scheduleFromDays)
  const to = addDays(today, AUTOMATIC_PIX_RULES.scheduleToDays)
  if (!isCalendarDate(payment.date)) return [{ field: 'date', message: 'date is a date written YYYY-MM-DD.' }]
  if (payment.date < from || payment.date > to) problems.push({ field: 'date', message: `A Pix Automático payment is scheduled 2 to 10 days ahead: from ${from} to ${to}.` })
  if (payment.date < terms.startDate) problems.push({ field: 'date', message: `The authorization starts on ${terms.startDate}.` })
  const last = lastDay(terms)
  if (last !== null && payment.date > last) problems.push({ field: 'date', message: `The authorization expires on ${last}.` })
  const { fixedAmountCents: fixed, minimumVariableAmountCents: min, maximumVariableAmountCents: max } = terms
  if (fixed !== null && payment.amountCents !== fixed) problems.push({ field: 'amount', message: `The authorization is for a fixed amount of ${fixed / 100}.` })
  if (min !== null && payment.amountCents < min) problems.push({ field: 'amount', message: `The authorization's minimum amount is ${min / 100}.` })
  if (max !== null && payment.amountCents > max) problems.push({ field: 'amount', message: `The authorization's maximum amount is ${max / 100}.` })
  const period = periodOf(terms, payment.date)
  const taken = others.find((o) => (PERIOD_HOLDING_STATUSES as readonly string[]).includes(o.status) && periodOf(terms, o.date) === period)
  if (period >= 0 && taken) problems.push({ field: 'date', message: `A ${terms.interval} authorization allows one payment per interval; the payment of ${taken.date} is in the same one.` })
  return problems
}
