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
import { canonicalJson } from '../domain/canonical-json.ts'
import { upsertAccountStatements } from '../store/account-statements.ts'
import { findItemAccounts, upsertAccounts } from '../store/accounts.ts'
import { linkTransactionsToBills, upsertCreditCardBills } from '../store/credit-card-bills.ts'
import type { Queryable } from '../store/database.ts'
import { insertEvents } from '../store/events.ts'
import { upsertIdentities } from '../store/identity.ts'
import { upsertInvestmentTransactions, upsertInvestments } from '../store/investments.ts'
import { upsertLoans } from '../store/loans.ts'
import { replaceOpportunities } from '../store/opportunities.ts'
import { applyPaymentData } from '../store/payment-data.ts'
import {
  STAGE_BATCH_BYTES,
  analyzeTransactionStage,
  createTransactionStage,
  planTransactionMerge,
  stageTransactionKeys,
  transactionWriteBatches,
  upsertTransactions,
  type TransactionKey,
  type TransactionMergePlan,
} from '../store/transaction-merge.ts'
import type { CollectedData, MergeEntry, MergeResult, MergeScope } from './merge/merge-types.ts'
import { changesOf, hashText, prepareEntry, transactionKeysOf, type PreparedEntry } from './merge/prepare.ts'
import { transactionEvents } from './merge/transaction-events.ts'

export type { CollectedData, MergeEntry, MergeResult, MergeScope } from './merge/merge-types.ts'
export { TRANSACTION_IDS_PER_EVENT } from './merge/transaction-events.ts'

/** Content-hash batches of keys: ~200 bytes a row, so this many keep a message near 1 MB. */
const KEYS_PER_BATCH = Math.floor(STAGE_BATCH_BYTES / 200)

/**
 * Applies the collected data to the stored data. Must run inside a transaction (a large merge
 * creates a temporary table dropped at commit).
 */
export async function mergeCollected(tx: Queryable, scope: MergeScope, collected: CollectedData): Promise<MergeResult> {
  return (await mergeCollectedMany(tx, [{ scope, collected }]))[0]
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

  for (const row of await upsertAccounts(
    tx,
    prepared.map((p) => ({ scope: p.at, rows: p.accounts })),
  ))
    count(of(row.itemId).result.accounts, row)
  // Bills before transactions: a card transaction's bill is resolved as it is written.
  const bills = await upsertCreditCardBills(
    tx,
    prepared.filter((p) => p.bills).map((p) => ({ scope: p.at, rows: p.bills! })),
  )
  for (const row of bills) count(of(row.itemId).result.bills, row)
  // Stored transactions that named a bill the store did not have yet now link to it.
  for (const row of await linkTransactionsToBills(
    tx,
    bills.filter((b) => b.created).map((b) => b.id),
  ))
    changesOf(of(row.itemId), row.accountId).updated.push(row.id)

  // What may be deleted is inside the span of the collected dates: with none collected there is
  // nothing to match, write or delete.
  const withTransactions = prepared.filter((p) => p.transactions !== null && p.transactions.transactions.length > 0)
  if (withTransactions.length > 0) await mergeTransactionsOf(tx, withTransactions, of)
  const paymentOnly = prepared.filter((p) => p.transactions === null && p.paymentData !== null && p.paymentData.size > 0)
  const paymentRows = paymentOnly.map((p) => ({
    scope: p.at,
    rows: [...p.paymentData!].map(([providerId, data]) => ({ providerId, paymentData: data, paymentHash: hashText(canonicalJson(data)) })),
  }))
  // Payment data collected without transactions: it still belongs on the stored ones.
  for (const row of await applyPaymentData(tx, paymentRows)) changesOf(of(row.itemId), row.accountId).updated.push(row.id)

  for (const row of await upsertInvestments(
    tx,
    prepared.filter((p) => p.investments).map((p) => ({ scope: p.at, rows: p.investments! })),
  )) {
    count(of(row.itemId).result.investments, row)
  }
  for (const row of await upsertInvestmentTransactions(
    tx,
    prepared.filter((p) => p.movements).map((p) => ({ scope: p.at, rows: p.movements! })),
  )) {
    count(of(row.itemId).result.investmentTransactions, row)
  }
  for (const row of await upsertIdentities(
    tx,
    prepared.filter((p) => p.identity).map((p) => ({ scope: p.at, identity: p.identity! })),
  )) {
    of(row.itemId).result.identity = row.created ? 'created' : 'updated'
  }
  for (const row of await replaceOpportunities(
    tx,
    prepared.filter((p) => p.opportunities).map((p) => ({ scope: p.at, rows: p.opportunities! })),
  )) {
    of(row.itemId).result.opportunities[row.change]++
  }
  for (const row of await upsertLoans(
    tx,
    prepared.filter((p) => p.loans).map((p) => ({ scope: p.at, rows: p.loans! })),
  ))
    count(of(row.itemId).result.loans, row)
  for (const row of await upsertAccountStatements(
    tx,
    prepared.filter((p) => p.statements).map((p) => ({ scope: p.at, rows: p.statements! })),
  )) {
    count(of(row.itemId).result.accountStatements, row)
  }

  for (const entry of prepared) {
    for (const change of entry.changes.values()) {
      // A transaction linked to a new bill and changed by the same merge is one update; a new one is not an update.
      const created = new Set(change.created)
      change.updated = [...new Set(change.updated)].filter((id) => !created.has(id))
      entry.result.transactions.created += change.created.length
      entry.result.transactions.updated += change.updated.length
      entry.result.transactions.deleted += change.deleted.length
    }
    entry.result.events = await transactionEvents(tx, entry.scope, entry.changes)
  }
  await insertEvents(
    tx,
    prepared.flatMap((p) => p.result.events),
  )
  return prepared.map((p) => p.result)
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
  const accounts = await findItemAccounts(
    tx,
    entries.map((e) => e.scope.itemId),
  )
  const accountIdOf = new Map(accounts.map((a) => [`${a.itemId}\u0000${a.providerId}`, a.id]))
  const planned = new Set(accounts.filter((a) => a.hasTransactions).map((a) => a.itemId))
  const { keys, rows } = transactionKeysOf(entries.map((e) => e.transactions!))
  const writes: TransactionMergePlan['writes'] = []
  const toPlan = keys.filter((k) => planned.has(k.itemId))
  for (const k of keys) {
    if (planned.has(k.itemId)) continue
    // The plan's join would resolve the account the same way; the merge stored every collected one.
    const accountId = accountIdOf.get(`${k.itemId}\u0000${k.accountProviderId}`)
    if (accountId) writes.push({ ord: k.ord, accountId })
  }
  if (toPlan.length > 0) {
    // The entries of one merge are collected together: the latest of their times bounds the window.
    const collectedAt = new Date(Math.max(...entries.map((e) => e.at.at.getTime())))
    const plan = await planTransactionMergeOf(tx, toPlan, collectedAt)
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
async function planTransactionMergeOf(tx: Queryable, keys: readonly TransactionKey[], collectedAt: Date): Promise<TransactionMergePlan> {
  if (keys.length <= KEYS_PER_BATCH) return planTransactionMerge(tx, keys, collectedAt)
  await createTransactionStage(tx)
  for (let i = 0; i < keys.length; i += KEYS_PER_BATCH) await stageTransactionKeys(tx, keys.slice(i, i + KEYS_PER_BATCH))
  await analyzeTransactionStage(tx)
  return planTransactionMerge(tx, 'staged', collectedAt)
}
