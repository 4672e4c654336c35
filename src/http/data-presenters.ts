import type { AccountRow } from '../store/accounts.ts'
import type { IdentityRow } from '../store/identity.ts'
import type { InvestmentRow, InvestmentTransactionRow } from '../store/investments.ts'
import type { OpportunityRow } from '../store/opportunities.ts'
import type { TransactionRow } from '../store/transactions.ts'
import type { Account, ReducedAccount } from './schemas/account.ts'
import type { Identity } from './schemas/identity.ts'
import type { Investment, InvestmentTransaction } from './schemas/investment.ts'
import type { Opportunity } from './schemas/opportunity.ts'
import type { Transaction } from './schemas/transaction.ts'

const iso = (date: Date | null) => (date ? date.toISOString() : null)

/** Every one of `keys`, null where `value` leaves it out: the reference declares them `T | null`, never absent. */
function complete<K extends string, V>(keys: readonly K[], value: { [P in K]?: V | null }): { [P in K]: V | null } {
  return Object.fromEntries(keys.map((key) => [key, value[key] ?? null])) as { [P in K]: V | null }
}

const EXPENSE_KEYS = [
  'serviceTax',
  'brokerageFee',
  'incomeTax',
  'other',
  'tradingAssetsNoticeFee',
  'maintenanceFee',
  'settlementFee',
  'clearingFee',
  'stockExchangeFee',
  'custodyFee',
  'operatingFee',
] as const

/** An account as the API shows it (SPEC §3.4). */
export function presentAccount(account: AccountRow): Account {
  return {
    id: account.id,
    itemId: account.itemId,
    type: account.type,
    subtype: account.subtype,
    number: account.number,
    name: account.name,
    marketingName: account.marketingName,
    balance: account.balance,
    currencyCode: account.currencyCode,
    owner: account.owner,
    taxNumber: account.taxNumber,
    bankData: account.bankData,
    creditData: account.creditData,
    createdAt: account.createdAt.toISOString(),
    updatedAt: account.updatedAt.toISOString(),
  }
}

/**
 * What a connect token may read of an account (SPEC §3.1): enough for the Connect widget to show
 * which accounts were connected, nothing that identifies the holder, and the number masked.
 */
export function presentAccountForConnectToken(account: AccountRow): ReducedAccount {
  return {
    id: account.id,
    itemId: account.itemId,
    type: account.type,
    subtype: account.subtype,
    name: account.name,
    number: maskAccountNumber(account.number),
    currencyCode: account.currencyCode,
  }
}

/** Every letter and digit but the last four becomes `*`; separators stay, so the shape shows. */
export function maskAccountNumber(number: string): string {
  let visible = 4
  let out = ''
  for (let i = number.length - 1; i >= 0; i--) {
    const ch = number[i]
    if (/[0-9A-Za-z]/.test(ch)) {
      out = (visible > 0 ? ch : '*') + out
      visible--
    } else {
      out = ch + out
    }
  }
  return out
}

/*
 * The store keeps enumerated values (a transaction's status, an investment's type, …) as text; they
 * are what the connector SDK's types allow, hence the casts to the schemas' unions.
 */

/**
 * The object without its null fields: where the reference client declares a field optional but not
 * nullable (`providerCode?: string`), an unknown value is absent, never null.
 */
function withoutNulls<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as { [K in keyof T]?: Exclude<T[K], null> }
}

function presentPaymentData(data: NonNullable<TransactionRow['paymentData']>): NonNullable<Transaction['paymentData']> {
  const { payer, receiver, boletoMetadata, ...rest } = data
  const boleto = boletoMetadata
    ? {
        digitableLine: boletoMetadata.digitableLine ?? null,
        barcode: boletoMetadata.barcode ?? null,
        baseAmount: boletoMetadata.baseAmount ?? null,
        penaltyAmount: boletoMetadata.penaltyAmount ?? null,
        interestAmount: boletoMetadata.interestAmount ?? null,
        discountAmount: boletoMetadata.discountAmount ?? null,
      }
    : null
  return {
    ...withoutNulls(rest),
    ...(payer ? { payer: withoutNulls(payer) } : {}),
    ...(receiver ? { receiver: withoutNulls(receiver) } : {}),
    boletoMetadata: boleto,
  }
}

function presentCreditCardMetadata(metadata: NonNullable<TransactionRow['creditCardMetadata']>): NonNullable<Transaction['creditCardMetadata']> {
  const { purchaseDate, ...rest } = withoutNulls(metadata)
  // The reference client turns purchaseDate into a Date: only a full ISO instant becomes one.
  const instant = purchaseDate ? new Date(purchaseDate) : null
  return { ...rest, ...(instant && !Number.isNaN(instant.getTime()) ? { purchaseDate: instant.toISOString() } : {}) }
}

function presentMerchant(merchant: NonNullable<TransactionRow['merchant']>): NonNullable<Transaction['merchant']> {
  const { name, businessName, ...rest } = merchant
  // The reference requires a business name; the trading name stands in when the institution gives none.
  return { name, businessName: businessName ?? name, ...withoutNulls(rest) }
}

