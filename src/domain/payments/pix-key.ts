import { isCnpj, isCpf } from './tax-number.ts'
import { invalid, valid, type Validated } from './field-problem.ts'

/**
 * Pix keys as the Central Bank's directory (DICT) defines them: a CPF or a CNPJ (digits only), an
 * e-mail address (at most 77 characters), a mobile phone in E.164 form (+55, the area code, then 9
 * digits starting with 9), or a random key (EVP: a version-4 UUID). Keys are compared in their
 * canonical form: digits without punctuation, e-mail and EVP lower-cased.
 */
export const PIX_KEY_TYPES = ['CPF', 'CNPJ', 'EMAIL', 'PHONE', 'EVP'] as const
export type PixKeyType = (typeof PIX_KEY_TYPES)[number]

export interface PixKey {
  type: PixKeyType
  value: string
}

const EMAIL = /^[a-z0-9.!#$&'*+/=?^_`{|}~-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*$/
const EMAIL_MAX_LENGTH = 77
// Brazilian area codes have two digits, neither of them 0.
const BRAZILIAN_MOBILE = /^\+55[1-9]{2}9\d{8}$/
const EVP = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

/**
 * Recognises a Pix key and answers its type and canonical value. A key with `+` is a phone, with
 * `@` an e-mail, in UUID form an EVP; digits alone are a CPF (11) or a CNPJ (14), punctuation allowed.
 */
export function parsePixKey(field: string, text: string): Validated<PixKey> {
  const raw = typeof text === 'string' ? text.trim() : ''
  if (raw.startsWith('+')) {
    const phone = raw.replace(/[\s()-]/g, '')
    return BRAZILIAN_MOBILE.test(phone)
      ? valid({ type: 'PHONE', value: phone })
      : invalid(field, `${field} is not a valid phone key: write it +55, the area code and the 9-digit mobile number, such as +5511912345678.`)
  }
  if (raw.includes('@')) {
    const email = raw.toLowerCase()
    if (email.length > EMAIL_MAX_LENGTH) return invalid(field, `${field} is not a valid e-mail key: it has more than ${EMAIL_MAX_LENGTH} characters.`)
    return EMAIL.test(email) ? valid({ type: 'EMAIL', value: email }) : invalid(field, `${field} is not a valid e-mail key.`)
  }
  const lower = raw.toLowerCase()
  if (/^[0-9a-f]{8}-/.test(lower)) return EVP.test(lower) ? valid({ type: 'EVP', value: lower }) : invalid(field, `${field} is not a valid random key (EVP): it must be a version-4 UUID.`)
  const digits = raw.replace(/[.\-/\s]/g, '')
  if (/^\d{11}$/.test(digits)) return isCpf(digits) ? valid({ type: 'CPF', value: digits }) : invalid(field, `${field} is not a valid CPF key: its check digits do not match.`)
  if (/^[0-9A-Za-z]{12}\d{2}$/.test(digits))
    return isCnpj(digits) ? valid({ type: 'CNPJ', value: digits.toUpperCase() }) : invalid(field, `${field} is not a valid CNPJ key: its check digits do not match.`)
  return invalid(field, `${field} is not a Pix key: use a CPF, a CNPJ, an e-mail, a phone (+55…) or a random key (EVP).`)
}
