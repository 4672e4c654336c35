import { z } from 'zod'
import { DateTime, NullableDateTime } from './date-time.ts'
import { pageOf } from './page.ts'

const text = z.string().nullable()
const num = z.number().nullable()

const InterestRate = z.strictObject({
  taxType: z.enum(['NOMINAL', 'EFFECTIVE']).nullable(),
  interestRateType: z.enum(['SIMPLE', 'COMPOUND']).nullable(),
  taxPeriodicity: z.enum(['MONTHLY', 'YEARLY']).nullable(),
  calculation: text,
  referentialRateIndexerType: text,
  referentialRateIndexerSubType: text,
  referentialRateIndexerAdditionalInfo: text,
  preFixedRate: num,
  postFixedRate: num,
  additionalInfo: text,
})

const ContractedFee = z.strictObject({
  name: text,
  code: text,
  chargeType: z.enum(['UNIQUE', 'BY_INSTALLMENT']).nullable(),
  charge: z.enum(['MINIMUM', 'MAXIMUM', 'FIXED', 'PERCENTAGE']).nullable(),
  amount: num,
  rate: num,
})

const FinanceCharge = z.strictObject({ type: text, additionalInfo: text, rate: num })
const Warranty = z.strictObject({ currencyCode: text, type: text, subtype: text, amount: num })

const Installments = z.strictObject({
  typeNumberOfInstallments: z.enum(['DAY', 'WEEK', 'MONTH', 'YEAR', 'WITHOUT_TOTAL_PERIOD']).nullable(),
  totalNumberOfInstallments: num,
  typeContractRemaining: z.enum(['DAY', 'WEEK', 'MONTH', 'YEAR', 'WITHOUT_TOTAL_PERIOD', 'WITHOUT REMAINING PERIOD']).nullable(),
  contractRemainingNumber: num,
  paidInstallments: num,
  dueInstallments: num,
  pastDueInstallments: num,
  balloonPayments: z.array(z.strictObject({ dueDate: NullableDateTime, amount: z.strictObject({ value: num, currencyCode: text }).nullable() })).nullable(),
})

const Release = z.strictObject({
  isOverParcelPayment: z.boolean().nullable(),
  installmentId: text,
  paidDate: NullableDateTime,
  currencyCode: text,
  paidAmount: num,
  overParcel: z
    .strictObject({
      fees: z.array(z.strictObject({ name: text, code: text, amount: num })).nullable(),
      charges: z.array(z.strictObject({ type: text, additionalInfo: text, amount: num })).nullable(),
    })
    .nullable(),
})

const Payments = z.strictObject({ contractOutstandingBalance: num, releases: z.array(Release).nullable() })

/** A loan or financing contract (product LOANS), with the fields the reference client declares. */
export const Loan = z.strictObject({
  id: z.uuid(),
  itemId: z.uuid(),
  contractNumber: text,
  ipocCode: text,
  productName: z.string(),
  type: text,
  kind: z.enum(['LOAN', 'FINANCING', 'INVOICE_FINANCING', 'UNARRANGED_ACCOUNT_OVERDRAFT']),
  date: NullableDateTime,
  contractDate: NullableDateTime,
  disbursementDates: z.array(DateTime).nullable(),
  settlementDate: NullableDateTime,
  contractAmount: num,
  currencyCode: z.string(),
  dueDate: NullableDateTime,
  installmentPeriodicity: z.enum(['WITHOUT_REGULAR_PERIODICITY', 'WEEKLY', 'FORTNIGHTLY', 'MONTHLY', 'BIMONTHLY', 'QUARTERLY', 'SEMESTERLY', 'YEARLY', 'OTHERS']).nullable(),
  installmentPeriodicityAdditionalInfo: text,
  firstInstallmentDueDate: NullableDateTime,
  CET: num,
  amortizationScheduled: z.enum(['SAC', 'PRICE', 'SAM', 'WITHOUT_AMORTIZATION_SYSTEM', 'OTHERS']).nullable(),
  amortizationScheduledAdditionalInfo: text,
  cnpjConsignee: text,
  interestRates: z.array(InterestRate).nullable(),
  contractedFees: z.array(ContractedFee).nullable(),
  contractedFinanceCharges: z.array(FinanceCharge).nullable(),
  warranties: z.array(Warranty).nullable(),
  installments: Installments.nullable(),
  payments: Payments.nullable(),
  createdAt: DateTime,
  updatedAt: DateTime,
})
export type Loan = z.infer<typeof Loan>

export const LoanPage = pageOf(Loan).describe('The item’s loans, most recently contracted first')
