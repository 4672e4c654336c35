/**
 * The INVESTMENTS product: a CDB (fixed income), a multimarket fund and a stock, with every field
 * of the reference's Investment. `amountOriginal` is what was invested, `amount` the gross value
 * today, `taxes` the income tax a redemption would withhold, and `balance` the net value.
 */
import type { CollectedInvestment } from '../../sdk/index.ts'
import { dayOf } from './calendar.ts'
import { SANDBOX_BANK_CNPJ, SANDBOX_BANK_NAME } from './fixtures.ts'
import { isin } from './isin.ts'
import { round2 } from './money.ts'
import type { SandboxUser } from './sandbox-user.ts'

/** The day the user bought their investments: fixed per user, at least 120 days ago. */
export function investedDay(user: SandboxUser): number {
  const fixed = dayOf(2024, 1, 2) + user.rng('investedDay').int(0, 300)
  return Math.min(fixed, user.today - 120)
}

/** Brazilian income tax on fixed-income gains, by how long the money was invested (the regressive table). */
export function incomeTaxRate(days: number): number {
  return days <= 180 ? 0.225 : days <= 360 ? 0.2 : days <= 720 ? 0.175 : 0.15
}

/** The fund's terms and the stock's purchase, shared with their movements (investment-transactions.ts). */
export const FUND_QUOTA_AT_PURCHASE = 1.1
const FUND_CNPJ = '11.222.333/0001-81'
const ASSET_MANAGER_CNPJ = '44.555.666/0001-81'

export function generateInvestments(user: SandboxUser): CollectedInvestment[] {
  const rng = user.rng('investments')
  const bought = investedDay(user)
  const held = user.today - bought
  const today = user.iso(user.today)
  const owner = user.holderName
  const institution = { name: SANDBOX_BANK_NAME, number: SANDBOX_BANK_CNPJ.replace(/\D/g, '') }
  const cdbOriginal = rng.int(2, 30) * 500
  const cdbGross = round2(cdbOriginal * (1 + held * 0.00035))
  const cdbTax = round2((cdbGross - cdbOriginal) * incomeTaxRate(held))
  const fundQuota = rng.money(1.2, 3.5)
  const fundQuantity = rng.int(500, 8_000)
  const stockPrice = rng.money(9, 48)
  const stockQuantity = rng.int(1, 20) * 100
  const cdbCode = rng.digits(7)
  const fundGross = round2(fundQuantity * fundQuota)
  const fundOriginal = round2(fundQuantity * FUND_QUOTA_AT_PURCHASE)
  const fundTax = round2(Math.max(0, fundGross - fundOriginal) * 0.15)
  const stockGross = round2(stockQuantity * stockPrice)
  const stockOriginal = round2(stockQuantity * stockPrice * 0.9)
  const common = { currencyCode: 'BRL', date: today, status: 'ACTIVE' as const, owner, institution, metadata: null, taxes2: 0 }
  return [
    {
      ...common,
      providerId: `${user.idPrefix}-inv-cdb`,
      code: `CDB${cdbCode}`,
      isin: isin(`BRSBXBCDB${cdbCode.slice(0, 2)}`),
      number: `${user.profile.branch}-${cdbCode}`,
      name: 'CDB Sandbox Bank 110% CDI',
      type: 'FIXED_INCOME',
      subtype: 'CDB',
      balance: round2(cdbGross - cdbTax),
      amount: cdbGross,
      amountOriginal: cdbOriginal,
      amountProfit: round2(cdbGross - cdbOriginal),
      amountWithdrawal: round2(cdbGross - cdbTax),
      taxes: cdbTax,
      quantity: 1,
      value: cdbGross,
      dueDate: user.iso(bought + 5 * 365),
      issueDate: user.iso(bought),
      purchaseDate: user.iso(bought),
      issuer: SANDBOX_BANK_NAME,
      issuerCNPJ: SANDBOX_BANK_CNPJ,
      rate: 110,
      rateType: 'CDI',
      fixedAnnualRate: null,
      lastMonthRate: 0.96,
      annualRate: null,
      lastTwelveMonthsRate: 12.02,
    },
    {
      ...common,
      providerId: `${user.idPrefix}-inv-fund`,
      code: FUND_CNPJ,
      isin: isin('BRSBXFFIM00'),
      number: null,
      name: 'Sandbox Multimercado FIC FIM',
      type: 'MUTUAL_FUND',
      subtype: 'MULTIMARKET_FUND',
      balance: round2(fundGross - fundTax),
      amount: fundGross,
      amountOriginal: fundOriginal,
      amountProfit: round2(fundGross - fundOriginal),
      amountWithdrawal: round2(fundGross - fundTax),
      taxes: fundTax,
      quantity: fundQuantity,
      value: fundQuota,
      dueDate: null,
      issueDate: null,
      purchaseDate: user.iso(bought + 7),
      issuer: 'Sandbox Asset Management',
      issuerCNPJ: ASSET_MANAGER_CNPJ,
      rate: null,
      rateType: null,
      fixedAnnualRate: null,
      lastMonthRate: 1.12,
      annualRate: 10.85,
      lastTwelveMonthsRate: 13.4,
    },
    {
      ...common,
      providerId: `${user.idPrefix}-inv-stock`,
      code: 'SBXB3',
      isin: isin('BRSBXBACNOR'),
      number: null,
      name: 'Sandbox Bank ON',
      type: 'EQUITY',
      subtype: 'STOCK',
      // No tax is withheld on holding shares: the net value is the gross one.
      balance: stockGross,
      amount: stockGross,
      amountOriginal: stockOriginal,
      amountProfit: round2(stockGross - stockOriginal),
      amountWithdrawal: stockGross,
      taxes: 0,
      quantity: stockQuantity,
      value: stockPrice,
      dueDate: null,
      issueDate: null,
      purchaseDate: user.iso(bought + 12),
      issuer: SANDBOX_BANK_NAME,
      issuerCNPJ: SANDBOX_BANK_CNPJ,
      rate: null,
      rateType: null,
      fixedAnnualRate: null,
      lastMonthRate: null,
      annualRate: null,
      lastTwelveMonthsRate: null,
    },
  ]
}
