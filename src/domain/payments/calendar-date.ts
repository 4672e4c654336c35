/**
 * Calendar dates (`YYYY-MM-DD`) as Brazilian payments use them: a payment's date is a day in
 * Brasília time, which has been UTC−03:00 all year since daylight saving ended in 2019. Pix settles
 * every day of the year, so none of these functions skips weekends or holidays.
 */

export const DAYS_OF_WEEK = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const
export type DayOfWeek = (typeof DAYS_OF_WEEK)[number]

const DAY_MS = 86_400_000
const BRASILIA_OFFSET_MS = 3 * 3_600_000
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/

function parts(date: string): [number, number, number] {
  const match = DATE_PATTERN.exec(date)
  if (!match) throw new Error(`not a calendar date: ${date}`)
  return [Number(match[1]), Number(match[2]), Number(match[3])]
}

function toDays(date: string): number {
  const [y, m, d] = parts(date)
  return Date.UTC(y, m - 1, d) / DAY_MS
}

function fromDays(days: number): string {
  return new Date(days * DAY_MS).toISOString().slice(0, 10)
}

/** Whether `text` is a real calendar date written `YYYY-MM-DD` (no 2025-02-30). */
export function isCalendarDate(text: string): boolean {
  if (!DATE_PATTERN.test(text)) return false
  const [y, m, d] = parts(text)
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m)
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

export function addDays(date: string, days: number): string {
  return fromDays(toDays(date) + days)
}

/** Days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return toDays(to) - toDays(from)
}

/** Dates compare as text, being zero-padded; this says so once. */
export function compareDates(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

export function dayOfWeek(date: string): DayOfWeek {
  // 1970-01-01 was a Thursday.
  return DAYS_OF_WEEK[(((toDays(date) + 3) % 7) + 7) % 7]
}

/**
 * The `day`-th of the month `months` after `date`'s month, or that month's last day when it is
 * shorter (31 → 30 April, 28 or 29 February).
 */
export function dayOfMonthAfter(date: string, months: number, day: number): string {
  const [y, m] = parts(date)
  const index = y * 12 + (m - 1) + months
  const year = Math.floor(index / 12)
  const month = (index % 12) + 1
  const clamped = Math.min(day, daysInMonth(year, month))
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(clamped).padStart(2, '0')}`
}

/** The day in Brasília of an instant. */
export function brasiliaDateOf(instant: Date): string {
  return new Date(instant.getTime() - BRASILIA_OFFSET_MS).toISOString().slice(0, 10)
}

/** The instant a day starts in Brasília, as an ISO string. */
export function startOfBrasiliaDay(date: string): string {
  return new Date(toDays(date) * DAY_MS + BRASILIA_OFFSET_MS).toISOString()
}

/** `instant` plus `minutes`, as an ISO string. */
export function addMinutes(instant: string, minutes: number): string {
  return new Date(Date.parse(instant) + minutes * 60_000).toISOString()
}
