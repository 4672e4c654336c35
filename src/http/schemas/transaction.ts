import { z } from 'zod'
import { DateTime } from './date-time.ts'
import { pageOf } from './page.ts'

const PaymentParticipant = z.object({
  name: z.string().nullable().optional(),
  documentNumber: z.object({ type: z.enum(['CPF', 'CNPJ']), value: z.string() }).nullable().optional(),
  accountNumber: z.string().nullable().optional(),
  branchNumber: z.string().nullable().optional(),
  routingNumber: z.string().nullable().optional(),
})

export const PaymentData = z.object({
  payer: PaymentParticipant.nullable().optional(),
  receiver: PaymentParticipant.nullable().optional(),
  paymentMethod: z.enum(['PIX', 'TED', 'DOC', 'BOLETO', 'TEF', 'TEV']).nullable().optional(),
  referenceNumber: z.string().nullable().optional(),
  reason: z.string().nullable().optional(),
})

export const CreditCardMetadata = z.object({
  installmentNumber: z.number().nullable().optional(),
  totalInstallments: z.number().nullable().optional(),
  totalAmount: z.number().nullable().optional(),
  purchaseDate: z.string().nullable().optional(),
  payeeMCC: z.number().nullable().optional(),
  cardNumber: z.string().nullable().optional(),
  billId: z.string().nullable().optional(),
})

export const Merchant = z.object({
  name: z.string(),
  businessName: z.string().nullable().optional(),
  cnpj: z.string().nullable().optional(),
  category: z.string().nullable().optional(),
})

/** A transaction of a bank account or credit card (SPEC §3.4). */
export const Transaction = z.strictObject({
  id: z.uuid(),
  accountId: z.uuid(),
  date: DateTime,
  description: z.string(),
  descriptionRaw: z.string().nullable(),
  currencyCode: z.string(),
  amount: z.number(),
  amountInAccountCurrency: z.number().nullable(),
  balance: z.number().nullable(),
  category: z.string().nullable(),
  categoryId: z.string().nullable(),
  providerCode: z.string().nullable(),
  providerId: z.string().nullable(),
  status: z.enum(['PENDING', 'POSTED']),
  type: z.enum(['DEBIT', 'CREDIT']),
  paymentData: PaymentData.nullable(),
  creditCardMetadata: CreditCardMetadata.nullable(),
  merchant: Merchant.nullable(),
  createdAt: DateTime,
  updatedAt: DateTime,
})
export type Transaction = z.infer<typeof Transaction>

export const TransactionPage = pageOf(Transaction).describe('A page of the account’s transactions, newest first')

export const TransactionCursorPage = z
  .strictObject({
    results: z.array(Transaction),
    next: z.string().nullable().describe('The query of the next page (with an opaque `after` cursor), or null on the last page'),
  })
  .describe('Transactions from a cursor')
