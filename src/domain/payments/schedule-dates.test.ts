import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { addDays, brasiliaDateOf, dayOfWeek, daysBetween, isCalendarDate, startOfBrasiliaDay } from './calendar-date.ts'
import { SCHEDULE_LIMITS, scheduleDates, validateSchedule, type PaymentSchedule } from './schedule-dates.ts'

describe('calendar dates in Brasília', () => {
  it('knows real dates, leap years included', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true)
    expect(isCalendarDate('2026-02-29')).toBe(false)
    expect(isCalendarDate('2026-04-31')).toBe(false)
    expect(isCalendarDate('2026-4-1')).toBe(false)
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01')
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29')
    expect(daysBetween('2025-12-31', '2026-03-01')).toBe(60)
    expect(dayOfWeek('2026-03-02')).toBe('MONDAY')
    expect(dayOfWeek('2026-03-08')).toBe('SUNDAY')
  })

  it('a day in Brasília starts at 03:00 UTC, all year (no daylight saving since 2019)', () => {
    expect(startOfBrasiliaDay('2026-01-15')).toBe('2026-01-15T03:00:00.000Z')
    expect(startOfBrasiliaDay('2026-07-15')).toBe('2026-07-15T03:00:00.000Z')
    expect(brasiliaDateOf(new Date('2026-03-02T02:59:59.999Z'))).toBe('2026-03-01')
    expect(brasiliaDateOf(new Date('2026-03-02T03:00:00.000Z'))).toBe('2026-03-02')
  })
})

describe('the dates a schedule fires on', () => {
  it('SINGLE: its date', () => {
    expect(scheduleDates({ type: 'SINGLE', date: '2026-03-07' })).toEqual(['2026-03-07'])
  })

  it('DAILY: consecutive days across a month end, weekends kept (Pix settles every day)', () => {
    expect(scheduleDates({ type: 'DAILY', startDate: '2026-02-27', occurrences: 4 })).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02'])
  })

  it('WEEKLY: from the first such weekday on or after the start, Saturdays included', () => {
    expect(scheduleDates({ type: 'WEEKLY', startDate: '2026-03-02', occurrences: 3, dayOfWeek: 'SATURDAY' })).toEqual(['2026-03-07', '2026-03-14', '2026-03-21'])
    expect(scheduleDates({ type: 'WEEKLY', startDate: '2026-03-07', occurrences: 2, dayOfWeek: 'SATURDAY' })).toEqual(['2026-03-07', '2026-03-14'])
    expect(scheduleDates({ type: 'WEEKLY', startDate: '2026-12-30', occurrences: 2, dayOfWeek: 'MONDAY' })).toEqual(['2027-01-04', '2027-01-11'])
  })

  it('MONTHLY: on the day of the month, or the last day of months too short for it', () => {
    expect(scheduleDates({ type: 'MONTHLY', startDate: '2026-01-15', occurrences: 5, dayOfMonth: 31 })).toEqual(['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31'])
    expect(scheduleDates({ type: 'MONTHLY', startDate: '2027-12-15', occurrences: 3, dayOfMonth: 29 })).toEqual(['2027-12-29', '2028-01-29', '2028-02-29'])
  })

  it('MONTHLY: a day already past in the start month begins the next month', () => {
    expect(scheduleDates({ type: 'MONTHLY', startDate: '2026-03-20', occurrences: 2, dayOfMonth: 5 })).toEqual(['2026-04-05', '2026-05-05'])
    expect(scheduleDates({ type: 'MONTHLY', startDate: '2026-12-31', occurrences: 2, dayOfMonth: 1 })).toEqual(['2027-01-01', '2027-02-01'])
  })

  it('CUSTOM: its dates in order', () => {
    expect(scheduleDates({ type: 'CUSTOM', dates: ['2026-05-01', '2026-03-30'] })).toEqual(['2026-03-30', '2026-05-01'])
  })

  it('property: a recurring schedule fires the right number of times, in strictly increasing order, never before its start', () => {
    const dateArb = fc.integer({ min: 0, max: 1_500 }).map((n) => addDays('2026-01-01', n))
    const scheduleArb = fc.oneof(
      fc.record({ type: fc.constant('DAILY' as const), startDate: dateArb, occurrences: fc.integer({ min: 2, max: 60 }) }),
      fc.record({ type: fc.constant('WEEKLY' as const), startDate: dateArb, occurrences: fc.integer({ min: 2, max: 60 }), dayOfWeek: fc.constantFrom('MONDAY', 'FRIDAY', 'SUNDAY' as const) }),
      fc.record({ type: fc.constant('MONTHLY' as const), startDate: dateArb, occurrences: fc.integer({ min: 2, max: 24 }), dayOfMonth: fc.integer({ min: 1, max: 31 }) }),
    )
    fc.assert(
      fc.property(scheduleArb, (schedule: PaymentSchedule & { startDate: string; occurrences: number }) => {
        const dates = scheduleDates(schedule)
        expect(dates.length).toBe(schedule.occurrences)
        expect(dates.every(isCalendarDate)).toBe(true)
        expect(dates[0] >= schedule.startDate).toBe(true)
        for (let i = 1; i < dates.length; i++) expect(dates[i] > dates[i - 1]).toBe(true)
        if (schedule.type === 'WEEKLY') expect(dates.every((d) => dayOfWeek(d) === schedule.dayOfWeek)).toBe(true)
        if (schedule.type === 'MONTHLY') for (const d of dates) expect(Number(d.slice(8)) === schedule.dayOfMonth || addDays(d, 1).endsWith('-01')).toBe(true)
      }),
      { seed: 17, numRuns: 1000 },
    )
  })
})

