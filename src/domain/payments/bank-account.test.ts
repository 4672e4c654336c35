import { describe, expect, it } from 'vitest'
import { isCompe, isIspb, parseBankAccount } from './bank-account.ts'

describe('bank accounts', () => {
  it('accepts the reference’s account types, with the number’s check-digit dash removed', () => {
    expect(parseBankAccount('account', { type: 'CHECKING_ACCOUNT', number: '12345-6', branch: '0001' })).toEqual({ ok: true, value: { type: 'CHECKING_ACCOUNT', number: '123456', branch: '0001' } })
    expect(parseBankAccount('account', { type: 'GUARANTEED_ACCOUNT', number: '1111111', branch: '12' }).ok).toBe(true)
  })

  it('names every field it refuses', () => {
    const result = parseBankAccount('account', { type: 'CHECKING', number: '12a', branch: '00012' })
    expect(!result.ok && result.problems.map((p) => p.field)).toEqual(['account.type', 'account.number', 'account.branch'])
    expect(parseBankAccount('account', undefined)).toMatchObject({ ok: false, problems: [{ field: 'account' }] })
  })

  it('knows an ISPB (8 digits) and a COMPE code (3 digits)', () => {
    expect(isIspb('60701190')).toBe(true)
    expect(isIspb('6070119')).toBe(false)
    expect(isCompe('341')).toBe(true)
    expect(isCompe('34')).toBe(false)
  })
})
