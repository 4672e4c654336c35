/**
 * The pure half of the merge: checks what a connector collected and shapes it for the statements
 * (stable identities, ISO dates, categories, content hashes) before anything is sent. A
 * connector's malformed data fails here (→ MERGE_ERROR). No database, no clock.
 */
import { createHash } from 'node:crypto'
import type {
  CollectedAccount,
  CollectedAccountStatement,
  CollectedIdentity,
  CollectedInvestment,
  CollectedInvestmentTransaction,
  CollectedLoan,
  CollectedOpportunity,
  CollectedPaymentData,
  PaymentData,
} from '../../connectors/sdk/index.ts'
import type { Product } from '../../domain/statuses.ts'
import { normaliseDescription, utcDay } from '../../domain/transaction-identity.ts'
import type { AccountStatementInput } from '../../store/account-statements.ts'
import type { CreditCardBillInput } from '../../store/credit-card-bills.ts'
import type { InvestmentTransactionInput } from '../../store/investments.ts'
import type { ItemScope } from '../../store/item-scope.ts'
import { isoDate, withIsoDates } from './iso-date.ts'
import type { MergeEntry, MergeResult, MergeScope } from './merge-types.ts'
import type { TransactionSource } from './prepare-transactions.ts'
import { stableUuid } from './stable-id.ts'

export { transactionKeysOf, hashText } from './prepare-transactions.ts'

/** What one entry brings to the statements, checked and shaped before any is sent. */
export interface PreparedEntry {
  scope: MergeScope
  at: ItemScope
  result: MergeResult
  changes: Map<string, { created: string[]; updated: string[]; deleted: string[] }>
  /** The accounts to store, without their bills, dates as instants. */
  accounts: readonly CollectedAccount[]
  /** Bills of the credit-card accounts stored by this merge (null: CREDIT_CARDS not collected). */
  bills: CreditCardBillInput[] | null
  /** Transactions of accounts stored by this merge (null: TRANSACTIONS not collected). */
  transactions: TransactionSource | null
  paymentData: Map<string, PaymentData> | null
  investments: readonly CollectedInvestment[] | null
  movements: InvestmentTransactionInput[] | null
  identity: CollectedIdentity | null
  opportunities: readonly CollectedOpportunity[] | null
  loans: readonly CollectedLoan[] | null
  statements: AccountStatementInput[] | null
}

/** Checks what an entry collected and shapes it for the statements; a connector's malformed data fails here (→ MERGE_ERROR). */
export function prepareEntry({ scope, collected }: MergeEntry): PreparedEntry {
  const isCollected = (product: Product) => scope.products.includes(product) && !scope.failedProducts.includes(product)
  const cards = isCollected('CREDIT_CARDS') ? listOf('credit cards', collected.creditCards) : null
  const accounts = [...(isCollected('ACCOUNTS') ? listOf('accounts', collected.accounts) : []), ...(cards ?? [])]
  assertUniqueProviderIds('accounts', accounts)
  // Only transactions (and statements) of accounts stored by this merge: an account whose product
  // failed keeps its data as it was, and an account the institution did not report has no row.
  const accountsById = new Map(accounts.map((a) => [a.providerId, a]))
  const paymentData = isCollected('PAYMENT_DATA') ? paymentDataByProviderId(listOf('payment data', collected.paymentData)) : null
  const transactions = isCollected('TRANSACTIONS')
    ? { itemId: scope.itemId, transactions: listOf('transactions', collected.transactions).filter((t) => accountsById.has(t.accountProviderId)), accounts: accountsById, paymentData }
    : null
  const investments = isCollected('INVESTMENTS') ? listOf('investments', collected.investments) : null
  if (investments) assertUniqueProviderIds('investments', investments)
  let identity: CollectedIdentity | null = null
  if (isCollected('IDENTITY')) {
    if (!collected.identity || typeof collected.identity !== 'object') throw new Error('the connector returned no identity object')
    identity = withIsoDates(collected.identity, ['birthDate', 'incorporationDate'])
  }
  const opportunities = isCollected('OPPORTUNITIES') ? listOf('opportunities', collected.opportunities) : null
  if (opportunities) assertUniqueProviderIds('opportunities', opportunities)
  const loans = isCollected('LOANS') ? listOf('loans', collected.loans) : null
  if (loans) assertUniqueProviderIds('loans', loans)
  return {
    scope,
    at: { itemId: scope.itemId, clientId: scope.clientId, at: scope.at },
    result: {
      accounts: { created: 0, updated: 0 },
      bills: { created: 0, updated: 0 },
      transactions: { created: 0, updated: 0, deleted: 0 },
      investments: { created: 0, updated: 0 },
      investmentTransactions: { created: 0, updated: 0 },
      identity: null,
      opportunities: { created: 0, updated: 0, deleted: 0 },
      loans: { created: 0, updated: 0 },
      accountStatements: { created: 0, updated: 0 },
      events: [],
    },
    changes: new Map(),
    accounts: accounts.map(accountRow),
    bills: cards && billsOf(scope.itemId, cards),
    transactions,
    paymentData,
    investments: investments?.map((i) => withIsoDates(i, ['date', 'dueDate', 'issueDate', 'purchaseDate'])) ?? null,
    movements: isCollected('INVESTMENTS_TRANSACTIONS') ? investmentMovements(listOf('investment transactions', collected.investmentTransactions)) : null,
    identity,
    opportunities: opportunities?.map((o) => ({ ...o, date: isoDate(o.date)! })) ?? null,
    loans: loans?.map(loanRow) ?? null,
    statements: isCollected('ACCOUNT_STATEMENTS') ? statementsOf(listOf('account statements', collected.accountStatements), accountsById) : null,
  }
}

