import { z } from 'zod'
import { DateTime } from './date-time.ts'
import { pageOf } from './page.ts'

const PaymentParticipant = z.object({
  name: z.string().optional(),
  documentNumber: z.object({ type: z.enum(['CPF', 'CNPJ']), value: z.string() }).optional(),
  accountNumber: z.string().optional(),
  branchNumber: z.string().optional(),
  routingNumber: z.string().optional(),
  routingNumberISPB: z.string().optional(),
})

const nullableNumber = z.number().nullable()

/** What a boleto payment paid, every field present (null when the slip does not say). */
export const BoletoMetadata = z.strictObject({
  digitableLine: z.string().nullable(),
  barcode: z.string().nullable(),
  baseAmount: nullableNumber,
  penaltyAmount: nullableNumber,
  interestAmount: nullableNumber,
  discountAmount: nullableNumber,
})

/** A transfer's or bill payment's details; optional fields are absent (never null) when unknown, as the reference client declares. */
export const PaymentData = z.object({
  payer: PaymentParticipant.optional(),
  receiver: PaymentParticipant.optional(),
  paymentMethod: z.enum(['PIX', 'TED', 'DOC', 'BOLETO', 'TEF', 'TEV']).optional(),
  referenceNumber: z.string().optional(),
  reason: z.string().optional(),
  receiverReferenceId: z.string().optional(),
  boletoMetadata: BoletoMetadata.nullable(),
})

/** A card transaction's details; absent fields are unknown (never null), as the reference client declares. */
export const CreditCardMetadata = z.object({
  installmentNumber: z.number().optional(),
  totalInstallments: z.number().optional(),
  totalAmount: z.number().optional(),
  purchaseDate: DateTime.optional(),
  payeeMCC: z.number().optional(),
  cardNumber: z.string().optional(),
  billId: z.string().optional(),
  feeType: z.string().optional(),
  feeTypeAdditionalInfo: z.string().optional(),
  otherCreditsType: z.string().optional(),
  otherCreditsAdditionalInfo: z.string().optional(),
  billForecastDate: z.string().optional(),
})

export const Merchant = z.object({
  name: z.string(),
  businessName: z.string(),
  cnpj: z.string().optional(),
  cnae: z.string().optional(),
  category: z.string().optional(),
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
  providerCode: z.string().optional().describe('Absent when the institution gives none'),
  providerId: z.string().nullable(),
  status: z.enum(['PENDING', 'POSTED']),
  type: z.enum(['DEBIT', 'CREDIT']),
  operationType: z.string().nullable(),
  operationTypeAdditionalInfo: z.string().nullable(),
  paymentData: PaymentData.optional().describe('Absent when the transaction is not a transfer or bill payment, or PAYMENT_DATA was not collected'),
  creditCardMetadata: CreditCardMetadata.nullable(),
  merchant: Merchant.optional().describe('Absent when the merchant is not known'),
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
