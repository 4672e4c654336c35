import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isCnpj, isCpf, isSameOwner, parseTaxNumber } from './tax-number.ts'

describe('CPF and CNPJ check digits', () => {
  it.each(['529.982.247-25', '52998224725', '111.444.777-35'])('accepts the valid CPF %s', (cpf) => expect(isCpf(cpf)).toBe(true))
  it.each([
    ['a wrong second digit', '529.982.247-24'],
    ['a wrong first digit', '529.982.247-35'],
    ['all digits equal (valid digits, but never issued)', '111.111.111-11'],
    ['too short', '5299822472'],
    ['letters', '52998224A25'],
  ])('refuses a CPF with %s', (_why, cpf) => expect(isCpf(cpf)).toBe(false))

  it.each(['11.222.333/0001-81', '11222333000181', '12.ABC.345/01DE-35', '12abc34501de35'])('accepts the valid CNPJ %s (alphanumeric ones too)', (cnpj) => expect(isCnpj(cnpj)).toBe(true))
  it.each([
    ['a wrong check digit', '11.222.333/0001-82'],
    ['a letter in the check digits', '12ABC34501DE3A'],
    ['all digits equal', '00000000000000'],
    ['an alphanumeric CNPJ with a wrong digit', '12.ABC.345/01DE-36'],
  ])('refuses a CNPJ with %s', (_why, cnpj) => expect(isCnpj(cnpj)).toBe(false))

  it('property: changing any one digit of a valid CPF or CNPJ breaks it', () => {
    for (const valid of ['52998224725', '11222333000181']) {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: valid.length - 1 }), fc.integer({ min: 1, max: 9 }), (at, delta) => {
          const changed = valid.slice(0, at) + String((Number(valid[at]) + delta) % 10) + valid.slice(at + 1)
          expect((valid.length === 11 ? isCpf : isCnpj)(changed)).toBe(false)
        }),
        { seed: 1, numRuns: 200 },
      )
    }
  })

  it('tells CPF from CNPJ by length and answers the bare characters', () => {
    expect(parseTaxNumber('taxNumber', '529.982.247-25')).toEqual({ ok: true, value: { type: 'CPF', value: '52998224725' } })
    expect(parseTaxNumber('taxNumber', '12.abc.345/01de-35')).toEqual({ ok: true, value: { type: 'CNPJ', value: '12ABC34501DE35' } })
    expect(parseTaxNumber('taxNumber', '123')).toEqual({ ok: false, problems: [{ field: 'taxNumber', message: 'taxNumber must be a CPF (11 digits) or a CNPJ (14 characters).' }] })
    expect(parseTaxNumber('cpf', '529.982.247-24')).toMatchObject({ ok: false, problems: [{ field: 'cpf', message: expect.stringMatching(/check digits/) }] })
  })

  it('one owner: the same CPF, or CNPJs with the same root (a company and its branches)', () => {
    expect(isSameOwner('529.982.247-25', '52998224725')).toBe(true)
    expect(isSameOwner('52998224725', '11144477735')).toBe(false)
    expect(isSameOwner('11.222.333/0001-81', '11.222.333/0002-62')).toBe(true)
    expect(isSameOwner('11.222.333/0001-81', '11144477735')).toBe(false)
  })
})
