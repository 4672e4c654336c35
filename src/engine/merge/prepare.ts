/**
 * The pure half of the merge: checks what a connector collected and shapes it for the statements
 * (stable identities, ISO dates, content hashes) before anything is sent. A connector's malformed
 * data fails here (→ MERGE_ERROR). No database, no clock.
 */
import { createHash } from 'node:crypto'
import type {
  CollectedAccount,
  CollectedIdentity,
  CollectedInvestment,
  CollectedInvestmentTransaction,
  CollectedOpportunity,
  CollectedPaymentData,
  CollectedTransaction,
  PaymentData,
} from '../../connectors/sdk/index.ts'
import { canonicalJson } from '../../domain/canonical-json.ts'
import type { Product } from '../../domain/statuses.ts'
import { normaliseDescription, transactionIdentities, utcDay } from '../../domain/transaction-identity.ts'
import type { InvestmentTransactionInput } from '../../store/investments.ts'
import type { ItemScope } from '../../store/item-scope.ts'
import { transactionContentJson, type TransactionKey, type TransactionWrite } from '../../store/transactions.ts'
import type { MergeEntry, MergeResult, MergeScope } from './merge-types.ts'

/** What one entry brings to the statements, checked and shaped before any is sent. */
export interface PreparedEntry {
  scope: MergeScope
  at: ItemScope
  result: MergeResult
  changes: Map<string, { created: string[]; updated: string[]; deleted: string[] }>
  accounts: readonly CollectedAccount[]
  /** Transactions of accounts stored by this merge (null: TRANSACTIONS not collected). */
  transactions: readonly CollectedTransaction[] | null
  paymentData: Map<string, PaymentData> | null
  investments: readonly CollectedInvestment[] | null
  movements: InvestmentTransactionInput[] | null
  identity: CollectedIdentity | null
  opportunities: readonly CollectedOpportunity[] | null
}

