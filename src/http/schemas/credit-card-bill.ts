import { z } from 'zod'
import { DateTime, NullableDateTime } from './date-time.ts'
import { pageOf } from './page.ts'

export const BillFinanceCharge = z.strictObject({
  id: z.uuid(),
  type: z.enum(['LATE_PAYMENT_REMUNERATIVE_INTEREST', 'LATE_PAYMENT_FEE', 'LATE_PAYMENT_INTEREST', 'IOF', 'OTHER']),
  amount: z.number(),
  currencyCode: z.string(),
  additionalInfo: z.string().nullable(),
})

export const BillPayment = z.strictObject({
  id: z.uuid(),
  valueType: z.enum(['INSTALLMENT_PAYMENT', 'FULL_PAYMENT', 'OTHER_PAYMENT']),
  paymentDate: DateTime,
  paymentMode: z.enum(['DEBIT_ACCOUNT', 'BANK_SLIP', 'PAYROLL_DEDUCTION', 'PIX']).nullable(),
  amount: z.number(),
  currencyCode: z.string(),
})

/** A credit-card bill (fatura) of a credit account. */
export const CreditCardBill = z.strictObject({
  id: z.uuid(),
  accountId: z.uuid().describe('The credit-card account the bill belongs to (an extension)'),
  dueDate: DateTime,
  billClosingDate: NullableDateTime,
  totalAmount: z.number(),
  totalAmountCurrencyCode: z.string(),
  minimumPaymentAmount: z.number().nullable(),
  allowsInstallments: z.boolean().nullable(),
  financeCharges: z.array(BillFinanceCharge),
  payments: z.array(BillPayment),
  createdAt: DateTime,
  updatedAt: DateTime,
})
export type CreditCardBill = z.infer<typeof CreditCardBill>

export const CreditCardBillPage = pageOf(CreditCardBill).describe('The account’s bills, newest due date first')
