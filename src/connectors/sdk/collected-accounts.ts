/**
 * Accounts as a connector collects them: bank accounts (ACCOUNTS) and credit-card accounts
 * (CREDIT_CARDS), the latter with their bills. Field names and meanings follow the reference
 * API's account and bill types; a field the institution does not report is left out (or null).
 */

/** A remuneration band of a reserved balance (Open Finance "saldo reservado"). */
export interface ReservedBalanceRemuneration {
  /** Pre-fixed rate as a fraction (0.3 = 30%). */
  preFixedRate?: number | null
  /** Post-fixed indexer percentage as a fraction (1.1 = 110% of the indexer). */
  postFixedIndexerPercentage?: number | null
  rateType?: 'LINEAR' | 'EXPONENCIAL' | null
  /** CDI, IPCA, SELIC, … */
  indexer?: string | null
  calculation?: 'DIAS_UTEIS' | 'DIAS_CORRIDOS' | null
  ratePeriodicity?: 'MENSAL' | 'ANUAL' | 'DIARIO' | 'SEMESTRAL' | null
  indexerAdditionalInfo?: string | null
}

/** Money set aside on a bank account: a savings goal ("caixinha") or a judicial hold. */
export interface ReservedBalance {
  name?: string | null
  identification: string
  availableAmounts: { amount: number; currencyCode: string; remuneration?: ReservedBalanceRemuneration | null }[]
}

export interface BankData {
  /** `<bank code>/<branch>/<account number>`: what a transfer to this account needs. */
  transferNumber?: string | null
  /** The booked balance: the previous one plus posted movements, pending ones excluded. */
  closingBalance?: number | null
  automaticallyInvestedBalance?: number | null
  overdraftContractedLimit?: number | null
  overdraftUsedLimit?: number | null
  unarrangedOverdraftAmount?: number | null
  hasReservedBalance?: boolean | null
  reservedBalances?: ReservedBalance[] | null
}

export const CREDIT_LIMIT_LINE_NAMES = ['CREDITO_A_VISTA', 'CREDITO_PARCELADO', 'SAQUE_CREDITO_BRASIL', 'SAQUE_CREDITO_EXTERIOR', 'EMPRESTIMO_CARTAO_CONSIGNADO', 'OUTROS'] as const

/** One line of a card's limit as Open Finance breaks it down. */
export interface DisaggregatedCreditLimit {
  /** LIMITE_CREDITO_TOTAL or LIMITE_CREDITO_MODALIDADE_OPERACAO. */
  creditLineLimitType: string
  /** CONSOLIDADO or INDIVIDUAL. */
  consolidationType: string
  identificationNumber: string
  isLimitFlexible: boolean
  usedAmount: number
  usedAmountCurrencyCode: string
  lineName?: (typeof CREDIT_LIMIT_LINE_NAMES)[number]
  lineNameAdditionalInfo?: string
  limitAmount?: number
  limitAmountCurrencyCode?: string
  limitAmountReason?: string
  customizedLimitAmount?: number
  customizedLimitAmountCurrencyCode?: string
  availableAmount?: number
  availableAmountCurrencyCode?: string
}

export interface CreditData {
  level?: string | null
  brand?: string | null
  /** Free text when `brand` is OTHER. */
  brandAdditionalInfo?: string | null
  /** When the open bill closes: a date (`YYYY-MM-DD`) or an instant; stored as an instant. */
  balanceCloseDate?: string | null
  /** When the open bill is due: a date or an instant; stored as an instant. */
  balanceDueDate?: string | null
  availableCreditLimit?: number | null
  balanceForeignCurrency?: number | null
  minimumPayment?: number | null
  creditLimit?: number | null
  isLimitFlexible?: boolean | null
  status?: 'ACTIVE' | 'BLOCKED' | 'CANCELLED' | null
  holderType?: 'MAIN' | 'ADDITIONAL' | null
  disaggregatedCreditLimits?: DisaggregatedCreditLimit[] | null
}

export const BILL_FINANCE_CHARGE_TYPES = ['LATE_PAYMENT_REMUNERATIVE_INTEREST', 'LATE_PAYMENT_FEE', 'LATE_PAYMENT_INTEREST', 'IOF', 'OTHER'] as const
export const BILL_PAYMENT_VALUE_TYPES = ['INSTALLMENT_PAYMENT', 'FULL_PAYMENT', 'OTHER_PAYMENT'] as const
export const BILL_PAYMENT_MODES = ['DEBIT_ACCOUNT', 'BANK_SLIP', 'PAYROLL_DEDUCTION', 'PIX'] as const

export interface BillFinanceCharge {
  /** The institution's id of the charge, when it has one (keeps the charge's id stable). */
  providerId?: string | null
  type: (typeof BILL_FINANCE_CHARGE_TYPES)[number]
  amount: number
  currencyCode: string
  /** Required by the reference when `type` is OTHER. */
  additionalInfo?: string | null
}

export interface BillPayment {
  providerId?: string | null
  valueType: (typeof BILL_PAYMENT_VALUE_TYPES)[number]
  paymentDate: string
  paymentMode?: (typeof BILL_PAYMENT_MODES)[number] | null
  amount: number
  currencyCode: string
}

/**
 * A closed credit-card bill (fatura). Card transactions name the bill they were charged on by
 * this `providerId` (`creditCardMetadata.billId`); the merge turns it into the bill's id.
 */
export interface CollectedCreditCardBill {
  providerId: string
  dueDate: string
  billClosingDate?: string | null
  totalAmount: number
  totalAmountCurrencyCode: string
  minimumPaymentAmount?: number | null
  allowsInstallments?: boolean | null
  financeCharges?: BillFinanceCharge[]
  payments?: BillPayment[]
}

/**
 * An account as the institution reports it; `providerId` keeps its id stable across executions.
 *
 * Sign convention (the reference's): on a BANK account `balance` is what the holder has; on a
 * CREDIT (card) account it is what the holder owes, positive.
 */
export interface CollectedAccount {
  providerId: string
  type: 'BANK' | 'CREDIT'
  subtype: 'CHECKING_ACCOUNT' | 'SAVINGS_ACCOUNT' | 'CREDIT_CARD'
  number: string
  name: string
  marketingName?: string | null
  /** Bank: the available balance, pending movements included. Card: the debt, pending purchases included. */
  balance: number
  currencyCode: string
  owner?: string | null
  taxNumber?: string | null
  bankData?: BankData | null
  creditData?: CreditData | null
  /** Credit-card accounts: the closed bills the institution lists. */
  bills?: CollectedCreditCardBill[] | null
}