/** An account as stored: its bills apart, the card's bill dates as instants (the reference serves them so). */
function accountRow({ bills: _bills, ...account }: CollectedAccount): CollectedAccount {
  return account.creditData ? { ...account, creditData: withIsoDates(account.creditData, ['balanceCloseDate', 'balanceDueDate']) } : account
}

/**
 * The bills of the credit-card accounts, each finance charge and payment with an id derived from
 * the item, the bill and its own identity (the institution's id, else its position), so that it
 * keeps its id across executions.
 */
function billsOf(itemId: string, cards: readonly CollectedAccount[]): CreditCardBillInput[] {
  const out: CreditCardBillInput[] = []
  for (const card of cards) {
    const bills = card.bills ?? []
    if (!Array.isArray(bills)) throw new Error(`the connector returned bills of account ${JSON.stringify(card.providerId)} that are not a list`)
    assertUniqueProviderIds(`bills of account ${JSON.stringify(card.providerId)}`, bills)
    for (const bill of bills) {
      const elementId = (kind: string, providerId: string | null | undefined, index: number) => stableUuid(itemId, card.providerId, bill.providerId, kind, providerId ? `p:${providerId}` : `#${index}`)
      out.push({
        accountProviderId: card.providerId,
        providerId: bill.providerId,
        dueDate: isoDate(bill.dueDate)!,
        billClosingDate: isoDate(bill.billClosingDate),
        totalAmount: bill.totalAmount,
        totalAmountCurrencyCode: bill.totalAmountCurrencyCode,
        minimumPaymentAmount: bill.minimumPaymentAmount ?? null,
        allowsInstallments: bill.allowsInstallments ?? null,
        financeCharges: (bill.financeCharges ?? []).map(({ providerId, ...charge }, i) => ({
          id: elementId('charge', providerId, i),
          ...charge,
          additionalInfo: charge.additionalInfo ?? null,
        })),
        payments: (bill.payments ?? []).map(({ providerId, ...payment }, i) => ({
          id: elementId('payment', providerId, i),
          ...payment,
          paymentDate: isoDate(payment.paymentDate)!,
          paymentMode: payment.paymentMode ?? null,
        })),
      })
    }
  }
  return out
}

function loanRow(loan: CollectedLoan): CollectedLoan {
  return {
    ...withIsoDates(loan, ['date', 'contractDate', 'settlementDate', 'dueDate', 'firstInstallmentDueDate']),
    disbursementDates: loan.disbursementDates?.map((d) => isoDate(d)!) ?? null,
  }
}

