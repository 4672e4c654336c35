import { describe, expect, it } from 'vitest'
import { businessDayOnOrAfter, dateOnlyOfDay, dayNumber, dayOf, easterSunday, isBankHoliday, isBusinessDay, isoOfDay, monthStart, nextDayOfMonth, weekday } from './calendar.ts'

const day = (iso: string) => dayNumber(new Date(`${iso}T00:00:00Z`))

describe('day numbers', () => {
  it('count whole UTC days since the epoch, flooring before it', () => {
    expect(dayNumber(new Date('1970-01-01T23:59:59.999Z'))).toBe(0)
    expect(dayNumber(new Date('1970-01-02T00:00:00.000Z'))).toBe(1)
    expect(dayNumber(new Date('1969-12-31T23:00:00.000Z'))).toBe(-1)
    // The same instant written in another zone is the same day.
    expect(dayNumber(new Date('2026-03-15T23:30:00-03:00'))).toBe(day('2026-03-16'))
  })

  it('format as a full ISO timestamp or a date', () => {
    expect(isoOfDay(day('2026-03-15'))).toBe('2026-03-15T00:00:00.000Z')
    expect(dateOnlyOfDay(day('2024-02-29'))).toBe('2024-02-29')
  })

  it('come from calendar dates, with months overflowing into the next year', () => {
    expect(dayOf(2026, 3, 15)).toBe(day('2026-03-15'))
    expect(dayOf(2025, 13, 1)).toBe(day('2026-01-01'))
    expect(dayOf(2026, 0, 1)).toBe(day('2025-12-01'))
  })
})

describe('dates relative to a day', () => {
  it('monthStart goes back whole months, across a year', () => {
    expect(monthStart(day('2026-01-15'), 0)).toBe(day('2026-01-01'))
    expect(monthStart(day('2026-01-15'), 1)).toBe(day('2025-12-01'))
    expect(monthStart(day('2026-03-31'), 13)).toBe(day('2025-02-01'))
  })

  it('nextDayOfMonth is the day itself, later this month, or in the next month', () => {
    expect(nextDayOfMonth(day('2026-03-15'), 15)).toBe(day('2026-03-15'))
    expect(nextDayOfMonth(day('2026-03-15'), 20)).toBe(day('2026-03-20'))
    expect(nextDayOfMonth(day('2026-03-15'), 5)).toBe(day('2026-04-05'))
    expect(nextDayOfMonth(day('2026-12-28'), 1)).toBe(day('2027-01-01'))
  })
})

describe('business days', () => {
  it('knows the weekday of a day', () => {
    expect(weekday(0)).toBe(4) // 1970-01-01, a Thursday
    expect(weekday(day('2026-03-15'))).toBe(0) // a Sunday
    expect(weekday(day('1969-12-28'))).toBe(0)
  })

  it('finds Easter Sunday', () => {
    expect(easterSunday(2000)).toBe(day('2000-04-23'))
    expect(easterSunday(2019)).toBe(day('2019-04-21'))
    expect(easterSunday(2024)).toBe(day('2024-03-31'))
    expect(easterSunday(2025)).toBe(day('2025-04-20'))
    expect(easterSunday(2026)).toBe(day('2026-04-05'))
  })

  it('closes banks on the national and Easter-based holidays', () => {
    for (const holiday of ['2026-01-01', '2026-02-16', '2026-02-17', '2026-04-03', '2026-04-21', '2026-06-04', '2026-09-07', '2026-11-20', '2026-12-25']) {
      expect(isBankHoliday(day(holiday)), holiday).toBe(true)
    }
    for (const open of ['2026-02-18', '2026-04-06', '2026-12-24', '2023-11-20']) {
      expect(isBankHoliday(day(open)), open).toBe(false)
    }
  })

  it('opens on weekdays that are not holidays', () => {
    expect(isBusinessDay(day('2026-03-16'))).toBe(true) // Monday
    expect(isBusinessDay(day('2026-03-14'))).toBe(false) // Saturday
    expect(isBusinessDay(day('2026-03-15'))).toBe(false) // Sunday
    expect(isBusinessDay(day('2026-04-03'))).toBe(false) // Good Friday
  })

  it('moves a day to the next one banks open', () => {
    expect(businessDayOnOrAfter(day('2026-03-13'))).toBe(day('2026-03-13')) // a Friday stays
    expect(businessDayOnOrAfter(day('2026-03-14'))).toBe(day('2026-03-16'))
    expect(businessDayOnOrAfter(day('2026-04-03'))).toBe(day('2026-04-06')) // Good Friday, then the weekend
    expect(businessDayOnOrAfter(day('2026-02-14'))).toBe(day('2026-02-18')) // Carnival weekend
  })
})
