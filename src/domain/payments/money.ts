import { invalid, valid, type Validated } from './field-problem.ts'

/**
 * Amounts are reais in the API (1333.33) and whole centavos everywhere inside, so that sums and
 * balances are exact.
 */

/** The largest amount one payment may carry: well inside exact integer arithmetic. */
export const MAX_AMOUNT_CENTS = 100_000_000_000

/** An API amount in centavos: positive, with at most two decimal places. */
export function toCents(field: string, amount: number): Validated<number> {
  if (typeof amount !== 'number' || !Number.isFinite(amount)) return invalid(field, `${field} must be a number of reais, such as 150.25.`)
  const cents = Math.round(amount * 100)
  // 0.1 + 0.2 style binary noise is accepted; a third decimal place is not.
  if (Math.abs(cents - amount * 100) > 1e-6) return invalid(field, `${field} has at most two decimal places (centavos).`)
  if (cents <= 0) return invalid(field, `${field} must be greater than zero.`)
  if (cents > MAX_AMOUNT_CENTS) return invalid(field, `${field} must be at most ${fromCents(MAX_AMOUNT_CENTS)}.`)
  return valid(cents)
}

/** Centavos as the API's amount in reais. */
export function fromCents(cents: number): number {
  return cents / 100
}

/** An amount as Brazilians read it: `R$ 1.234,50`. */
export function formatReais(cents: number): string {
  return `R$ ${fromCents(cents).toLocaleString('pt-BR', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`
}
