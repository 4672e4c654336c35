import type { AccountRow } from '../store/accounts.ts'
import type { IdentityRow } from '../store/identity.ts'
import type { InvestmentRow, InvestmentTransactionRow } from '../store/investments.ts'
import type { OpportunityRow } from '../store/opportunities.ts'
import type { TransactionRow } from '../store/transactions.ts'

const iso = (date: Date | null) => (date ? date.toISOString() : null)

/** An account as the API shows it (SPEC §3.4). */
export function presentAccount(account: AccountRow) {
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
    createdAt: iso(account.createdAt),
    updatedAt: iso(account.updatedAt),
  }
}

/**
 * What a connect token may read of an account (SPEC §3.1): enough for the Connect widget to show
 * which accounts were connected, nothing that identifies the holder, and the number masked.
 */
export function presentAccountForConnectToken(account: AccountRow) {
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

export function presentTransaction(transaction: TransactionRow) {
  return {
    id: transaction.id,
    accountId: transaction.accountId,
    date: iso(transaction.date),
    description: transaction.description,
    descriptionRaw: transaction.descriptionRaw,
    currencyCode: transaction.currencyCode,
    amount: transaction.amount,
    amountInAccountCurrency: transaction.amountInAccountCurrency,
    balance: transaction.balance,
    category: transaction.category,
    categoryId: transaction.categoryId,
    providerCode: transaction.providerCode,
    providerId: transaction.providerId,
    status: transaction.status,
    type: transaction.type,
    paymentData: transaction.paymentData,
    creditCardMetadata: transaction.creditCardMetadata,
    merchant: transaction.merchant,
    createdAt: iso(transaction.createdAt),
    updatedAt: iso(transaction.updatedAt),
  }
}

export function presentInvestment(investment: InvestmentRow) {
  return {
    id: investment.id,
    itemId: investment.itemId,
    code: investment.code,
    isin: investment.isin,
    name: investment.name,
    type: investment.type,
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
    status: investment.status,
    createdAt: iso(investment.createdAt),
    updatedAt: iso(investment.updatedAt),
  }
}

export function presentInvestmentTransaction(movement: InvestmentTransactionRow) {
  return {
    id: movement.id,
    investmentId: movement.investmentId,
    type: movement.type,
    movementType: movement.movementType,
    quantity: movement.quantity,
    value: movement.value,
    amount: movement.amount,
    netAmount: movement.netAmount,
    date: iso(movement.date),
    tradeDate: iso(movement.tradeDate),
    description: movement.description,
  }
}

export function presentIdentity(identity: IdentityRow) {
  return {
    id: identity.id,
    itemId: identity.itemId,
    fullName: identity.fullName,
    document: identity.document,
    documentType: identity.documentType,
    taxNumber: identity.taxNumber,
    birthDate: iso(identity.birthDate),
    jobTitle: identity.jobTitle,
    companyName: identity.companyName,
    emails: identity.emails,
    phoneNumbers: identity.phoneNumbers,
    addresses: identity.addresses,
    relations: identity.relations,
    createdAt: iso(identity.createdAt),
    updatedAt: iso(identity.updatedAt),
  }
}

export function presentOpportunity(opportunity: OpportunityRow) {
  return {
    id: opportunity.id,
    itemId: opportunity.itemId,
    name: opportunity.name,
    description: opportunity.description,
    type: opportunity.type,
    interestRate: opportunity.interestRate,
    rateType: opportunity.rateType,
    totalLimit: opportunity.totalLimit,
    availableLimit: opportunity.availableLimit,
    date: iso(opportunity.date),
  }
}
