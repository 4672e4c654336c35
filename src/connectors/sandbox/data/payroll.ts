/**
 * The salary: credited by TED from the employer on the fifth business day of every month. It is
 * sized so that the user pays the month's loan installments (loans.ts) and still lives: a base,
 * plus the installments due that month. That keeps the checking balance from drifting far from
 * where it started over the years the ledger covers.
 */
import type { CollectedTransaction } from '../../sdk/index.ts'
import { dayOf, isBusinessDay } from './calendar.ts'
import { contractsOf } from './loans.ts'
import { round2 } from './money.ts'
import type { SandboxUser } from './sandbox-user.ts'

/** The salary of the month of `payday`. */
export function salaryOf(user: SandboxUser, payday: number): number {
  const month = user.iso(payday).slice(0, 7)
  let installments = 0
  for (const c of contractsOf(user)) for (const due of c.dueDays) if (user.iso(due).startsWith(month)) installments += c.installment
  return round2(user.rng('profile', 1).money(700, 1_500) + installments)
}

/** The fifth business day of the month of `day`. */
export function payday(day: number): number {
  const date = new Date(day * 86_400_000)
  let candidate = dayOf(date.getUTCFullYear(), date.getUTCMonth() + 1, 1)
  for (let found = 0; ; candidate++) if (isBusinessDay(candidate) && ++found === 5) return candidate
}

/** The paydays from `from` to `to`, both included. */
export function paydays(from: number, to: number): number[] {
  const out: number[] = []
  for (let month = payday(from); month <= to; ) {
    if (month >= from) out.push(month)
    const date = new Date(month * 86_400_000)
    month = payday(dayOf(date.getUTCFullYear(), date.getUTCMonth() + 2, 1))
  }
  return out
}

export function salaryTransaction(user: SandboxUser, day: number, amount: number, rngKey: number): Omit<CollectedTransaction, 'status' | 'balance'> {
  const p = user.profile
  return {
    providerId: `${user.idPrefix}-salary-${user.iso(day).slice(0, 7)}`,
    accountProviderId: user.checkingId,
    date: user.iso(day),
    description: `TED RECEBIDA ${p.employer.name.toUpperCase()}`,
    descriptionRaw: `TED REC ${p.employer.cnpj}`,
    currencyCode: 'BRL',
    amount,
    // The bank classifies its payroll credits itself.
    category: 'Salary',
    categoryId: '01010000',
    type: 'CREDIT',
    operationType: 'FOLHA_PAGAMENTO',
    paymentData: { payer: p.employerAccount, receiver: p.self, paymentMethod: 'TED', referenceNumber: String(user.rng('profile', 2, rngKey).int(100_000_000, 999_999_999)), reason: 'Salário' },
  }
}
