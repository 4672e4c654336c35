import { describe, expect, it } from 'vitest'
import { cnpj, cnpjCheckDigits, cpf, cpfCheckDigits, isValidCnpj, isValidCpf, mobilePhone, streetAddress } from './brazilian-documents.ts'
import { PLACES } from './fixtures.ts'
import { Rng } from './random-source.ts'

const digits = (s: string) => [...s].map(Number)

describe('CPF', () => {
  it('has the check digits of known valid numbers', () => {
    expect(cpfCheckDigits(digits('529982247'))).toEqual([2, 5])
    expect(cpfCheckDigits(digits('111444777'))).toEqual([3, 5])
    expect(isValidCpf('529.982.247-25')).toBe(true)
    expect(isValidCpf('52998224725')).toBe(true)
  })

  it('refuses wrong check digits, repeated digits and wrong lengths', () => {
    expect(isValidCpf('529.982.247-24')).toBe(false)
    expect(isValidCpf('529.982.247-15')).toBe(false)
    expect(isValidCpf('111.111.111-11')).toBe(false)
    expect(isValidCpf('529.982.247-2')).toBe(false)
  })

  it('generates valid, formatted numbers', () => {
    for (let seed = 0; seed < 1_000; seed++) {
      const value = cpf(new Rng(seed))
      expect(value).toMatch(/^\d{3}\.\d{3}\.\d{3}-\d{2}$/)
      expect(isValidCpf(value), value).toBe(true)
    }
  })

  it('never generates nine equal digits, which no CPF has', () => {
    const sevens = { int: () => 7 } as unknown as Rng
    const value = cpf(sevens)
    expect(value.startsWith('777.777.778-')).toBe(true)
    expect(isValidCpf(value)).toBe(true)
  })
})

describe('CNPJ', () => {
  it('has the check digits of known valid numbers', () => {
    expect(cnpjCheckDigits(digits('112223330001'))).toEqual([8, 1])
    expect(cnpjCheckDigits(digits('114447770001'))).toEqual([6, 1])
    expect(isValidCnpj('11.222.333/0001-81')).toBe(true)
    expect(isValidCnpj('11444777000161')).toBe(true)
  })

  it('refuses wrong check digits, repeated digits and wrong lengths', () => {
    expect(isValidCnpj('11.222.333/0001-82')).toBe(false)
    expect(isValidCnpj('00.000.000/0000-00')).toBe(false)
    expect(isValidCnpj('11.222.333/0001-8')).toBe(false)
  })

  it('generates valid, formatted head-office numbers', () => {
    for (let seed = 0; seed < 1_000; seed++) {
      const value = cnpj(new Rng(seed))
      expect(value).toMatch(/^\d{2}\.\d{3}\.\d{3}\/0001-\d{2}$/)
      expect(isValidCnpj(value), value).toBe(true)
    }
  })
})

describe('contact details', () => {
  it('formats a mobile number of the given area', () => {
    expect(mobilePhone(new Rng(1), '21')).toMatch(/^\+55 21 9\d{4}-\d{4}$/)
  })

  it('puts an address on a fixture street, with a full CEP', () => {
    const place = PLACES[0]
    const address = streetAddress(new Rng(1), place)
    expect(address.primaryAddress).toMatch(new RegExp(`^${place.street}, \\d{2,4}$`))
    expect(address.postalCode).toMatch(new RegExp(`^${place.cep}-\\d{3}$`))
    expect([address.city, address.state, address.district]).toEqual([place.city, place.state, place.district])
    expect(address.additionalInfo).toMatch(/^Apto \d{3,4}$/)
  })
})
