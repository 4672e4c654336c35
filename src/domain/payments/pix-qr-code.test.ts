import { describe, expect, it } from 'vitest'
import { crc16Ccitt, pixAmount, pixCopyPaste, readBrCode } from './pix-qr-code.ts'

describe('the Pix copia e cola payload', () => {
  it('computes CRC16-CCITT (0x1021, init 0xFFFF) as the BR Code does', () => {
    // The algorithm's published check value.
    expect(crc16Ccitt('123456789')).toBe('29B1')
    expect(crc16Ccitt('')).toBe('FFFF')
  })

  it('builds a payload whose fields and CRC a reader accepts', () => {
    const payload = pixCopyPaste({ key: '11222333000181', amountCents: 4_250, merchantName: 'Loja São João', merchantCity: 'São Paulo', txid: '6f1c-2a9b-4e0d' })
    // Constructed by hand from the Pix manual's field list, then its CRC checked on its own.
    const expectedBody =
      '000201' +
      '010212' +
      '2636' +
      '0014br.gov.bcb.pix' +
      '011411222333000181' +
      '52040000' +
      '5303986' +
      '540542.50' +
      '5802BR' +
      '5913Loja Sao Joao' +
      '6009Sao Paulo' +
      '6216' +
      '05126f1c2a9b4e0d' +
      '6304'
    expect(payload.slice(0, -4)).toBe(expectedBody)
    expect(payload.slice(-4)).toBe(crc16Ccitt(expectedBody))
    expect(payload.slice(-4)).toMatch(/^[0-9A-F]{4}$/)
    const fields = readBrCode(payload)!
    expect(fields.get('00')).toBe('01')
    expect(readBrCode(fields.get('26')!)!.get('00')).toBe('br.gov.bcb.pix')
    expect(fields.get('54')).toBe('42.50')
    expect(fields.get('58')).toBe('BR')
    expect(fields.get('63')).toBe(payload.slice(-4))
  })

  it('writes amounts with two decimals and keeps names within the format', () => {
    expect(pixAmount(5)).toBe('0.05')
    expect(pixAmount(123_456)).toBe('1234.56')
    const fields = readBrCode(pixCopyPaste({ key: 'k', amountCents: 100, merchantName: 'A'.repeat(40), merchantCity: 'B'.repeat(40), txid: 'x'.repeat(40) }))!
    expect(fields.get('59')).toHaveLength(25)
    expect(fields.get('60')).toHaveLength(15)
    expect(readBrCode(fields.get('62')!)!.get('05')).toHaveLength(25)
  })
})
