import { describe, expect, it } from 'vitest'
import { parsePixKey } from './pix-key.ts'

describe('Pix keys', () => {
  it.each([
    ['a CPF', '529.982.247-25', { type: 'CPF', value: '52998224725' }],
    ['a CNPJ', '11.222.333/0001-81', { type: 'CNPJ', value: '11222333000181' }],
    ['an alphanumeric CNPJ', '12ABC34501DE35', { type: 'CNPJ', value: '12ABC34501DE35' }],
    ['an e-mail, lower-cased', 'Pagamentos@Loja.com.br', { type: 'EMAIL', value: 'pagamentos@loja.com.br' }],
    ['a mobile phone', '+5511912345678', { type: 'PHONE', value: '+5511912345678' }],
    ['a mobile phone written with spaces and dashes', '+55 (21) 98765-4321', { type: 'PHONE', value: '+5521987654321' }],
    ['a random key, lower-cased', '4E0E33A6-9B8C-4C2F-A8E5-1F2D3C4B5A69', { type: 'EVP', value: '4e0e33a6-9b8c-4c2f-a8e5-1f2d3c4b5a69' }],
  ])('recognises %s', (_what, text, key) => {
    expect(parsePixKey('pixKey', text)).toEqual({ ok: true, value: key })
  })

  it.each([
    ['a CPF with wrong check digits', '529.982.247-24', /CPF key/],
    ['a phone outside Brazil', '+14155550123', /phone key/],
    ['a landline (8 digits, not a mobile)', '+551133334444', /phone key/],
    ['an area code with a zero', '+5501912345678', /phone key/],
    ['an e-mail without a domain', 'loja@', /e-mail key/],
    ['an e-mail longer than 77 characters', `${'a'.repeat(70)}@loja.com.br`, /77/],
    ['a UUID that is not version 4', '4e0e33a6-9b8c-1c2f-a8e5-1f2d3c4b5a69', /version-4 UUID/],
    ['anything else', 'minha-chave', /not a Pix key/],
    ['nothing', '', /not a Pix key/],
  ])('refuses %s', (_what, text, message) => {
    const result = parsePixKey('pixKey', text)
    expect(result.ok).toBe(false)
    expect(!result.ok && result.problems[0]).toMatchObject({ field: 'pixKey', message: expect.stringMatching(message) })
  })
})
