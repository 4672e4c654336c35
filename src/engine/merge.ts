/**
 * The MERGING step (SPEC §2.8): applies what an execution collected to the stored data, inside
 * the transaction that finishes the execution, and writes the `transactions/*` events of what
 * changed into the outbox in that same transaction. Any error rolls the whole merge back
 * (→ MERGE_ERROR, stored data unchanged).
 *
 * Terminology:
 * - collected product: requested by the execution and not failed in it. Only collected products
 *   change stored data; a product that failed or was not requested leaves its data as it was.
 * - window: per account, the UTC days from the oldest to the newest transaction collected for it.
 *   A stored transaction inside its account's window that was not collected again is deleted;
 *   outside it (older history, or an account with nothing collected) it stays.
 * - match key: a transaction's identity within its account (src/domain/transaction-identity.ts).
 */
import { createHash } from 'node:crypto'
import type {
  Collected,
  CollectedIdentity,
  CollectedInvestmentTransaction,
  CollectedOpportunity,
  CollectedPaymentData,
  CollectedTransaction,
  PaymentData,
} from '../connectors/sdk/index.ts'
import { canonicalJson } from '../domain/canonical-json.ts'
import { normaliseDescription, transactionIdentities, utcDay } from '../domain/transaction-identity.ts'
import type { Product, Trigger } from '../domain/statuses.ts'
import { itemEvent } from '../events/item-events.ts'
import { upsertAccounts } from '../store/accounts.ts'
import type { Queryable } from '../store/database.ts'
import { insertEvents, type NewEvent } from '../store/events.ts'
import { upsertIdentity } from '../store/identity.ts'
import { upsertInvestmentTransactions, upsertInvestments, type InvestmentTransactionInput } from '../store/investments.ts'
import { findItemEventContext } from '../store/item-event-context.ts'
import { replaceOpportunities } from '../store/opportunities.ts'
import { applyPaymentData } from '../store/payment-data.ts'
import {
  STAGE_BATCH_BYTES,
  analyzeTransactionStage,
  createTransactionStage,
  planTransactionMerge,
  stageTransactionKeys,
  transactionContentJson,
  transactionWriteBatches,
  upsertTransactions,
  type StagedKeys,
  type TransactionKey,
  type TransactionWrite,
} from '../store/transactions.ts'

export interface MergeScope {
  itemId: string
  clientId: string
  at: Date
  products: readonly Product[]
  failedProducts: readonly Product[]
  /**
   * For the payloads of the `transactions/*` events: who started the execution, and the item's
   * clientUserId and webhookUrl (which receives every event of the item). When any is absent, the
   * merge reads them from the item and its current execution.
   */
  triggeredBy?: Trigger
  clientUserId?: string | null
  webhookUrl?: string | null
}

/** Everything the execution collected; products it did not collect are absent. */
export type CollectedData = Collected &
  Partial<{
    investmentTransactions: CollectedInvestmentTransaction[]
    paymentData: CollectedPaymentData[]
    identity: CollectedIdentity
    opportunities: CollectedOpportunity[]
  }>

/** What one merge changed. Unchanged rows are not counted. */
export interface MergeResult {
  accounts: { created: number; updated: number }
  transactions: { created: number; updated: number; deleted: number }
  investments: { created: number; updated: number }
  investmentTransactions: { created: number; updated: number }
  identity: 'created' | 'updated' | null
  opportunities: { created: number; updated: number; deleted: number }
  /** The events written to the outbox (already inserted). */
  events: NewEvent[]
}

/** At most this many ids per `transactions/updated|deleted` event, so a payload stays small. */
export const TRANSACTION_IDS_PER_EVENT = 1000

/** Content-hash batches of keys: ~200 bytes a row, so this many keep a message near 1 MB. */
const KEYS_PER_BATCH = Math.floor(STAGE_BATCH_BYTES / 200)

/**
 * Applies the collected data to the stored data. Must run inside a transaction (it creates a
 * temporary table dropped at commit).
 */
