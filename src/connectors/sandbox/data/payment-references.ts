/**
 * The reference numbers Brazilian payments carry: a bank boleto's bar code and digitable line
 * (FEBRABAN layout, with real check digits, so that validating clients accept them) and a PIX
 * end-to-end id.
 */
import { dayOf } from './calendar.ts'
import type { Rng } from './random-source.ts'

/** A mod-10 check digit (weights 2, 1, 2, 1, … from the right; digits of products summed). */
export function mod10(digits: string): number {
  let sum = 0
  for (let i = digits.length - 1, weight = 2; i >= 0; i--, weight = weight === 2 ? 1 : 2) {
    const product = Number(digits[i]) * weight
    sum += product > 9 ? product - 9 : product
  }
  return (10 - (sum % 10)) % 10
}

/** The bar code's general check digit (mod 11, weights 2..9 from the right; 0, 10 and 11 become 1). */
export function barcodeCheckDigit(digits43: string): number {
  let sum = 0
  for (let i = digits43.length - 1, weight = 2; i >= 0; i--, weight = weight === 9 ? 2 : weight + 1) sum += Number(digits43[i]) * weight
  const digit = 11 - (sum % 11)
  return digit === 0 || digit === 10 || digit === 11 ? 1 : digit
}

/**
 * The due-date factor of a boleto: days since 1997-10-07, restarting at 1000 on 2025-02-22
 * (when the count reached 9999, FEBRABAN started it over).
 */
export function dueFactor(day: number): string {
  const restart = dayOf(2025, 2, 22)
  const factor = day >= restart ? 1000 + (day - restart) : day - dayOf(1997, 10, 7)
  return String(factor).padStart(4, '0')
}

export interface Boleto {
  /** 44 digits: bank, currency 9, check digit, due factor, amount in cents (10), free field (25). */
  barcode: string
  /** 47 digits: the bar code in five fields, the first three with their own mod-10 check digits. */
  digitableLine: string
}

/** A boleto of a bank (`bankCode`), due on `dueDay`, of `amount` reais. Draws the 25-digit free field. */
export function boleto(rng: Rng, bankCode: string, dueDay: number, amount: number): Boleto {
  const free = rng.digits(25)
  const cents = String(Math.round(amount * 100)).padStart(10, '0')
  const withoutCheck = `${bankCode}9${dueFactor(dueDay)}${cents}${free}`
  const barcode = `${withoutCheck.slice(0, 4)}${barcodeCheckDigit(withoutCheck)}${withoutCheck.slice(4)}`
  const field1 = `${bankCode}9${free.slice(0, 5)}`
  const field2 = free.slice(5, 15)
  const field3 = free.slice(15, 25)
  const digitableLine = `${field1}${mod10(field1)}${field2}${mod10(field2)}${field3}${mod10(field3)}${barcode[4]}${barcode.slice(5, 19)}`
  return { barcode, digitableLine }
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'

/**
 * A PIX end-to-end id: `E` + the ISPB of the payer's institution (the one that starts the
 * transfer) + yyyyMMddHHmm (of `isoDate`, at a drawn time) + 11 alphanumerics.
 */
export function pixEndToEndId(rng: Rng, isoDate: string, payerIspb: string): string {
  const stamp = isoDate.slice(0, 4) + isoDate.slice(5, 7) + isoDate.slice(8, 10)
  let tail = ''
  for (let i = 0; i < 11; i++) tail += ALNUM[rng.int(0, ALNUM.length - 1)]
  return `E${payerIspb}${stamp}${String(rng.int(6, 22)).padStart(2, '0')}${String(rng.int(0, 59)).padStart(2, '0')}${tail}`
}
