import { describe, expect, it } from 'vitest'
import { HISTORY_DAYS, PENDING_DAYS, SLOT_EVERY, bookedSlots, isCancelledSlot, isSlot } from './transaction-schedule.ts'

const START = 20_454 // 2026-01-01

describe('transaction schedule', () => {
  it('books every third day, before the epoch too', () => {
    expect([-3, 0, 3, 20_454].map(isSlot)).toEqual([true, true, true, true])
    expect([-2, -1, 1, 2, 20_455].map(isSlot)).toEqual([false, false, false, false, false])
  })

  it('shows 27 or 28 of the 30 slots of the window on every day of a year, newest first', () => {
    for (let today = START; today < START + 365; today++) {
      const slots = bookedSlots(today)
      expect(slots.length).toBeGreaterThanOrEqual(27)
      expect(slots.length).toBeLessThanOrEqual(28)
      for (let i = 1; i < slots.length; i++) expect(slots[i].day).toBeLessThan(slots[i - 1].day)
      for (const { day, pending } of slots) {
        expect(day).toBeLessThanOrEqual(today)
        expect(day).toBeGreaterThan(today - HISTORY_DAYS)
        expect(pending).toBe(today - day < PENDING_DAYS)
      }
    }
  })

  it('shows a cancelled slot while it is pending and never after', () => {
    const cancelled = Array.from({ length: 60 }, (_, i) => START + i * SLOT_EVERY).find((day) => isSlot(day) && isCancelledSlot(day))!
    expect(cancelled).toBeDefined()
    for (let today = cancelled; today < cancelled + HISTORY_DAYS; today++) {
      const shown = bookedSlots(today).some((s) => s.day === cancelled)
      expect(shown, `day ${today - cancelled} after`).toBe(today - cancelled < PENDING_DAYS)
    }
  })
})
