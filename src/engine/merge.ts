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
  CollectedAccount,
  CollectedIdentity,
  CollectedInvestment,
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
import { findItemAccounts, upsertAccounts } from '../store/accounts.ts'
import type { Queryable } from '../store/database.ts'
import { insertEvents, type NewEvent } from '../store/events.ts'
import { upsertIdentities } from '../store/identity.ts'
import { upsertInvestmentTransactions, upsertInvestments, type InvestmentTransactionInput } from '../store/investments.ts'
import { findItemEventContext } from '../store/item-event-context.ts'
import type { ItemScope } from '../store/item-scope.ts'
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
  type TransactionKey,
  type TransactionMergePlan,
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

/** One item's merge: what its execution collected, and where and when it goes. */
export interface MergeEntry {
  scope: MergeScope
  collected: CollectedData
}

/**
 * Applies the collected data to the stored data. Must run inside a transaction (a large merge
 * creates a temporary table dropped at commit).
 */
export async function mergeCollected(tx: Queryable, scope: MergeScope, collected: CollectedData): Promise<MergeResult> {
  return (await mergeCollectedMany(tx, [{ scope, collected }]))[0]
}

/** What one entry brings to the statements, checked and shaped before any is sent. */
interface PreparedEntry {
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

/**
 * Applies the collected data of several items in the same statements: one statement per kind of
 * data for all of them (a large transaction list adds its batches). Must run inside a
 * transaction; any error fails them all (the caller may then merge each alone to tell which).
 * Entries must be of distinct items. Returns each entry's result, in order.
 */
export async function mergeCollectedMany(tx: Queryable, entries: readonly MergeEntry[]): Promise<MergeResult[]> {
  if (new Set(entries.map((e) => e.scope.itemId)).size !== entries.length) throw new Error('a merge batch holds one entry per item')
  const prepared = entries.map(prepareEntry)
  const byItem = new Map(prepared.map((p) => [p.scope.itemId, p]))
  const of = (itemId: string) => byItem.get(itemId)!

  for (const row of await upsertAccounts(tx, prepared.map((p) => ({ scope: p.at, rows: p.accounts })))) count(of(row.itemId).result.accounts, row)

  // What may be deleted is inside the span of the collected dates: with none collected there is
  // nothing to match, write or delete.
  const withTransactions = prepared.filter((p) => p.transactions !== null && p.transactions.length > 0)
  if (withTransactions.length > 0) await mergeTransactionsOf(tx, withTransactions, of)
  const paymentOnly = prepared.filter((p) => p.transactions === null && p.paymentData !== null && p.paymentData.size > 0)
  const paymentRows = paymentOnly.map((p) => ({
    scope: p.at,
    rows: [...p.paymentData!].map(([providerId, data]) => ({ providerId, paymentData: data, paymentHash: hashText(canonicalJson(data)) })),
  }))
  // Payment data collected without transactions: it still belongs on the stored ones.
  for (const row of await applyPaymentData(tx, paymentRows)) changesOf(of(row.itemId), row.accountId).updated.push(row.id)

  for (const row of await upsertInvestments(tx, prepared.filter((p) => p.investments).map((p) => ({ scope: p.at, rows: p.investments! })))) {
    count(of(row.itemId).result.investments, row)
  }
  for (const row of await upsertInvestmentTransactions(tx, prepared.filter((p) => p.movements).map((p) => ({ scope: p.at, rows: p.movements! })))) {
    count(of(row.itemId).result.investmentTransactions, row)
  }
  for (const row of await upsertIdentities(tx, prepared.filter((p) => p.identity).map((p) => ({ scope: p.at, identity: p.identity! })))) {
    of(row.itemId).result.identity = row.created ? 'created' : 'updated'
  }
  for (const row of await replaceOpportunities(tx, prepared.filter((p) => p.opportunities).map((p) => ({ scope: p.at, rows: p.opportunities! })))) {
    of(row.itemId).result.opportunities[row.change]++
  }

  for (const entry of prepared) {
    for (const change of entry.changes.values()) {
      entry.result.transactions.created += change.created.length
      entry.result.transactions.updated += change.updated.length
      entry.result.transactions.deleted += change.deleted.length
    }
    entry.result.events = await transactionEvents(tx, entry.scope, entry.changes)
  }
  await insertEvents(tx, prepared.flatMap((p) => p.result.events))
  return prepared.map((p) => p.result)
}

/** Checks what an entry collected and shapes it for the statements; a connector's malformed data fails here (→ MERGE_ERROR). */
function prepareEntry({ scope, collected }: MergeEntry): PreparedEntry {
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

function changesOf(entry: PreparedEntry, accountId: string): { created: string[]; updated: string[]; deleted: string[] } {
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

function count(into: { created: number; updated: number }, row: { created: boolean }): void {
  into[row.created ? 'created' : 'updated']++
}

/**
 * Lets the store plan the merge of the entries' transactions from their keys and hashes (and
 * delete what disappeared), then sends the content of the new and changed transactions only. An
 * item with no stored transaction yet (its first sync, usually its largest) has nothing to match
 * or delete: its transactions are written without a plan.
 */
async function mergeTransactionsOf(tx: Queryable, entries: readonly PreparedEntry[], of: (itemId: string) => PreparedEntry): Promise<void> {
  const accounts = await findItemAccounts(tx, entries.map((e) => e.scope.itemId))
  const accountIdOf = new Map(accounts.map((a) => [`${a.itemId}\u0000${a.providerId}`, a.id]))
  const planned = new Set(accounts.filter((a) => a.hasTransactions).map((a) => a.itemId))
  const keys: TransactionKey[] = []
  const rows = new Map<number, Omit<TransactionWrite, 'accountId'>>()
  const writes: TransactionMergePlan['writes'] = []
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
  const toPlan = keys.filter((k) => planned.has(k.itemId))
  for (const k of keys) {
    if (planned.has(k.itemId)) continue
    // The plan's join would resolve the account the same way; the merge stored every collected one.
    const accountId = accountIdOf.get(`${k.itemId}\u0000${k.accountProviderId}`)
    if (accountId) writes.push({ ord: k.ord, accountId })
  }
  if (toPlan.length > 0) {
    const plan = await planTransactionMergeOf(tx, toPlan)
    for (const { itemId, accountId, ids } of plan.deleted) changesOf(of(itemId), accountId).deleted.push(...ids)
    writes.push(...plan.writes)
  }
  if (writes.length === 0) return

  // New rows take their cursor position (seq) in date order.
  writes.sort((a, b) => {
    const da = keys[a.ord].date
    const db = keys[b.ord].date
    return da < db ? -1 : da > db ? 1 : a.ord - b.ord
  })
  const scopes = new Map<string, { accountId: string; itemId: string; clientId: string; at: Date }>()
  for (const { ord, accountId } of writes) {
    if (!scopes.has(accountId)) scopes.set(accountId, { accountId, ...of(keys[ord].itemId).at })
  }
  // Payment data is written or kept per item; one statement per choice present.
  for (const keepPaymentData of [false, true]) {
    const group = writes.filter(({ ord }) => keys[ord].keepPaymentData === keepPaymentData)
    if (group.length === 0) continue
    const groupAccounts = [...new Set(group.map((w) => w.accountId))].map((id) => scopes.get(id)!)
    for (const batch of transactionWriteBatches(group.map(({ ord, accountId }) => ({ accountId, ...rows.get(ord)! })))) {
      for (const written of await upsertTransactions(tx, groupAccounts, batch, { keepPaymentData })) {
        changesOf(of(written.itemId), written.accountId)[written.created ? 'created' : 'updated'].push(...written.ids)
      }
    }
  }
}

/**
 * Plans with the keys sent along; more than fit in one message are staged first (a temporary
 * table costs more than the plan itself: catalog rows written, then dropped at commit).
 */
async function planTransactionMergeOf(tx: Queryable, keys: readonly TransactionKey[]): Promise<TransactionMergePlan> {
  if (keys.length <= KEYS_PER_BATCH) return planTransactionMerge(tx, keys)
  await createTransactionStage(tx)
  for (let i = 0; i < keys.length; i += KEYS_PER_BATCH) await stageTransactionKeys(tx, keys.slice(i, i + KEYS_PER_BATCH))
  await analyzeTransactionStage(tx)
  return planTransactionMerge(tx, 'staged')
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
