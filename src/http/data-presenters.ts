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
    providerCode: transaction.providerCode,
    providerId: transaction.providerId,
    status: transaction.status as Transaction['status'],
    type: transaction.type as Transaction['type'],
    paymentData: transaction.paymentData,
    creditCardMetadata: transaction.creditCardMetadata,
    merchant: transaction.merchant,
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
  }
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