describe('schedule limits', () => {
  const today = '2026-03-02'

  it('from tomorrow to two years ahead, in Brasília', () => {
    expect(validateSchedule({ type: 'SINGLE', date: '2026-03-03' }, today)).toEqual({ ok: true, value: ['2026-03-03'] })
    expect(validateSchedule({ type: 'SINGLE', date: '2026-03-02' }, today).ok).toBe(false)
    expect(validateSchedule({ type: 'SINGLE', date: addDays(today, SCHEDULE_LIMITS.lastDay) }, today).ok).toBe(true)
    expect(validateSchedule({ type: 'SINGLE', date: addDays(today, SCHEDULE_LIMITS.lastDay + 1) }, today).ok).toBe(false)
  })

  it('2–60 daily or weekly occurrences, 2–24 monthly, 2–60 distinct custom dates', () => {
    const field = (s: PaymentSchedule) => {
      const result = validateSchedule(s, today)
      return result.ok ? [] : result.problems.map((p) => p.field)
    }
    expect(field({ type: 'DAILY', startDate: '2026-03-03', occurrences: 61 })).toEqual(['schedule.occurrences'])
    expect(field({ type: 'WEEKLY', startDate: '2026-03-03', occurrences: 1, dayOfWeek: 'MONDAY' })).toEqual(['schedule.occurrences'])
    expect(field({ type: 'MONTHLY', startDate: '2026-03-03', occurrences: 24, dayOfMonth: 10 })).toEqual([])
    expect(field({ type: 'MONTHLY', startDate: '2026-03-03', occurrences: 25, dayOfMonth: 10 })).toEqual(['schedule.occurrences'])
    expect(field({ type: 'MONTHLY', startDate: '2026-03-03', occurrences: 2, dayOfMonth: 32 })).toEqual(['schedule.dayOfMonth'])
    expect(field({ type: 'CUSTOM', dates: ['2026-03-10', '2026-03-10'] })).toEqual(['schedule.dates'])
    expect(field({ type: 'CUSTOM', dates: ['2026-03-10'] })).toEqual(['schedule.dates'])
    expect(field({ type: 'CUSTOM', dates: ['2026-03-10', '2026-02-30'] })).toEqual(['schedule.dates[1]'])
  })

  it('a recurring schedule whose last date falls beyond two years is refused', () => {
    const result = validateSchedule({ type: 'MONTHLY', startDate: '2027-12-01', occurrences: 24, dayOfMonth: 1 }, today)
    expect(!result.ok && result.problems[0].message).toMatch(/more than two years ahead/)
  })
})