/** Statements of the accounts stored by this merge, one per account and month, the PDF as base64 with its digest. */
function statementsOf(statements: readonly CollectedAccountStatement[], accounts: ReadonlyMap<string, unknown>): AccountStatementInput[] {
  const seen = new Set<string>()
  const out: AccountStatementInput[] = []
  for (const s of statements) {
    if (!accounts.has(s.accountProviderId)) continue
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(s.month)) throw new Error(`the connector returned a statement month that is not YYYY-MM: ${JSON.stringify(s.month)}`)
    const key = `${s.accountProviderId}\u0000${s.month}`
    if (seen.has(key)) continue
    seen.add(key)
    const pdf = s.pdf ? Buffer.from(s.pdf.buffer, s.pdf.byteOffset, s.pdf.byteLength) : null
    out.push({ accountProviderId: s.accountProviderId, month: s.month, pdfBase64: pdf?.toString('base64') ?? null, pdfSha1: pdf ? createHash('sha1').update(pdf).digest('hex') : null })
  }
  return out
}

function paymentDataByProviderId(entries: readonly CollectedPaymentData[]): Map<string, PaymentData> {
  return new Map(entries.map((e) => [e.transactionProviderId, e.paymentData]))
}

export function changesOf(entry: PreparedEntry, accountId: string): { created: string[]; updated: string[]; deleted: string[] } {
  let change = entry.changes.get(accountId)
  if (!change) entry.changes.set(accountId, (change = { created: [], updated: [], deleted: [] }))
  return change
}

/** A collected product's list; a connector that returned anything else fails the merge (→ MERGE_ERROR). */
function listOf<T>(kind: string, value: readonly T[] | undefined | null): readonly T[] {
  if (!Array.isArray(value)) throw new Error(`the connector returned ${kind} that are not a list (${value === null ? 'null' : typeof value})`)
  return value
}

/**
 * Two records under one institution id cannot both keep a stable id: the institution's data is
 * inconsistent, and the merge fails (→ MERGE_ERROR) rather than pick one.
 */
function assertUniqueProviderIds(kind: string, records: readonly { providerId: string }[]): void {
  const seen = new Set<string>()
  for (const { providerId } of records) {
    if (seen.has(providerId)) throw new Error(`the connector returned two ${kind} with providerId ${JSON.stringify(providerId)}`)
    seen.add(providerId)
  }
}

/**
 * Investment movements with their identity: `p:<providerId>`, else the day, type, amount and
 * description (exact day: movements are booked, not pending), counted like transactions.
 */
function investmentMovements(movements: readonly CollectedInvestmentTransaction[]): InvestmentTransactionInput[] {
  const seen = new Map<string, number>()
  const out: InvestmentTransactionInput[] = []
  for (const m of movements) {
    let matchKey: string
    if (m.providerId) {
      matchKey = `p:${m.providerId}`
      if (seen.has(`${m.investmentProviderId}\u0000${matchKey}`)) continue
      seen.set(`${m.investmentProviderId}\u0000${matchKey}`, 1)
    } else {
      const base = `f:${utcDay(m.date)}|${m.type}|${String(m.amount)}|${normaliseDescription(m.description ?? '')}`
      const n = (seen.get(`${m.investmentProviderId}\u0000${base}`) ?? 0) + 1
      seen.set(`${m.investmentProviderId}\u0000${base}`, n)
      matchKey = `${base}#${n}`
    }
    out.push({
      investmentProviderId: m.investmentProviderId,
      matchKey,
      providerId: m.providerId ?? null,
      type: m.type,
      movementType: m.movementType ?? null,
      quantity: m.quantity ?? null,
      value: m.value ?? null,
      amount: m.amount,
      netAmount: m.netAmount ?? null,
      date: isoDate(m.date)!,
      tradeDate: isoDate(m.tradeDate),
      description: m.description ?? null,
      brokerageNumber: m.brokerageNumber ?? null,
      expenses: m.expenses ?? null,
      agreedRate: m.agreedRate ?? null,
    })
  }
  return out
}
