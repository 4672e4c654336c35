/** The INVESTMENTS product: a CDB (fixed income), a multimarket fund and a stock. */
import type { CollectedInvestment } from '../../sdk/index.ts'
import { dayOf } from './calendar.ts'
import { round2 } from './money.ts'
import type { SandboxUser } from './sandbox-user.ts'

/** The day the user bought their investments: fixed per user, at least 120 days ago. */
export function investedDay(user: SandboxUser): number {
  const fixed = dayOf(2024, 1, 2) + user.rng('investedDay').int(0, 300)
  return Math.min(fixed, user.today - 120)
}

export function generateInvestments(user: SandboxUser): CollectedInvestment[] {
  const rng = user.rng('investments')
  const bought = investedDay(user)
  const today = user.iso(user.today)
  const cdbAmount = rng.int(2, 30) * 500
  const cdbBalance = round2(cdbAmount * (1 + (user.today - bought) * 0.00035))
  const fundQuota = rng.money(1.2, 3.5)
  const fundQuantity = rng.int(500, 8_000)
  const stockPrice = rng.money(9, 48)
  const stockQuantity = rng.int(1, 20) * 100
  return [
    {
      providerId: `${user.idPrefix}-inv-cdb`,
      code: `CDB${rng.digits(7)}`,
      isin: `BRSBXBCDB${rng.digits(3)}`,
      name: 'CDB Sandbox Bank 110% CDI',
      type: 'FIXED_INCOME',
      subtype: 'CDB',
      balance: cdbBalance,
      amount: cdbAmount,
      quantity: 1,
      value: cdbBalance,
      currencyCode: 'BRL',
      date: today,
      dueDate: user.iso(bought + 5 * 365),
      issuer: 'Sandbox Bank S.A.',
      rate: 110,
      rateType: 'CDI',
      status: 'ACTIVE',
    },
    {
      providerId: `${user.idPrefix}-inv-fund`,
      code: null,
      isin: `BRSBXFFIM${rng.digits(3)}`,
      name: 'Sandbox Multimercado FIC FIM',
      type: 'MUTUAL_FUND',
      subtype: 'MULTIMARKET_FUND',
      balance: round2(fundQuantity * fundQuota),
      amount: round2(fundQuantity * 1.1),
      quantity: fundQuantity,
      value: fundQuota,
      currencyCode: 'BRL',
      date: today,
      dueDate: null,
      issuer: 'Sandbox Asset Management',
      rate: null,
      rateType: null,
      status: 'ACTIVE',
    },
    {
      providerId: `${user.idPrefix}-inv-stock`,
      code: 'SBXB3',
      isin: 'BRSBXBACNOR0',
      name: 'Sandbox Bank ON',
      type: 'EQUITY',
      subtype: 'STOCK',
      balance: round2(stockQuantity * stockPrice),
      amount: round2(stockQuantity * stockPrice * 0.9),
      quantity: stockQuantity,
      value: stockPrice,
      currencyCode: 'BRL',
      date: today,
      dueDate: null,
      issuer: 'Sandbox Bank S.A.',
      rate: null,
      rateType: null,
      status: 'ACTIVE',
    },
  ]
}
