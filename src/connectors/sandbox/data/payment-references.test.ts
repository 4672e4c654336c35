import { describe, expect, it } from 'vitest'
import { SANDBOX_BANK_ISPB } from './fixtures.ts'
import { boletoLine, pixEndToEndId } from './payment-references.ts'
import { Rng } from './random-source.ts'

describe('payment references', () => {
  it('a boleto line has 47 digits', () => {
    for (let seed = 0; seed < 100; seed++) expect(boletoLine(new Rng(seed))).toMatch(/^\d{47}$/)
  })

  it('a PIX end-to-end id has 32 characters: E, the ISPB, the date and a time of day, then 11 alphanumerics', () => {
    for (let seed = 0; seed < 100; seed++) {
      const id = pixEndToEndId(new Rng(seed), '2026-03-15T00:00:00.000Z')
      expect(id).toHaveLength(32)
      const match = new RegExp(`^E${SANDBOX_BANK_ISPB}20260315(\\d{2})(\\d{2})[A-Z0-9]{11}$`).exec(id)
      expect(match, id).not.toBeNull()
      expect(Number(match![1])).toBeGreaterThanOrEqual(6)
      expect(Number(match![1])).toBeLessThanOrEqual(22)
      expect(Number(match![2])).toBeLessThanOrEqual(59)
    }
  })
})
