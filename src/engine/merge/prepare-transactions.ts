/**
 * The pure half of the transaction merge: each collected transaction's identity, category and
 * content hashes, shaped for the store's statements. No database, no clock.
 */
import { createHash } from 'node:crypto'
import type { CollectedAccount, CollectedTransaction, PaymentData } from '../../connectors/sdk/index.ts'
import { canonicalJson } from '../../domain/canonical-json.ts'
import { findCategory, findCategoryByDescription } from '../../domain/categories.ts'
import { categorize } from '../../domain/categorizer.ts'
import { transactionIdentities } from '../../domain/transaction-identity.ts'
import { transactionContentJson, type TransactionKey, type TransactionWrite } from '../../store/transaction-merge.ts'
import { isoDate } from './iso-date.ts'

/** What the transaction preparation reads of a prepared entry. */
export interface TransactionSource {
  itemId: string
  /** Transactions of accounts stored by this merge. */
  transactions: readonly CollectedTransaction[]
  accounts: ReadonlyMap<string, Pick<CollectedAccount, 'type' | 'taxNumber'>>
  /** The PAYMENT_DATA step's data by transaction providerId; null when it was not collected. */
  paymentData: ReadonlyMap<string, PaymentData> | null
}

/**
 * The match keys, fingerprints and content hashes of the sources' transactions — what the store
 * plans the merge with — and each one's row to write, by its position (`ord`). A transaction the
 * institution listed twice (e.g. across pages) is kept once. Each gets its category here (see
 * {@link categoryOf}), which is part of its content.
 */
export function transactionKeysOf(sources: readonly TransactionSource[]): { keys: TransactionKey[]; rows: Map<number, Omit<TransactionWrite, 'accountId'>> } {
  const keys: TransactionKey[] = []
  const rows = new Map<number, Omit<TransactionWrite, 'accountId'>>()
  for (const source of sources) {
    const collected = source.transactions
    const keepPaymentData = source.paymentData === null
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
      const payment = source.paymentData ? paymentDataOf(t, source.paymentData) : undefined
      // Only what came with the transaction decides its category: payment data of a PAYMENT_DATA
      // step that failed this time must not flip it back and forth between executions.
      const category = categoryOf(t, source.accounts.get(t.accountProviderId), t.paymentData ?? undefined)
      const contentJson = transactionContentJson({ ...t, date, category: category.description, categoryId: category.id })
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
      keys.push({ ord, itemId: source.itemId, keepPaymentData, accountProviderId: t.accountProviderId, matchKey, fingerprint, date, contentHash: row.contentHash, paymentHash: row.paymentHash })
    }
  }
  return { keys, rows }
}

/**
 * A transaction's category: the connector's when it gives an id (its description from the tree),
 * or a description that names one of the tree's categories; else the categorizer's.
 */
export function categoryOf(t: CollectedTransaction, account: Pick<CollectedAccount, 'type' | 'taxNumber'> | undefined, payment: PaymentData | undefined): { id: string; description: string | null } {
  if (t.categoryId) return { id: t.categoryId, description: findCategory(t.categoryId)?.description ?? t.category ?? null }
  const named = t.category ? findCategoryByDescription(t.category) : undefined
  if (named) return named
  const counterpart = t.type === 'DEBIT' ? payment?.receiver : payment?.payer
  const input = {
    description: t.description,
    descriptionRaw: t.descriptionRaw,
    type: t.type,
    accountType: account?.type ?? 'BANK',
    merchant: t.merchant,
    mcc: t.creditCardMetadata?.payeeMCC,
    feeType: t.creditCardMetadata?.feeType,
    paymentMethod: payment?.paymentMethod,
    operationType: t.operationType,
    counterpartDocument: digits(counterpart?.documentNumber?.value),
    holderDocument: digits(account?.taxNumber),
  }
  // Many transactions share all of this (a merchant, a kind of transfer): decide each once.
  const key = JSON.stringify(input)
  let decided = categories.get(key)
  if (!decided) {
    if (categories.size > 20_000) categories.clear()
    const { category } = categorize(input)
    categories.set(key, (decided = { id: category.id, description: category.description }))
  }
  return decided
}
const categories = new Map<string, { id: string; description: string }>()

function digits(value: string | null | undefined): string | null {
  return value ? value.replace(/\D/g, '') || null : null
}

/** The PAYMENT_DATA step's data for a transaction, else what came with the transaction. */
function paymentDataOf(t: CollectedTransaction, byProviderId: ReadonlyMap<string, PaymentData>): PaymentData | undefined {
  return (t.providerId ? byProviderId.get(t.providerId) : undefined) ?? t.paymentData ?? undefined
}

/** A short digest of a canonical JSON text, to tell whether stored data changed. */
export function hashText(text: string): string {
  return createHash('sha1').update(text).digest('base64url')
}