/** Checks what an entry collected and shapes it for the statements; a connector's malformed data fails here (→ MERGE_ERROR). */
export function prepareEntry({ scope, collected }: MergeEntry): PreparedEntry {
  const isCollected = (product: Product) => scope.products.includes(product) && !scope.failedProducts.includes(product)
  const accounts = [...(isCollected('ACCOUNTS') ? listOf('accounts', collected.accounts) : []), ...(isCollected('CREDIT_CARDS') ? listOf('credit cards', collected.creditCards) : [])]
  assertUniqueProviderIds('accounts', accounts)
  // Only transactions of accounts stored by this merge: an account whose product failed keeps
  // its transactions as they were, and an account the institution did not report has no row.
  const accountIds = new Set(accounts.map((a) => a.providerId))
  const transactions = isCollected('TRANSACTIONS') ? listOf('transactions', collected.transactions).filter((t) => accountIds.has(t.accountProviderId)) : null
  const investments = isCollected('INVESTMENTS') ? listOf('investments', collected.investments) : null
  if (investments) assertUniqueProviderIds('investments', investments)
  let identity: CollectedIdentity | null = null
  if (isCollected('IDENTITY')) {
    if (!collected.identity || typeof collected.identity !== 'object') throw new Error('the connector returned no identity object')
    identity = { ...collected.identity, birthDate: isoDate(collected.identity.birthDate) }
  }
  const opportunities = isCollected('OPPORTUNITIES') ? listOf('opportunities', collected.opportunities) : null
  if (opportunities) assertUniqueProviderIds('opportunities', opportunities)
  return {
    scope,
    at: { itemId: scope.itemId, clientId: scope.clientId, at: scope.at },
    result: {
      accounts: { created: 0, updated: 0 },
      transactions: { created: 0, updated: 0, deleted: 0 },
      investments: { created: 0, updated: 0 },
      investmentTransactions: { created: 0, updated: 0 },
      identity: null,
      opportunities: { created: 0, updated: 0, deleted: 0 },
      events: [],
    },
    changes: new Map(),
    accounts,
    transactions,
    paymentData: isCollected('PAYMENT_DATA') ? paymentDataByProviderId(listOf('payment data', collected.paymentData)) : null,
    investments: investments?.map(withIsoDates) ?? null,
    movements: isCollected('INVESTMENTS_TRANSACTIONS') ? investmentMovements(listOf('investment transactions', collected.investmentTransactions)) : null,
    identity,
    opportunities: opportunities?.map((o) => ({ ...o, date: isoDate(o.date)! })) ?? null,
  }
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
 * The match keys, fingerprints and content hashes of the entries' transactions — what the store
 * plans the merge with — and each one's row to write, by its position (`ord`). A transaction the
 * institution listed twice (e.g. across pages) is kept once.
 */
export function transactionKeysOf(entries: readonly PreparedEntry[]): { keys: TransactionKey[]; rows: Map<number, Omit<TransactionWrite, 'accountId'>> } {
  const keys: TransactionKey[] = []
  const rows = new Map<number, Omit<TransactionWrite, 'accountId'>>()
  for (const entry of entries) {
    const collected = entry.transactions!
    const keepPaymentData = entry.paymentData === null
    const identities = transactionIdentities(collected, (t) => t.accountProviderId)
    const seen = new Set<string>()
    for (let i = 0; i < collected.length; i++) {
      const t = collected[i]
      const { matchKey, fingerprint } = identities[i]
      // The institution listed one transaction twice (e.g. across pages): keep the first.
      const unique = `${t.accountProviderId}\u0000${matchKey}`
      if (seen.has(unique)) continue
      seen.add(unique)
      const date = isoDate(t.date)!
      const contentJson = transactionContentJson({ ...t, date })
      const payment = entry.paymentData ? paymentDataOf(t, entry.paymentData) : undefined
      const paymentJson = payment ? canonicalJson(payment) : null
      const row = {
        matchKey,
        fingerprint,
        providerId: t.providerId ?? null,
        contentJson,
        contentHash: hashText(contentJson),
        paymentJson,
        paymentHash: paymentJson === null ? null : hashText(paymentJson),
      }
      const ord = keys.length
      rows.set(ord, row)
      keys.push({ ord, itemId: entry.scope.itemId, keepPaymentData, accountProviderId: t.accountProviderId, matchKey, fingerprint, date, contentHash: row.contentHash, paymentHash: row.paymentHash })
    }
  }
  return { keys, rows }
}

/** The PAYMENT_DATA step's data for a transaction, else what came with the transaction. */
function paymentDataOf(t: CollectedTransaction, byProviderId: ReadonlyMap<string, PaymentData>): PaymentData | undefined {
  return (t.providerId ? byProviderId.get(t.providerId) : undefined) ?? t.paymentData ?? undefined
}

function paymentDataByProviderId(entries: readonly CollectedPaymentData[]): Map<string, PaymentData> {
  return new Map(entries.map((e) => [e.transactionProviderId, e.paymentData]))
}

/** A short digest of a canonical JSON text, to tell whether stored data changed. */
export function hashText(text: string): string {
  return createHash('sha1').update(text).digest('base64url')
}

/**
 * A connector's date as an ISO instant: a date-only value is that day at 00:00 UTC (the database
 * would otherwise read it in its session's time zone). An unreadable date fails the merge.
 */
function isoDate(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null
  let iso = isoDates.get(value)
  if (iso === undefined) {
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) iso = `${value}T00:00:00.000Z`
    else {
      const time = Date.parse(value)
      if (Number.isNaN(time)) throw new Error(`the connector returned a date that cannot be read: ${JSON.stringify(value)}`)
      iso = new Date(time).toISOString()
    }
    // Transactions share few distinct dates; parsing each once matters at 100,000 rows.
    if (isoDates.size > 10_000) isoDates.clear()
    isoDates.set(value, iso)
  }
  return iso
}
const isoDates = new Map<string, string>()

function withIsoDates<T extends { date?: string | null; dueDate?: string | null }>(value: T): T {
  return { ...value, date: isoDate(value.date), dueDate: isoDate(value.dueDate) }
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
    })
  }
  return out
}

