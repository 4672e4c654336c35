/**
 * Dates as the sandbox counts them: whole days since 1970-01-01 UTC ("day numbers"), taken from
 * the engine's clock and never from the wall clock, so the data of a day is the same on every
 * machine and in every time zone.
 */

const DAY_MS = 86_400_000

/** Whole days since the epoch (UTC) of a date. */
export function dayNumber(date: Date): number {
  return Math.floor(date.getTime() / DAY_MS)
}

/** The day number of a calendar date; `month` counts from 1 and may overflow into the next years. */
export function dayOf(year: number, month: number, dayOfMonth: number): number {
  return Date.UTC(year, month - 1, dayOfMonth) / DAY_MS
}

/** Midnight UTC of a day as a full ISO timestamp (`2026-03-15T00:00:00.000Z`). */
export function isoOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString()
}

/** A day as `YYYY-MM-DD`. */
export function dateOnlyOfDay(day: number): string {
  return isoOfDay(day).slice(0, 10)
}

/** The first day of the month `monthsBack` months before the month of `day`. */
export function monthStart(day: number, monthsBack: number): number {
  const date = new Date(day * DAY_MS)
  return dayOf(date.getUTCFullYear(), date.getUTCMonth() + 1 - monthsBack, 1)
}

/** The next date on or after `day` whose day of month is `dayOfMonth` (1..28). */
export function nextDayOfMonth(day: number, dayOfMonth: number): number {
  const date = new Date(day * DAY_MS)
  const thisMonth = dayOf(date.getUTCFullYear(), date.getUTCMonth() + 1, dayOfMonth)
  return thisMonth >= day ? thisMonth : dayOf(date.getUTCFullYear(), date.getUTCMonth() + 2, dayOfMonth)
}

/** 0 for Sunday … 6 for Saturday (1970-01-01 was a Thursday). */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7
}

/** Easter Sunday of a year (Gregorian computus, Meeus/Jones/Butcher). */
export function easterSunday(year: number): number {
  const a = year % 19
  const b = Math.floor(year / 100)
  const c = year % 100
  const d = Math.floor(b / 4)
  const e = b % 4
  const f = Math.floor((b + 8) / 25)
  const g = Math.floor((b - f + 1) / 3)
  const h = (19 * a + b - d - g + 15) % 30
  const i = Math.floor(c / 4)
  const k = c % 4
  const l = (32 + 2 * e + 2 * i - h - k) % 7
  const m = Math.floor((a + 11 * h + 22 * l) / 451)
  const month = Math.floor((h + l - 7 * m + 114) / 31)
  const dayOfMonth = ((h + l - 7 * m + 114) % 31) + 1
  return dayOf(year, month, dayOfMonth)
}

/** Fixed-date national holidays on which Brazilian banks close; `since` the first year one applies. */
const FIXED_BANK_HOLIDAYS: readonly { month: number; day: number; since?: number }[] = [
  { month: 1, day: 1 }, // Confraternização Universal
  { month: 4, day: 21 }, // Tiradentes
  { month: 5, day: 1 }, // Dia do Trabalho
  { month: 9, day: 7 }, // Independência
  { month: 10, day: 12 }, // Nossa Senhora Aparecida
  { month: 11, day: 2 }, // Finados
  { month: 11, day: 15 }, // Proclamação da República
  { month: 11, day: 20, since: 2024 }, // Consciência Negra (Lei 14.759/2023)
  { month: 12, day: 25 }, // Natal
]

/** Days relative to Easter Sunday on which banks close: Carnival Monday and Tuesday, Good Friday, Corpus Christi. */
const EASTER_BANK_HOLIDAYS = [-48, -47, -2, 60] as const

/** Whether Brazilian banks close on a day for a national holiday (weekends aside). */
export function isBankHoliday(day: number): boolean {
  const date = new Date(day * DAY_MS)
  const year = date.getUTCFullYear()
  const month = date.getUTCMonth() + 1
  const dayOfMonth = date.getUTCDate()
  if (FIXED_BANK_HOLIDAYS.some((h) => h.month === month && h.day === dayOfMonth && year >= (h.since ?? year))) return true
  const easter = easterSunday(year)
  return EASTER_BANK_HOLIDAYS.some((offset) => easter + offset === day)
}

/** A day banks open: not a weekend, not a national bank holiday. */
export function isBusinessDay(day: number): boolean {
  const wd = weekday(day)
  return wd !== 0 && wd !== 6 && !isBankHoliday(day)
}

/** `day` itself when banks open on it, else the next day they do (where due dates move to). */
export function businessDayOnOrAfter(day: number): number {
  let candidate = day
  while (!isBusinessDay(candidate)) candidate++
  return candidate
}
