import type { MfaParameter, SelectOption, UserAction } from '../../domain/lifecycle.ts'
import type { Product } from '../../domain/statuses.ts'

export type { MfaParameter, SelectOption, UserAction, Product }

export const CONNECTOR_TYPES = [
  'PERSONAL_BANK',
  'BUSINESS_BANK',
  'INVESTMENT',
  'DIGITAL_ECONOMY',
  'PAYMENT_ACCOUNT',
  'OTHER',
] as const
export type ConnectorType = (typeof CONNECTOR_TYPES)[number]

/** A credential field the user fills in (SPEC §3.2). */
export interface CredentialField {
  name: string
  label: string
  type: 'text' | 'password' | 'number' | 'image' | 'select'
  placeholder?: string
  /** A regular expression the whole value must match. */
  validation?: string
  validationMessage?: string
  assistiveText?: string
  optional?: boolean
  /** 1-step MFA: a fresh value is required on every execution (e.g. an authenticator code). */
  mfa?: boolean
  options?: SelectOption[]
}

/** What `askUser` takes: the MFA parameter without `expiresAt`, which the engine sets. */
export type MfaRequest = Omit<MfaParameter, 'expiresAt'>

export interface ConnectorLogger {
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
}

export interface ProductWarning {
  code: string
  message: string
  providerMessage?: string
}

/** What the engine gives a connector for one execution. Connectors only do I/O through it. */
export interface ConnectorContext {
  /** The item's credentials, decrypted for this execution only. */
  readonly credentials: Readonly<Record<string, string>>
  /** Products this execution collects (the item's requested products the connector supports). */
  readonly products: readonly Product[]
  /** Aborted when the execution is cancelled (item deleted) or exceeds its deadline. */
  readonly signal: AbortSignal
  readonly log: ConnectorLogger
  /** True once a trusted-device connector completed MFA for this item (SPEC §2.3). */
  readonly deviceTrusted: boolean
  /** While device authorization is pending: how many executions already ended pending, and since when. */
  readonly authorization: { pendingSince: Date; pendingExecutions: number } | null
  /**
   * Set when this run took the execution over from a worker that stopped: the status it had
   * reached (the engine does not write the earlier steps again), the attempt, and whether the user
   * already answered MFA in this execution — a connector that can log in again without asking
   * (a stateless code check, a session it can restore) should not ask again.
   */
  readonly resume: { fromStatus: string; attempt: number; mfaAnswered: boolean } | null
  /** The engine's clock; connectors use it instead of `Date.now()` so tests can control time. */
  now(): Date
  /** Waits, or rejects when the execution is cancelled. */
  sleep(ms: number): Promise<void>
  /**
   * 2-step MFA: pauses the execution (`WAITING_USER_INPUT`) until the user sends a value.
   * Resolves with the value; rejects when the MFA times out or the execution is cancelled
   * (let that rejection propagate: the engine ends the execution accordingly).
   * @example const code = await ctx.askUser({ name: 'token', label: 'Code from SMS', type: 'number' })
   */
  askUser(request: MfaRequest): Promise<string>
  /**
   * Device authorization: ends this execution as `USER_AUTHORIZATION_PENDING`; the engine starts
   * follow-up executions by itself until the connector logs in or the deadline passes.
   * @example ctx.requestAuthorization({ type: 'APP', instructions: 'Approve in your bank app', expiresAt: null })
   */
  requestAuthorization(userAction: UserAction): never
  /** Adds a warning to a product's `statusDetail` without failing it. */
  warn(product: Product, warning: ProductWarning): void
}

export interface BankData {
  transferNumber?: string | null
  closingBalance?: number | null
  automaticallyInvestedBalance?: number | null
  overdraftContractedLimit?: number | null
  overdraftUsedLimit?: number | null
  unarrangedOverdraftAmount?: number | null
}

export interface CreditData {
  level?: string | null
  brand?: string | null
  balanceCloseDate?: string | null
  balanceDueDate?: string | null
  availableCreditLimit?: number | null
  balanceForeignCurrency?: number | null
  minimumPayment?: number | null
  creditLimit?: number | null
  isLimitFlexible?: boolean | null
  status?: 'ACTIVE' | 'BLOCKED' | 'CANCELLED' | null
  holderType?: 'MAIN' | 'ADDITIONAL' | null
}

/** An account as the institution reports it; `providerId` keeps its id stable across executions. */
export interface CollectedAccount {
  providerId: string
  type: 'BANK' | 'CREDIT'
  subtype: 'CHECKING_ACCOUNT' | 'SAVINGS_ACCOUNT' | 'CREDIT_CARD'
  number: string
  name: string
  marketingName?: string | null
  balance: number
  currencyCode: string
  owner?: string | null
  taxNumber?: string | null
  bankData?: BankData | null
  creditData?: CreditData | null
}

export interface PaymentParticipant {
  name?: string | null
  documentNumber?: { type: 'CPF' | 'CNPJ'; value: string } | null
  accountNumber?: string | null
  branchNumber?: string | null
  routingNumber?: string | null
}

export interface PaymentData {
  payer?: PaymentParticipant | null
  receiver?: PaymentParticipant | null
  paymentMethod?: 'PIX' | 'TED' | 'DOC' | 'BOLETO' | 'TEF' | null
  referenceNumber?: string | null
  reason?: string | null
}

export interface CreditCardMetadata {
  installmentNumber?: number | null
  totalInstallments?: number | null
  totalAmount?: number | null
  purchaseDate?: string | null
  payeeMCC?: number | null
  cardNumber?: string | null
  billId?: string | null
}

