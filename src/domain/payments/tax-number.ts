import { invalid, valid, type Validated } from './field-problem.ts'

/**
 * Brazilian tax numbers: the CPF (people, 11 digits) and the CNPJ (companies, 14 characters), each
 * ending in two check digits. From July 2026 the Receita Federal issues alphanumeric CNPJs — the
 * first 12 characters may be letters — whose check digits are computed the same way with each
 * character worth its ASCII code minus 48; both forms are accepted.
 */
export type TaxNumberType = 'CPF' | 'CNPJ'

/** The characters of a tax number without its punctuation (dots, dashes, slashes, spaces), upper-cased. */
export function stripTaxNumber(text: string): string {
  return text.replace(/[.\-/\s]/g, '').toUpperCase()
}

/** The check digit over `values` with `weights` (mod 11: a remainder under 2 gives 0). */
function checkDigit(values: number[], weights: number[]): number {
  const remainder = values.reduce((sum, v, i) => sum + v * weights[i], 0) % 11
  return remainder < 2 ? 0 : 11 - remainder
}

export function isCpf(text: string): boolean {
  const digits = stripTaxNumber(text)
  if (!/^\d{11}$/.test(digits) || /^(\d)\1{10}$/.test(digits)) return false
  const values = [...digits].map(Number)
  const first = checkDigit(values.slice(0, 9), [10, 9, 8, 7, 6, 5, 4, 3, 2])
  const second = checkDigit(values.slice(0, 10), [11, 10, 9, 8, 7, 6, 5, 4, 3, 2])
  return values[9] === first && values[10] === second
}

const CNPJ_WEIGHTS = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]

export function isCnpj(text: string): boolean {
  const chars = stripTaxNumber(text)
  if (!/^[0-9A-Z]{12}\d{2}$/.test(chars) || /^(\d)\1{13}$/.test(chars)) return false
  const values = [...chars].map((c) => c.charCodeAt(0) - 48)
  const first = checkDigit(values.slice(0, 12), CNPJ_WEIGHTS.slice(1))
  const second = checkDigit(values.slice(0, 13), CNPJ_WEIGHTS)
  return values[12] === first && values[13] === second
}

/** A CPF or a CNPJ, told apart by length, as its bare characters. */
export function parseTaxNumber(field: string, text: string): Validated<{ type: TaxNumberType; value: string }> {
  const value = typeof text === 'string' ? stripTaxNumber(text) : ''
  if (value.length === 11) return isCpf(value) ? valid({ type: 'CPF', value }) : invalid(field, `${field} is not a valid CPF: its check digits do not match.`)
  if (value.length === 14) return isCnpj(value) ? valid({ type: 'CNPJ', value }) : invalid(field, `${field} is not a valid CNPJ: its check digits do not match.`)
  return invalid(field, `${field} must be a CPF (11 digits) or a CNPJ (14 characters).`)
}

/**
 * Whether two tax numbers are one owner's, as smart transfers require of the payer and each
 * recipient: the same CPF, or CNPJs of the same company (the same 8-character root: its branches).
 */
export function isSameOwner(payer: string, recipient: string): boolean {
  const a = stripTaxNumber(payer)
  const b = stripTaxNumber(recipient)
  if (a.length === 11 && b.length === 11) return isCpf(a) && a === b
  if (a.length === 14 && b.length === 14) return isCnpj(a) && isCnpj(b) && a.slice(0, 8) === b.slice(0, 8)
  return false
}
