/**
 * Investment positions (INVESTMENTS) and their movements (INVESTMENTS_TRANSACTIONS) as a connector
 * collects them. Field names and meanings follow the reference API's Investment types.
 */

export const INVESTMENT_TYPES = ['MUTUAL_FUND', 'SECURITY', 'EQUITY', 'COE', 'FIXED_INCOME', 'ETF', 'OTHER'] as const
export const INVESTMENT_STATUSES = ['ACTIVE', 'PENDING', 'TOTAL_WITHDRAWAL'] as const
/** The reference's movement types; an institution's interest or amortisation is one of these (or null). */
export const INVESTMENT_TRANSACTION_TYPES = ['BUY', 'SELL', 'TAX', 'TRANSFER'] as const

export interface InvestmentMetadata {
  taxRegime?: string | null
  proposalNumber?: string | null
  processNumber?: string | null
}

export interface InvestmentInstitution {
  name?: string | null
  /** CNPJ (or another identifier) of the institution holding the investment. */
  number?: string | null
}

export interface CollectedInvestment {
  providerId: string
  /** For a fund, its CNPJ; for a listed asset, its ticker. */
  code?: string | null
  isin?: string | null
  /** The holder's reference number for this asset at the institution. */
  number?: string | null
  name: string
  type: (typeof INVESTMENT_TYPES)[number]
  subtype?: string | null
  /** The net current value: what could be withdrawn after taxes and fees. */
  balance: number
  /** The gross current value (as a rule, value × quantity). */
  amount?: number | null
  /** What was originally invested. */
  amountOriginal?: number | null
  amountProfit?: number | null
  amountWithdrawal?: number | null
  /** Income tax (IR) on the position. */
  taxes?: number | null
  /** Financial-operation tax (IOF) on the position. */
  taxes2?: number | null
  /** Quota or unit value at `date`. */
  value?: number | null
  quantity?: number | null
  currencyCode: string
  date?: string | null
  dueDate?: string | null
  issueDate?: string | null
  purchaseDate?: string | null
  issuer?: string | null
  issuerCNPJ?: string | null
  /** Fixed-income rate: e.g. 110 with rateType CDI is 110% of the CDI. */
  rate?: number | null
  rateType?: string | null
  fixedAnnualRate?: number | null
  lastMonthRate?: number | null
  annualRate?: number | null
  lastTwelveMonthsRate?: number | null
  status?: (typeof INVESTMENT_STATUSES)[number] | null
  owner?: string | null
  institution?: InvestmentInstitution | null
  metadata?: InvestmentMetadata | null
}

/** Taxes and fees of a movement; every member the institution does not itemise is null. */
export interface InvestmentExpenses {
  serviceTax?: number | null
  brokerageFee?: number | null
  incomeTax?: number | null
  other?: number | null
  tradingAssetsNoticeFee?: number | null
  maintenanceFee?: number | null
  settlementFee?: number | null
  clearingFee?: number | null
  stockExchangeFee?: number | null
  custodyFee?: number | null
  operatingFee?: number | null
}

export interface CollectedInvestmentTransaction {
  providerId?: string | null
  investmentProviderId: string
  type: (typeof INVESTMENT_TRANSACTION_TYPES)[number] | null
  movementType?: 'CREDIT' | 'DEBIT' | null
  quantity?: number | null
  value?: number | null
  amount: number
  /** The amount with expenses. */
  netAmount?: number | null
  date: string
  tradeDate?: string | null
  description?: string | null
  /** The brokerage note (nota de corretagem) the movement is on. */
  brokerageNumber?: string | null
  expenses?: InvestmentExpenses | null
  /** Fixed income: the rate agreed at purchase. */
  agreedRate?: number | null
}
