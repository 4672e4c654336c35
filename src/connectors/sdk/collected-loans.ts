/**
 * Loans and financings as a connector collects them (LOANS). Field names and meanings follow the
 * reference API's Loan type, itself the Open Finance Brasil credit-operation contract; `1` is 100%
 * in every rate. Dates are ISO strings (a date or an instant).
 */

export const LOAN_KINDS = ['LOAN', 'FINANCING', 'INVOICE_FINANCING', 'UNARRANGED_ACCOUNT_OVERDRAFT'] as const
export const LOAN_INSTALLMENT_PERIODICITIES = ['WITHOUT_REGULAR_PERIODICITY', 'WEEKLY', 'FORTNIGHTLY', 'MONTHLY', 'BIMONTHLY', 'QUARTERLY', 'SEMESTERLY', 'YEARLY', 'OTHERS'] as const
export const LOAN_AMORTIZATION_TYPES = ['SAC', 'PRICE', 'SAM', 'WITHOUT_AMORTIZATION_SYSTEM', 'OTHERS'] as const

export interface LoanInterestRate {
  taxType?: 'NOMINAL' | 'EFFECTIVE' | null
  interestRateType?: 'SIMPLE' | 'COMPOUND' | null
  taxPeriodicity?: 'MONTHLY' | 'YEARLY' | null
  /** E.g. 21/252 (business days) or 30/360. */
  calculation?: string | null
  referentialRateIndexerType?: string | null
  referentialRateIndexerSubType?: string | null
  referentialRateIndexerAdditionalInfo?: string | null
  preFixedRate?: number | null
  postFixedRate?: number | null
  additionalInfo?: string | null
}

export interface LoanContractedFee {
  name?: string | null
  code?: string | null
  chargeType?: 'UNIQUE' | 'BY_INSTALLMENT' | null
  charge?: 'MINIMUM' | 'MAXIMUM' | 'FIXED' | 'PERCENTAGE' | null
  amount?: number | null
  rate?: number | null
}

export interface LoanContractedFinanceCharge {
  type?: string | null
  additionalInfo?: string | null
  rate?: number | null
}

export interface LoanWarranty {
  currencyCode?: string | null
  type?: string | null
  subtype?: string | null
  amount?: number | null
}

export interface LoanInstallments {
  typeNumberOfInstallments?: 'DAY' | 'WEEK' | 'MONTH' | 'YEAR' | 'WITHOUT_TOTAL_PERIOD' | null
  totalNumberOfInstallments?: number | null
  typeContractRemaining?: 'DAY' | 'WEEK' | 'MONTH' | 'YEAR' | 'WITHOUT_TOTAL_PERIOD' | 'WITHOUT REMAINING PERIOD' | null
  contractRemainingNumber?: number | null
  paidInstallments?: number | null
  dueInstallments?: number | null
  pastDueInstallments?: number | null
  balloonPayments?: { dueDate?: string | null; amount?: { value?: number | null; currencyCode?: string | null } | null }[] | null
}

export interface LoanPaymentRelease {
  /** False for an installment as agreed, true for a payment outside the schedule. */
  isOverParcelPayment?: boolean | null
  installmentId?: string | null
  paidDate?: string | null
  currencyCode?: string | null
  paidAmount?: number | null
  overParcel?: {
    fees?: { name?: string | null; code?: string | null; amount?: number | null }[] | null
    charges?: { type?: string | null; additionalInfo?: string | null; amount?: number | null }[] | null
  } | null
}

export interface LoanPayments {
  /** What the holder would pay to settle the debt today. */
  contractOutstandingBalance?: number | null
  releases?: LoanPaymentRelease[] | null
}

export interface CollectedLoan {
  providerId: string
  contractNumber?: string | null
  /** IPOC: the standard identification of a credit operation. */
  ipocCode?: string | null
  productName: string
  /** Open Finance product subtype, e.g. CREDITO_PESSOAL_SEM_CONSIGNACAO. */
  type?: string | null
  kind: (typeof LOAN_KINDS)[number]
  /** When the institution reported this data. */
  date?: string | null
  contractDate?: string | null
  disbursementDates?: string[] | null
  settlementDate?: string | null
  contractAmount?: number | null
  currencyCode: string
  dueDate?: string | null
  installmentPeriodicity?: (typeof LOAN_INSTALLMENT_PERIODICITIES)[number] | null
  installmentPeriodicityAdditionalInfo?: string | null
  firstInstallmentDueDate?: string | null
  /** Custo Efetivo Total, an annual rate (1 = 100%). */
  CET?: number | null
  amortizationScheduled?: (typeof LOAN_AMORTIZATION_TYPES)[number] | null
  amortizationScheduledAdditionalInfo?: string | null
  cnpjConsignee?: string | null
  interestRates?: LoanInterestRate[] | null
  contractedFees?: LoanContractedFee[] | null
  contractedFinanceCharges?: LoanContractedFinanceCharge[] | null
  warranties?: LoanWarranty[] | null
  installments?: LoanInstallments | null
  payments?: LoanPayments | null
}
