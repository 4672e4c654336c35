/**
 * Transactions as a connector collects them (TRANSACTIONS), and the payment data of transfers and
 * bill payments (PAYMENT_DATA). Field names and meanings follow the reference API's types.
 */

export interface PaymentParticipant {
  name?: string | null
  documentNumber?: { type: 'CPF' | 'CNPJ'; value: string } | null
  accountNumber?: string | null
  branchNumber?: string | null
  /** The bank's COMPE code (3 digits). */
  routingNumber?: string | null
  /** The bank's ISPB code (8 digits). */
  routingNumberISPB?: string | null
}

/** What a boleto payment paid, as the slip describes it. */
export interface BoletoMetadata {
  /** The 47-digit line printed on the slip (48 for utility and tax slips). */
  digitableLine?: string | null
  /** The 44-digit bar code. */
  barcode?: string | null
  baseAmount?: number | null
  penaltyAmount?: number | null
  interestAmount?: number | null
  discountAmount?: number | null
}

export interface PaymentData {
  payer?: PaymentParticipant | null
  receiver?: PaymentParticipant | null
  /** PIX, TED, DOC, TEV, TEF, BOLETO. */
  paymentMethod?: 'PIX' | 'TED' | 'DOC' | 'BOLETO' | 'TEF' | 'TEV' | null
  /** The transfer's reference: a PIX end-to-end id, a TED control number, a boleto's line. */
  referenceNumber?: string | null
  /** The payer's own words about the transfer, when given. */
  reason?: string | null
  /** What the receiver put in the payment request (for example a PIX QR code's transaction id). */
  receiverReferenceId?: string | null
  boletoMetadata?: BoletoMetadata | null
}

export const CREDIT_CARD_FEE_TYPES = [
  'ANNUAL_FEE',
  'ATM_WITHDRAWAL_DOMESTIC',
  'ATM_WITHDRAWAL_INTERNATIONAL',
  'EMERGENCY_CREDIT_EVALUATION',
  'CARD_REISSUE',
  'BILL_PAYMENT_FEE',
  'SMS',
  'OTHER',
] as const
export const CREDIT_CARD_OTHER_CREDIT_TYPES = ['REVOLVING_CREDIT', 'BILL_INSTALLMENT', 'LOAN', 'OTHER'] as const

export interface CreditCardMetadata {
  installmentNumber?: number | null
  totalInstallments?: number | null
  /** The whole purchase's amount, all installments together. */
  totalAmount?: number | null
  purchaseDate?: string | null
  payeeMCC?: number | null
  cardNumber?: string | null
  /** The `providerId` of the bill the transaction was charged on (see CollectedCreditCardBill). */
  billId?: string | null
  feeType?: (typeof CREDIT_CARD_FEE_TYPES)[number] | null
  feeTypeAdditionalInfo?: string | null
  otherCreditsType?: (typeof CREDIT_CARD_OTHER_CREDIT_TYPES)[number] | null
  otherCreditsAdditionalInfo?: string | null
  /** The bill (`YYYY-MM`) a pending or future transaction is expected on. */
  billForecastDate?: string | null
}

export interface Merchant {
  name: string
  businessName?: string | null
  cnpj?: string | null
  /** The merchant's main economic activity (CNAE, 7 digits). */
  cnae?: string | null
  category?: string | null
}

/**
 * A transaction as the institution reports it.
 *
 * Sign convention (the reference's): on a bank account money in is positive and money out
 * negative; on a credit-card account a purchase (DEBIT) is positive — it adds to what is owed —
 * and a payment or refund (CREDIT) negative.
 */
export interface CollectedTransaction {
  /** The institution's id for this transaction; when absent, merging matches on a fingerprint. */
  providerId?: string | null
  /** `providerId` of the account it belongs to. */
  accountProviderId: string
  date: string
  description: string
  descriptionRaw?: string | null
  currencyCode: string
  amount: number
  /** The amount in the account's currency, for a transaction in another currency. */
  amountInAccountCurrency?: number | null
  /** The account's balance after this transaction, when the institution gives it. */
  balance?: number | null
  /** The category's description, when the institution categorises (else Tributary does). */
  category?: string | null
  /** A category id of the reference's tree (GET /categories). */
  categoryId?: string | null
  providerCode?: string | null
  status: 'PENDING' | 'POSTED'
  type: 'DEBIT' | 'CREDIT'
  /** The institution's classification of the operation (Open Finance: PIX, TED, BOLETO, …). */
  operationType?: string | null
  operationTypeAdditionalInfo?: string | null
  paymentData?: PaymentData | null
  creditCardMetadata?: CreditCardMetadata | null
  merchant?: Merchant | null
}

/** Payment data found for transactions collected earlier in the execution, by their `providerId`. */
export interface CollectedPaymentData {
  transactionProviderId: string
  paymentData: PaymentData
}