export interface Merchant {
  name: string
  businessName?: string | null
  cnpj?: string | null
  category?: string | null
}

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
  amountInAccountCurrency?: number | null
  balance?: number | null
  category?: string | null
  categoryId?: string | null
  providerCode?: string | null
  status: 'PENDING' | 'POSTED'
  type: 'DEBIT' | 'CREDIT'
  paymentData?: PaymentData | null
  creditCardMetadata?: CreditCardMetadata | null
  merchant?: Merchant | null
}

export interface CollectedInvestment {
  providerId: string
  code?: string | null
  isin?: string | null
  name: string
  type: 'FIXED_INCOME' | 'SECURITY' | 'MUTUAL_FUND' | 'EQUITY' | 'ETF' | 'COE' | 'OTHER'
  subtype?: string | null
  balance: number
  amount?: number | null
  quantity?: number | null
  value?: number | null
  currencyCode: string
  date?: string | null
  dueDate?: string | null
  issuer?: string | null
  rate?: number | null
  rateType?: string | null
  status?: 'ACTIVE' | 'PENDING' | 'TOTAL_WITHDRAWAL' | null
}

export interface CollectedInvestmentTransaction {
  providerId?: string | null
  investmentProviderId: string
  type: 'BUY' | 'SELL' | 'TAX' | 'TRANSFER' | 'INTEREST' | 'AMORTIZATION' | 'OTHER'
  movementType?: 'CREDIT' | 'DEBIT' | null
  quantity?: number | null
  value?: number | null
  amount: number
  netAmount?: number | null
  date: string
  tradeDate?: string | null
  description?: string | null
}

export interface CollectedIdentity {
  fullName: string
  document?: string | null
  documentType?: 'CPF' | 'CNPJ' | null
  taxNumber?: string | null
  birthDate?: string | null
  jobTitle?: string | null
  companyName?: string | null
  emails?: { value: string; type?: 'Personal' | 'Work' | null }[]
  phoneNumbers?: { value: string; type?: 'Personal' | 'Work' | 'Residencial' | null }[]
  addresses?: {
    fullAddress?: string | null
    primaryAddress?: string | null
    city?: string | null
    postalCode?: string | null
    state?: string | null
    country?: string | null
    type?: 'Personal' | 'Work' | null
  }[]
  relations?: { type: 'Mother' | 'Father' | 'Spouse'; name: string; document?: string | null }[]
}

export interface CollectedOpportunity {
  providerId: string
  name: string
  description?: string | null
  type: 'CREDIT_CARD' | 'PERSONAL_LOAN' | 'BUSINESS_LOAN' | 'MORTGAGE' | 'VEHICLE_LOAN' | 'OVERDRAFT' | 'OTHER'
  interestRate?: number | null
  rateType?: 'MONTHLY' | 'YEARLY' | null
  totalLimit?: number | null
  availableLimit?: number | null
  date: string
}

/** Payment data found for transactions collected earlier in the execution, by their `providerId`. */
export interface CollectedPaymentData {
  transactionProviderId: string
  paymentData: PaymentData
}

/** What earlier steps of the execution collected, for steps that build on them. */
export interface Collected {
  accounts: CollectedAccount[]
  creditCards: CollectedAccount[]
  transactions: CollectedTransaction[]
  investments: CollectedInvestment[]
}

export interface ConnectorDefinition {
  id: number
  name: string
  type: ConnectorType
  country: string
  credentials: CredentialField[]
  /** 2-step MFA: the connector asks for a value after the first login step. */
  hasMFA: boolean
  products: Product[]
  /** After one successful MFA execution the device is trusted and later executions skip MFA. */
  trustsDevice?: boolean
  /**
   * The engine keeps each product this connector collects durably, with the step after it, so that
   * an execution taken over by another worker does not collect it again (worth it for institutions
   * that are slow to collect from; it costs a write of the collected data per product).
   */
  checkpoints?: boolean
  institutionUrl?: string
  imageUrl?: string
  primaryColor?: string
  isSandbox?: boolean
  /** Logs in; throws a typed error on failure; may call `askUser` or `requestAuthorization`. */
  login(ctx: ConnectorContext): Promise<void>
  fetchAccounts?(ctx: ConnectorContext): Promise<CollectedAccount[]>
  fetchCreditCards?(ctx: ConnectorContext): Promise<CollectedAccount[]>
  fetchTransactions?(ctx: ConnectorContext, collected: Collected): Promise<CollectedTransaction[]>
  fetchInvestments?(ctx: ConnectorContext): Promise<CollectedInvestment[]>
  fetchInvestmentTransactions?(ctx: ConnectorContext, collected: Collected): Promise<CollectedInvestmentTransaction[]>
  fetchPaymentData?(ctx: ConnectorContext, collected: Collected): Promise<CollectedPaymentData[]>
  fetchIdentity?(ctx: ConnectorContext): Promise<CollectedIdentity>
  fetchOpportunities?(ctx: ConnectorContext): Promise<CollectedOpportunity[]>
}

/** The fetch function each product needs. */
export const PRODUCT_FETCHER = {
  ACCOUNTS: 'fetchAccounts',
  CREDIT_CARDS: 'fetchCreditCards',
  TRANSACTIONS: 'fetchTransactions',
  INVESTMENTS: 'fetchInvestments',
  INVESTMENTS_TRANSACTIONS: 'fetchInvestmentTransactions',
  PAYMENT_DATA: 'fetchPaymentData',
  IDENTITY: 'fetchIdentity',
  OPPORTUNITIES: 'fetchOpportunities',
} as const satisfies Record<Product, keyof ConnectorDefinition>