export function presentTransaction(transaction: TransactionRow): Transaction {
  return {
    id: transaction.id,
    accountId: transaction.accountId,
    date: transaction.date.toISOString(),
    description: transaction.description,
    descriptionRaw: transaction.descriptionRaw,
    currencyCode: transaction.currencyCode,
    amount: transaction.amount,
    amountInAccountCurrency: transaction.amountInAccountCurrency,
    balance: transaction.balance,
    category: transaction.category,
    categoryId: transaction.categoryId,
    ...(transaction.providerCode !== null ? { providerCode: transaction.providerCode } : {}),
    providerId: transaction.providerId,
    status: transaction.status as Transaction['status'],
    type: transaction.type as Transaction['type'],
    operationType: transaction.operationType,
    operationTypeAdditionalInfo: transaction.operationTypeAdditionalInfo,
    ...(transaction.paymentData ? { paymentData: presentPaymentData(transaction.paymentData) } : {}),
    creditCardMetadata: transaction.creditCardMetadata ? presentCreditCardMetadata(transaction.creditCardMetadata) : null,
    ...(transaction.merchant ? { merchant: presentMerchant(transaction.merchant) } : {}),
    createdAt: transaction.createdAt.toISOString(),
    updatedAt: transaction.updatedAt.toISOString(),
  }
}

export function presentInvestment(investment: InvestmentRow): Investment {
  return {
    id: investment.id,
    itemId: investment.itemId,
    code: investment.code,
    isin: investment.isin,
    name: investment.name,
    type: investment.type as Investment['type'],
    subtype: investment.subtype,
    balance: investment.balance,
    amount: investment.amount,
    quantity: investment.quantity,
    value: investment.value,
    currencyCode: investment.currencyCode,
    date: iso(investment.date),
    dueDate: iso(investment.dueDate),
    issuer: investment.issuer,
    rate: investment.rate,
    rateType: investment.rateType,
    status: investment.status as Investment['status'],
    number: investment.number,
    issuerCNPJ: investment.issuerCNPJ,
    amountOriginal: investment.amountOriginal,
    amountProfit: investment.amountProfit,
    amountWithdrawal: investment.amountWithdrawal,
    taxes: investment.taxes,
    taxes2: investment.taxes2,
    issueDate: iso(investment.issueDate),
    purchaseDate: iso(investment.purchaseDate),
    fixedAnnualRate: investment.fixedAnnualRate,
    lastMonthRate: investment.lastMonthRate,
    annualRate: investment.annualRate,
    lastTwelveMonthsRate: investment.lastTwelveMonthsRate,
    owner: investment.owner,
    institution: investment.institution ? complete(['name', 'number'], investment.institution) : null,
    metadata: investment.metadata ? complete(['taxRegime', 'proposalNumber', 'processNumber'], investment.metadata) : null,
    // Movements are a list of their own (GET /investments/{id}/transactions); null is what the reference allows here.
    transactions: null,
    createdAt: investment.createdAt.toISOString(),
    updatedAt: investment.updatedAt.toISOString(),
  }
}

export function presentInvestmentTransaction(movement: InvestmentTransactionRow): InvestmentTransaction {
  return {
    id: movement.id,
    investmentId: movement.investmentId,
    type: movement.type as InvestmentTransaction['type'],
    movementType: movement.movementType as InvestmentTransaction['movementType'],
    quantity: movement.quantity,
    value: movement.value,
    amount: movement.amount,
    netAmount: movement.netAmount,
    date: movement.date.toISOString(),
    tradeDate: iso(movement.tradeDate),
    description: movement.description,
    brokerageNumber: movement.brokerageNumber,
    expenses: movement.expenses ? complete(EXPENSE_KEYS, movement.expenses) : null,
    agreedRate: movement.agreedRate,
  }
}

const DAY = /^\d{4}-\d{2}-\d{2}$/

/**
 * A nested group of the identity as collected, with every day (`YYYY-MM-DD`) written as the full
 * ISO instant the reference client turns into a Date.
 */
function nested(value: unknown): Record<string, unknown> | null {
  if (value === null || value === undefined) return null
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string' && DAY.test(v)) return new Date(`${v}T00:00:00.000Z`).toISOString()
    if (Array.isArray(v)) return v.map(walk)
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]))
    return v
  }
  return walk(value) as Record<string, unknown>
}

export function presentIdentity(identity: IdentityRow): Identity {
  return {
    id: identity.id,
    itemId: identity.itemId,
    fullName: identity.fullName,
    document: identity.document,
    documentType: identity.documentType as Identity['documentType'],
    taxNumber: identity.taxNumber,
    birthDate: iso(identity.birthDate),
    jobTitle: identity.jobTitle,
    companyName: identity.companyName,
    emails: identity.emails,
    phoneNumbers: identity.phoneNumbers,
    addresses: identity.addresses,
    relations: identity.relations,
    investorProfile: identity.investorProfile ?? null,
    establishmentName: identity.establishmentName,
    establishmentCode: identity.establishmentCode,
    financialRelationships: nested(identity.financialRelationships),
    qualifications: nested(identity.qualifications),
    socialName: identity.socialName,
    sex: identity.sex ?? null,
    maritalStatus: nested(identity.maritalStatus),
    nationality: nested(identity.nationality),
    otherDocuments: identity.otherDocuments?.map((d) => nested(d)!) ?? null,
    passport: nested(identity.passport),
    incorporationDate: iso(identity.incorporationDate),
    parties: identity.parties?.map((p) => nested(p)!) ?? null,
    businessOtherDocuments: identity.businessOtherDocuments?.map((d) => nested(d)!) ?? null,
    companiesCnpj: identity.companiesCnpj,
    createdAt: identity.createdAt.toISOString(),
    updatedAt: identity.updatedAt.toISOString(),
  }
}

export function presentOpportunity(opportunity: OpportunityRow): Opportunity {
  return {
    id: opportunity.id,
    itemId: opportunity.itemId,
    name: opportunity.name,
    description: opportunity.description,
    type: opportunity.type as Opportunity['type'],
    interestRate: opportunity.interestRate,
    rateType: opportunity.rateType as Opportunity['rateType'],
    totalLimit: opportunity.totalLimit,
    availableLimit: opportunity.availableLimit,
    date: opportunity.date.toISOString(),
  }
}
