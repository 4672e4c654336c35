import { describe, expect, it } from 'vitest'
import { fromCents, toCents } from './money.ts'

describe('amounts', () => {
  it('are reais with at most two decimals, kept as whole centavos', () => {
    expect(toCents('amount', 1333.33)).toEqual({ ok: true, value: 133_333 })
    expect(toCents('amount', 0.1 + 0.2)).toEqual({ ok: true, value: 30 })
    expect(toCents('amount', 10.005)).toMatchObject({ ok: false, problems: [{ message: expect.stringMatching(/two decimal places/) }] })
    expect(toCents('amount', 0)).toMatchObject({ ok: false, problems: [{ message: expect.stringMatching(/greater than zero/) }] })
    expect(toCents('amount', Number.NaN)).toMatchObject({ ok: false })
    expect(fromCents(133_333)).toBe(1333.33)
  })
})