export async function mergeCollected(tx: Queryable, scope: MergeScope, collected: CollectedData): Promise<MergeResult> {
  const isCollected = (product: Product) => scope.products.includes(product) && !scope.failedProducts.includes(product)
  const at = { itemId: scope.itemId, clientId: scope.clientId, at: scope.at }
  const result: MergeResult = {
    accounts: { created: 0, updated: 0 },
    transactions: { created: 0, updated: 0, deleted: 0 },
    investments: { created: 0, updated: 0 },
    investmentTransactions: { created: 0, updated: 0 },
    identity: null,
    opportunities: { created: 0, updated: 0, deleted: 0 },
    events: [],
  }

  const accounts = [...(isCollected('ACCOUNTS') ? listOf('accounts', collected.accounts) : []), ...(isCollected('CREDIT_CARDS') ? listOf('credit cards', collected.creditCards) : [])]
  assertUniqueProviderIds('accounts', accounts)
  count(result.accounts, await upsertAccounts(tx, at, accounts))

  const changes = new Map<string, { created: string[]; updated: string[]; deleted: string[] }>()
  const changesOf = (accountId: string) => {
    let entry = changes.get(accountId)
    if (!entry) changes.set(accountId, (entry = { created: [], updated: [], deleted: [] }))
    return entry
  }
  const paymentData = isCollected('PAYMENT_DATA') ? paymentDataByProviderId(listOf('payment data', collected.paymentData)) : null
  if (isCollected('TRANSACTIONS')) {
    // Only transactions of accounts stored by this merge: an account whose product failed keeps
    // its transactions as they were, and an account the institution did not report has no row.
    const accountIds = new Set(accounts.map((a) => a.providerId))
    const transactions = listOf('transactions', collected.transactions).filter((t) => accountIds.has(t.accountProviderId))
    // The window of what may be deleted is the span of the collected dates: with none collected
    // there is nothing to match, write or delete, and the staging statements are skipped.
    if (transactions.length > 0) await mergeTransactionsOf(tx, at, transactions, paymentData, changesOf)
  } else if (paymentData && paymentData.size > 0) {
    // Payment data collected without transactions: it still belongs on the stored ones.
    const entries = [...paymentData].map(([providerId, data]) => ({ providerId, paymentData: data, paymentHash: hashText(canonicalJson(data)) }))
    for (const row of await applyPaymentData(tx, at, entries)) changesOf(row.accountId).updated.push(row.id)
  }

  if (isCollected('INVESTMENTS')) {
    const investments = listOf('investments', collected.investments)
    assertUniqueProviderIds('investments', investments)
    count(result.investments, await upsertInvestments(tx, at, investments.map(withIsoDates)))
  }
  if (isCollected('INVESTMENTS_TRANSACTIONS')) {
    count(result.investmentTransactions, await upsertInvestmentTransactions(tx, at, investmentMovements(listOf('investment transactions', collected.investmentTransactions))))
  }
  if (isCollected('IDENTITY')) {
    if (!collected.identity || typeof collected.identity !== 'object') throw new Error('the connector returned no identity object')
    const identity = await upsertIdentity(tx, at, { ...collected.identity, birthDate: isoDate(collected.identity.birthDate) })
    result.identity = identity ? (identity.created ? 'created' : 'updated') : null
  }
  if (isCollected('OPPORTUNITIES')) {
    const opportunities = listOf('opportunities', collected.opportunities)
    assertUniqueProviderIds('opportunities', opportunities)
    for (const row of await replaceOpportunities(tx, at, opportunities.map((o) => ({ ...o, date: isoDate(o.date)! })))) {
      result.opportunities[row.change]++
    }
  }

  for (const entry of changes.values()) {
    result.transactions.created += entry.created.length
    result.transactions.updated += entry.updated.length
    result.transactions.deleted += entry.deleted.length
  }
  result.events = await transactionEvents(tx, scope, changes)
  await insertEvents(tx, result.events)
  return result
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

function count(into: { created: number; updated: number }, rows: readonly { created: boolean }[]): void {
  for (const row of rows) into[row.created ? 'created' : 'updated']++
}

/**
 * Stages keys and hashes of every transaction, lets the store plan the merge (and delete what
 * disappeared), then sends the content of the new and changed transactions only.
 */
async function mergeTransactionsOf(
  tx: Queryable,
  scope: { itemId: string; clientId: string; at: Date },
  collected: readonly CollectedTransaction[],
  paymentData: ReadonlyMap<string, PaymentData> | null,
  changesOf: (accountId: string) => { created: string[]; updated: string[]; deleted: string[] },
): Promise<void> {
  const identities = transactionIdentities(collected, (t) => t.accountProviderId)
  const keys: TransactionKey[] = []
  const rows = new Map<number, Omit<TransactionWrite, 'accountId'>>()
  const seen = new Set<string>()
  for (let ord = 0; ord < collected.length; ord++) {
    const t = collected[ord]
    const { matchKey, fingerprint } = identities[ord]
    // The institution listed one transaction twice (e.g. across pages): keep the first.
    const unique = `${t.accountProviderId}\u0000${matchKey}`
    if (seen.has(unique)) continue
    seen.add(unique)
    const date = isoDate(t.date)!
    const contentJson = transactionContentJson({ ...t, date })
    const payment = paymentData ? paymentDataOf(t, paymentData) : undefined
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
    rows.set(ord, row)
    keys.push({ ord, accountProviderId: t.accountProviderId, matchKey, fingerprint, date, contentHash: row.contentHash, paymentHash: row.paymentHash })
  }
  if (keys.length === 0) return
  const keepPaymentData = paymentData === null

  // A temporary table costs more than the plan itself (catalog rows written, then dropped at
  // commit): keys that fit in one message go with the plan's statement.
  let source: StagedKeys = { itemId: scope.itemId, keys }
  if (keys.length > KEYS_PER_BATCH) {
    await createTransactionStage(tx)
    for (let i = 0; i < keys.length; i += KEYS_PER_BATCH) await stageTransactionKeys(tx, scope.itemId, keys.slice(i, i + KEYS_PER_BATCH))
    await analyzeTransactionStage(tx)
    source = 'staged'
  }
  const plan = await planTransactionMerge(tx, source, { keepPaymentData })
  for (const { accountId, ids } of plan.deleted) for (const id of ids) changesOf(accountId).deleted.push(id)
  if (plan.writes.length === 0) return

  // New rows take their cursor position (seq) in date order.
  const dateOf = new Map(keys.map((k) => [k.ord, k.date]))
  const writes = [...plan.writes].sort((a, b) => {
    const da = dateOf.get(a.ord)!
    const db = dateOf.get(b.ord)!
    return da < db ? -1 : da > db ? 1 : a.ord - b.ord
  })
  const batches = transactionWriteBatches(writes.map(({ ord, accountId }) => ({ accountId, ...rows.get(ord)! })))
  for (const batch of batches) {
    for (const written of await upsertTransactions(tx, scope, batch, { keepPaymentData })) {
      const into = changesOf(written.accountId)[written.created ? 'created' : 'updated']
      for (const id of written.ids) into.push(id)
    }
  }
}

/** The PAYMENT_DATA step's data for a transaction, else what came with the transaction. */
function paymentDataOf(t: CollectedTransaction, byProviderId: ReadonlyMap<string, PaymentData>): PaymentData | undefined {
  return (t.providerId ? byProviderId.get(t.providerId) : undefined) ?? t.paymentData ?? undefined
}

function paymentDataByProviderId(entries: readonly CollectedPaymentData[]): Map<string, PaymentData> {
  return new Map(entries.map((e) => [e.transactionProviderId, e.paymentData]))
}

/** A short digest of a canonical JSON text, to tell whether stored data changed. */
function hashText(text: string): string {
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

/**
 * One `transactions/created` per account with new rows (a link to read them), and
 * `transactions/updated` / `transactions/deleted` naming the ids, at most
 * {@link TRANSACTION_IDS_PER_EVENT} per event.
 */
async function transactionEvents(
  tx: Queryable,
  scope: MergeScope,
  changes: ReadonlyMap<string, { created: string[]; updated: string[]; deleted: string[] }>,
): Promise<NewEvent[]> {
  const accountIds = [...changes.keys()].filter((id) => {
    const c = changes.get(id)!
    return c.created.length + c.updated.length + c.deleted.length > 0
  })
  if (accountIds.length === 0) return []
  let { triggeredBy, clientUserId, webhookUrl } = scope
  if (triggeredBy === undefined || clientUserId === undefined || webhookUrl === undefined) {
    const context = await findItemEventContext(tx, scope.itemId)
    triggeredBy ??= context?.triggeredBy ?? 'SYNC'
    if (clientUserId === undefined) clientUserId = context?.clientUserId ?? null
    if (webhookUrl === undefined) webhookUrl = context?.webhookUrl ?? null
  }
  const item = { id: scope.itemId, clientId: scope.clientId, clientUserId, webhookUrl }
  const createdAtFrom = scope.at.toISOString()
  const events: NewEvent[] = []
  for (const accountId of accountIds.sort()) {
    const { created, updated, deleted } = changes.get(accountId)!
    if (created.length > 0) {
      events.push(
        itemEvent('transactions/created', item, triggeredBy, scope.at, {
          accountId,
          transactionsCreatedAtFrom: createdAtFrom,
          createdTransactionsLink: `/v2/transactions?accountId=${accountId}&createdAtFrom=${createdAtFrom}`,
        }),
      )
    }
    for (const [type, ids] of [
      ['transactions/updated', updated],
      ['transactions/deleted', deleted],
    ] as const) {
      const sorted = [...ids].sort()
      for (let i = 0; i < sorted.length; i += TRANSACTION_IDS_PER_EVENT) {
        events.push(itemEvent(type, item, triggeredBy, scope.at, { accountId, transactionIds: sorted.slice(i, i + TRANSACTION_IDS_PER_EVENT) }))
      }
    }
  }
  return events
}
