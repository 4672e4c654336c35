import { describe, expect, it } from 'vitest'
import { dayOf } from './calendar.ts'
import { barcodeCheckDigit, boleto, dueFactor, mod10, pixEndToEndId } from './payment-references.ts'
import { Rng } from './random-source.ts'

describe('payment references', () => {
  it('check digits as FEBRABAN defines them (worked by hand)', () => {
    // From the right: 5·2→1, 9·1, 0·2, 0·1, 5·2→1, 0·1, 9·2→9, 1·1, 0, 0 → 21 → 10 − 1.
    expect(mod10('0019050095')).toBe(9)
    expect(mod10('2')).toBe(6)
    expect(barcodeCheckDigit('11')).toBe(6) // 1·3 + 1·2 = 5 → 11 − 5
    expect(barcodeCheckDigit('0')).toBe(1) // 11 − 0 = 11 → 1
    expect(barcodeCheckDigit('6')).toBe(1) // 12 → 11 − 1 = 10 → 1
    // The factor started over at 1000 on 2025-02-22; 1997-10-07 + 1000 days was 2000-07-03.
    expect(dueFactor(dayOf(2000, 7, 3))).toBe('1000')
    expect(dueFactor(dayOf(2025, 2, 21))).toBe('9999')
    expect(dueFactor(dayOf(2025, 2, 22))).toBe('1000')
  })

  it('a boleto’s line has 47 digits whose fields check, and carries the bar code’s bank, due date and amount', () => {
    const due = dayOf(2026, 3, 20)
    for (let seed = 0; seed < 50; seed++) {
      const { barcode, digitableLine } = boleto(new Rng(seed), '237', due, 123.45)
      expect(barcode).toMatch(/^\d{44}$/)
      expect(digitableLine).toMatch(/^\d{47}$/)
      expect(Number(barcode[4])).toBe(barcodeCheckDigit(barcode.slice(0, 4) + barcode.slice(5)))
      for (const [from, to] of [
        [0, 9],
        [10, 20],
        [21, 31],
      ])
        expect(Number(digitableLine[to])).toBe(mod10(digitableLine.slice(from, to)))
      expect(barcode.slice(0, 3)).toBe('237')
      expect(barcode.slice(5, 9)).toBe(dueFactor(due))
      expect(barcode.slice(9, 19)).toBe('0000012345')
      // The line is the bar code rearranged.
      expect(digitableLine.slice(0, 4) + digitableLine[32] + digitableLine.slice(33) + digitableLine.slice(4, 9) + digitableLine.slice(10, 20) + digitableLine.slice(21, 31)).toBe(barcode)
    }
  })

  it('a PIX end-to-end id has 32 characters: E, the payer’s ISPB, the date and a time of day, then 11 alphanumerics', () => {
    for (let seed = 0; seed < 100; seed++) {
      const id = pixEndToEndId(new Rng(seed), '2026-03-15T00:00:00.000Z', '60746948')
      expect(id).toHaveLength(32)
      const match = /^E6074694820260315(\d{2})(\d{2})[A-Z0-9]{11}$/.exec(id)
      expect(match, id).not.toBeNull()
      expect(Number(match![1])).toBeGreaterThanOrEqual(6)
      expect(Number(match![1])).toBeLessThanOrEqual(22)
      expect(Number(match![2])).toBeLessThanOrEqual(59)
    }
  })
})
