import { assertNever } from '../statuses.ts'
import { DAYS_OF_WEEK, addDays, compareDates, dayOfMonthAfter, dayOfWeek, isCalendarDate, type DayOfWeek } from './calendar-date.ts'
import type { FieldProblem, Validated } from './field-problem.ts'

/** A payment request's schedule, with the reference's fields (PaymentRequestSchedule). */
export type PaymentSchedule =
  | { type: 'SINGLE'; date: string }
  | { type: 'DAILY'; startDate: string; occurrences: number }
  | { type: 'WEEKLY'; startDate: string; occurrences: number; dayOfWeek: DayOfWeek }
  | { type: 'MONTHLY'; startDate: string; occurrences: number; dayOfMonth: number }
  | { type: 'CUSTOM'; dates: string[]; additionalInformation?: string }

export const SCHEDULE_TYPES = ['SINGLE', 'DAILY', 'WEEKLY', 'MONTHLY', 'CUSTOM'] as const satisfies readonly PaymentSchedule['type'][]

/**
 * The limits of Open Finance Brasil's scheduled payments (payments API 4.0, Schedule*): a date
 * from tomorrow to two years ahead, in Brasília time; 2–60 daily or weekly occurrences, 2–24
 * monthly ones, 2–60 distinct custom dates.
 */
export const SCHEDULE_LIMITS = {
  firstDay: 1,
  lastDay: 730,
  occurrences: { DAILY: [2, 60], WEEKLY: [2, 60], MONTHLY: [2, 24] },
  customDates: [2, 60],
  additionalInformationLength: 255,
} as const

/**
 * The days a schedule fires on, in order. WEEKLY starts on the first `dayOfWeek` from `startDate`;
 * MONTHLY on the first `dayOfMonth` from `startDate`, on the month's last day in months too short
 * for it. Weekends and holidays are kept: Pix settles every day.
 */
export function scheduleDates(schedule: PaymentSchedule): string[] {
  switch (schedule.type) {
    case 'SINGLE':
      return [schedule.date]
    case 'DAILY':
      return Array.from({ length: schedule.occurrences }, (_, i) => addDays(schedule.startDate, i))
    case 'WEEKLY': {
      const offset = (DAYS_OF_WEEK.indexOf(schedule.dayOfWeek) - DAYS_OF_WEEK.indexOf(dayOfWeek(schedule.startDate)) + 7) % 7
      const first = addDays(schedule.startDate, offset)
      return Array.from({ length: schedule.occurrences }, (_, i) => addDays(first, 7 * i))
    }
    case 'MONTHLY': {
      const skip = compareDates(dayOfMonthAfter(schedule.startDate, 0, schedule.dayOfMonth), schedule.startDate) < 0 ? 1 : 0
      return Array.from({ length: schedule.occurrences }, (_, i) => dayOfMonthAfter(schedule.startDate, skip + i, schedule.dayOfMonth))
    }
    case 'CUSTOM':
      return [...schedule.dates].sort(compareDates)
    default:
      return assertNever(schedule)
  }
}

function isCount(value: number, [min, max]: readonly [number, number]): boolean {
  return Number.isInteger(value) && value >= min && value <= max
}

/**
 * Checks a schedule against the limits, seen from `today` (in Brasília), and answers the dates it
 * fires on. Every problem is reported, each with the field it concerns.
 */
export function validateSchedule(schedule: PaymentSchedule, today: string): Validated<string[]> {
  const problems: FieldProblem[] = []
  const problem = (field: string, message: string) => problems.push({ field: `schedule.${field}`, message })
  const first = addDays(today, SCHEDULE_LIMITS.firstDay)
  const last = addDays(today, SCHEDULE_LIMITS.lastDay)
  const dateInRange = (field: string, date: string) => {
    if (!isCalendarDate(date)) problem(field, `${JSON.stringify(date)} is not a date written YYYY-MM-DD.`)
    else if (date < first || date > last) problem(field, `${date} must be between ${first} (tomorrow in Brasília) and ${last} (two years ahead).`)
  }
  switch (schedule.type) {
    case 'SINGLE':
      dateInRange('date', schedule.date)
      break
    case 'DAILY':
    case 'WEEKLY':
    case 'MONTHLY': {
      dateInRange('startDate', schedule.startDate)
      const limits = SCHEDULE_LIMITS.occurrences[schedule.type]
      if (!isCount(schedule.occurrences, limits)) problem('occurrences', `A ${schedule.type} schedule has from ${limits[0]} to ${limits[1]} occurrences.`)
      if (schedule.type === 'WEEKLY' && !DAYS_OF_WEEK.includes(schedule.dayOfWeek)) problem('dayOfWeek', `dayOfWeek is one of ${DAYS_OF_WEEK.join(', ')}.`)
      if (schedule.type === 'MONTHLY' && !isCount(schedule.dayOfMonth, [1, 31])) problem('dayOfMonth', 'dayOfMonth is a whole number from 1 to 31.')
      break
    }
    case 'CUSTOM': {
      if (!isCount(schedule.dates.length, SCHEDULE_LIMITS.customDates)) problem('dates', `A CUSTOM schedule has from ${SCHEDULE_LIMITS.customDates[0]} to ${SCHEDULE_LIMITS.customDates[1]} dates.`)
      schedule.dates.forEach((date, i) => dateInRange(`dates[${i}]`, date))
      if (new Set(schedule.dates).size !== schedule.dates.length) problem('dates', 'The dates of a CUSTOM schedule must all differ.')
      if ((schedule.additionalInformation?.length ?? 0) > SCHEDULE_LIMITS.additionalInformationLength) {
        problem('additionalInformation', `additionalInformation has at most ${SCHEDULE_LIMITS.additionalInformationLength} characters.`)
      }
      break
    }
    default:
      return assertNever(schedule)
  }
  if (problems.length > 0) return { ok: false, problems }
  const dates = scheduleDates(schedule)
  const beyond = dates.find((date) => date > last)
  if (beyond) return { ok: false, problems: [{ field: 'schedule', message: `The schedule fires on ${beyond}, more than two years ahead (after ${last}).` }] }
  return { ok: true, value: dates }
}
