/** The reference numbers Brazilian payments carry: a boleto's digitable line and a PIX end-to-end id. */
import { SANDBOX_BANK_ISPB } from './fixtures.ts'
import type { Rng } from './random-source.ts'

/** A 47-digit boleto line (the digits only; no check-digit rules). */
export function boletoLine(rng: Rng): string {
  let out = ''
  for (let i = 0; i < 6; i++) out += String(rng.int(0, 99_999_999)).padStart(8, '0')
  return out.slice(0, 47)
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'

/** A PIX end-to-end id of the sandbox bank: `E` + ISPB + yyyyMMddHHmm (of `isoDate`, at a drawn time) + 11 alphanumerics. */
export function pixEndToEndId(rng: Rng, isoDate: string): string {
  const stamp = isoDate.slice(0, 4) + isoDate.slice(5, 7) + isoDate.slice(8, 10)
  let tail = ''
  for (let i = 0; i < 11; i++) tail += ALNUM[rng.int(0, ALNUM.length - 1)]
  return `E${SANDBOX_BANK_ISPB}${stamp}${String(rng.int(6, 22)).padStart(2, '0')}${String(rng.int(0, 59)).padStart(2, '0')}${tail}`
}
