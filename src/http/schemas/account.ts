import { z } from 'zod'
import { DateTime } from './date-time.ts'
import { pageOf } from './page.ts'

const nullableNumber = z.number().nullable().optional()

export const BankData = z.object({
  transferNumber: z.string().nullable().optional(),
  closingBalance: nullableNumber,
  automaticallyInvestedBalance: nullableNumber,
  overdraftContractedLimit: nullableNumber,
  overdraftUsedLimit: nullableNumber,
  unarrangedOverdraftAmount: nullableNumber,
})

export const CreditData = z.object({
  level: z.string().nullable().optional(),
  brand: z.string().nullable().optional(),
  balanceCloseDate: z.string().nullable().optional(),
  balanceDueDate: z.string().nullable().optional(),
  availableCreditLimit: nullableNumber,
  balanceForeignCurrency: nullableNumber,
  minimumPayment: nullableNumber,
  creditLimit: nullableNumber,
  isLimitFlexible: z.boolean().nullable().optional(),
  status: z.enum(['ACTIVE', 'BLOCKED', 'CANCELLED']).nullable().optional(),
  holderType: z.enum(['MAIN', 'ADDITIONAL']).nullable().optional(),
})

const AccountType = z.enum(['BANK', 'CREDIT'])

/** A bank account or credit card (SPEC §3.4). */
export const Account = z.strictObject({
  id: z.uuid(),
  itemId: z.uuid(),
  type: AccountType,
  subtype: z.string().describe('CHECKING_ACCOUNT, SAVINGS_ACCOUNT or CREDIT_CARD'),
  number: z.string(),
  name: z.string(),
  marketingName: z.string().nullable(),
  balance: z.number(),
  currencyCode: z.string(),
  owner: z.string().nullable(),
  taxNumber: z.string().nullable(),
  bankData: BankData.nullable(),
  creditData: CreditData.nullable(),
  createdAt: DateTime,
  updatedAt: DateTime,
})
export type Account = z.infer<typeof Account>

/** What a connect token may read of an account: nothing that identifies the holder, and the number masked. */
export const ReducedAccount = z.strictObject({
  id: z.uuid(),
  itemId: z.uuid(),
  type: AccountType,
  subtype: z.string(),
  name: z.string(),
  number: z.string().describe('Every letter and digit but the last four replaced by *'),
  currencyCode: z.string(),
})
export type ReducedAccount = z.infer<typeof ReducedAccount>

export const AccountPage = pageOf(z.union([Account, ReducedAccount])).describe('The item’s accounts (reduced ones for a connect token)')
