import { z } from 'zod'
import { INVESTMENT_STATUSES, INVESTMENT_TRANSACTION_TYPES, INVESTMENT_TYPES } from '../../connectors/sdk/collected-investments.ts'
import { DateTime, NullableDateTime } from './date-time.ts'
import { pageOf } from './page.ts'

/** An investment position (SPEC §3.4). */
export const Investment = z.strictObject({
  id: z.uuid(),
  itemId: z.uuid(),
  code: z.string().nullable(),
  isin: z.string().nullable(),
  name: z.string(),
  type: z.enum(INVESTMENT_TYPES),
  subtype: z.string().nullable(),
  balance: z.number(),
  amount: z.number().nullable(),
  quantity: z.number().nullable(),
  value: z.number().nullable(),
  currencyCode: z.string(),
  date: NullableDateTime,
  dueDate: NullableDateTime,
  issuer: z.string().nullable(),
  rate: z.number().nullable(),
  rateType: z.string().nullable(),
  status: z.enum(INVESTMENT_STATUSES).nullable(),
  number: z.string().nullable(),
  issuerCNPJ: z.string().nullable(),
  amountOriginal: z.number().nullable(),
  amountProfit: z.number().nullable(),
  amountWithdrawal: z.number().nullable(),
  taxes: z.number().nullable(),
  taxes2: z.number().nullable(),
  issueDate: NullableDateTime,
  purchaseDate: NullableDateTime,
  fixedAnnualRate: z.number().nullable(),
  lastMonthRate: z.number().nullable(),
  annualRate: z.number().nullable(),
  lastTwelveMonthsRate: z.number().nullable(),
  owner: z.string().nullable(),
  institution: z.strictObject({ name: z.string().nullable(), number: z.string().nullable() }).nullable(),
  metadata: z.strictObject({ taxRegime: z.string().nullable(), proposalNumber: z.string().nullable(), processNumber: z.string().nullable() }).nullable(),
  transactions: z.null().describe('Always null: read the movements with GET /investments/{id}/transactions'),
  createdAt: DateTime,
  updatedAt: DateTime,
})
export type Investment = z.infer<typeof Investment>

export const InvestmentPage = pageOf(Investment).describe('A page of the item’s investments')

/** A movement of an investment. */
export const InvestmentTransaction = z.strictObject({
  id: z.uuid(),
  investmentId: z.uuid(),
  type: z.enum(INVESTMENT_TRANSACTION_TYPES),
  movementType: z.enum(['CREDIT', 'DEBIT']).nullable(),
  quantity: z.number().nullable(),
  value: z.number().nullable(),
  amount: z.number(),
  netAmount: z.number().nullable(),
  date: DateTime,
  tradeDate: NullableDateTime,
  description: z.string().nullable(),
  brokerageNumber: z.string().nullable(),
  expenses: z.record(z.string(), z.number().nullable()).nullable().describe('Fees and taxes of the movement, each field null when unknown'),
  agreedRate: z.number().nullable(),
})
export type InvestmentTransaction = z.infer<typeof InvestmentTransaction>

export const InvestmentTransactionPage = pageOf(InvestmentTransaction).describe('A page of the investment’s movements')
