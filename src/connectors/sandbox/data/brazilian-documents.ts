/**
 * Brazilian identifiers in the shapes institutions print them: CPF and CNPJ with real check
 * digits (so validating clients accept them), mobile numbers and street addresses.
 */
import type { Place } from './fixtures.ts'
import type { Rng } from './random-source.ts'

/** A modulo-11 check digit over `digits` with the given weights, as CPF and CNPJ define it. */
function mod11(digits: readonly number[], weights: readonly number[]): number {
  let sum = 0
  for (let i = 0; i < weights.length; i++) sum += digits[i] * weights[i]
  const rest = sum % 11
  return rest < 2 ? 0 : 11 - rest
}

const CPF_WEIGHTS_1 = [10, 9, 8, 7, 6, 5, 4, 3, 2]
const CPF_WEIGHTS_2 = [11, 10, 9, 8, 7, 6, 5, 4, 3, 2]
const CNPJ_WEIGHTS_1 = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]
const CNPJ_WEIGHTS_2 = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]

/** The two check digits of a CPF whose first nine digits are given. */
export function cpfCheckDigits(base: readonly number[]): [number, number] {
  const first = mod11(base, CPF_WEIGHTS_1)
  return [first, mod11([...base, first], CPF_WEIGHTS_2)]
}

/** The two check digits of a CNPJ whose first twelve digits are given. */
export function cnpjCheckDigits(base: readonly number[]): [number, number] {
  const first = mod11(base, CNPJ_WEIGHTS_1)
  return [first, mod11([...base, first], CNPJ_WEIGHTS_2)]
}

function digitsOf(formatted: string): number[] {
  return [...formatted.replace(/\D/g, '')].map(Number)
}

/** Whether a CPF (formatted or not) has eleven digits, not all equal, and the right check digits. */
export function isValidCpf(value: string): boolean {
  const digits = digitsOf(value)
  if (digits.length !== 11 || digits.every((d) => d === digits[0])) return false
  const [first, second] = cpfCheckDigits(digits.slice(0, 9))
  return digits[9] === first && digits[10] === second
}

/** Whether a CNPJ (formatted or not) has fourteen digits, not all equal, and the right check digits. */
export function isValidCnpj(value: string): boolean {
  const digits = digitsOf(value)
  if (digits.length !== 14 || digits.every((d) => d === digits[0])) return false
  const [first, second] = cnpjCheckDigits(digits.slice(0, 12))
  return digits[12] === first && digits[13] === second
}

/** A valid CPF, formatted `000.000.000-00`. Draws nine digits. */
export function cpf(rng: Rng): string {
  const base = Array.from({ length: 9 }, () => rng.int(0, 9))
  // Nine equal digits give a well-formed but invalid CPF (111.111.111-11 and the like).
  if (base.every((d) => d === base[0])) base[8] = (base[8] + 1) % 10
  const s = [...base, ...cpfCheckDigits(base)].join('')
  return `${s.slice(0, 3)}.${s.slice(3, 6)}.${s.slice(6, 9)}-${s.slice(9)}`
}

/** A valid CNPJ of a head office (branch `0001`), formatted `00.000.000/0001-00`. Draws eight digits. */
export function cnpj(rng: Rng): string {
  const base = [...Array.from({ length: 8 }, () => rng.int(0, 9)), 0, 0, 0, 1]
  const s = [...base, ...cnpjCheckDigits(base)].join('')
  return `${s.slice(0, 2)}.${s.slice(2, 5)}.${s.slice(5, 8)}/${s.slice(8, 12)}-${s.slice(12)}`
}

/** A mobile number in an area (DDD), `+55 <ddd> 9XXXX-XXXX`. */
export function mobilePhone(rng: Rng, areaCode: string): string {
  return `+55 ${areaCode} 9${rng.digits(4)}-${rng.digits(4)}`
}

export interface StreetAddress {
  primaryAddress: string
  /** The complement: apartment and block. */
  additionalInfo: string
  district: string
  city: string
  state: string
  postalCode: string
  place: Place
}

/** An address on a fixture street: a house number, an apartment, and the last three digits of the CEP. */
export function streetAddress(rng: Rng, place: Place): StreetAddress {
  return {
    primaryAddress: `${place.street}, ${rng.int(10, 2999)}`,
    additionalInfo: `Apto ${rng.int(1, 24)}${rng.int(0, 4)}${rng.int(1, 4)}`,
    district: place.district,
    city: place.city,
    state: place.state,
    postalCode: `${place.cep}-${rng.digits(3)}`,
    place,
  }
}
