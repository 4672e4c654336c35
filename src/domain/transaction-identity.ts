/**
 * How a collected transaction is recognised again in a later execution (SPEC §2.8).
 *
 * Terminology:
 * - match key: a transaction's identity within its account. `p:<providerId>` when the connector
 *   gives the institution's id — it survives any change of content, PENDING → POSTED included.
 *   Otherwise `f:<UTC day>|<fingerprint>#<n>`, where n counts identical transactions on that day
 *   (two equal coffees on one day are two transactions, not one).
 * - fingerprint: amount and normalised description. The day is kept out of it so that the merge
 *   can match a fingerprint transaction whose date moved by up to {@link FINGERPRINT_DAY_TOLERANCE}
 *   days (a pending card purchase that posts a day or two later): the store pairs such leftovers
 *   by fingerprint, in date order, when no exact key matched.
 */

/** How many days a transaction without providerId may move and still be the same transaction. */
export const FINGERPRINT_DAY_TOLERANCE = 3

export interface TransactionIdentity {
  matchKey: string
  /** Null when the key is the providerId. */
  fingerprint: string | null
}

/** The UTC day (`YYYY-MM-DD`) of a date string; a date-only string is that day. */
export function utcDay(date: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(date)) return date
  const time = Date.parse(date)
  if (Number.isNaN(time)) throw new Error(`not a date: ${JSON.stringify(date)}`)
  return new Date(time).toISOString().slice(0, 10)
}

/** Case, accents' composition and runs of spaces do not make two descriptions different. */
export function normaliseDescription(description: string): string {
  return description.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase()
}

/**
 * Match keys of an execution's transactions, in their order. `accountOf` names the account a
 * transaction belongs to (identical fingerprints are counted per account and day).
 */
export function transactionIdentities<T extends { providerId?: string | null; date: string; amount: number; description: string }>(
  transactions: readonly T[],
  accountOf: (transaction: T) => string,
): TransactionIdentity[] {
  const seen = new Map<string, number>()
  return transactions.map((tx) => {
    if (tx.providerId) return { matchKey: `p:${tx.providerId}`, fingerprint: null }
    const fingerprint = `${String(tx.amount)}|${normaliseDescription(tx.description)}`
    const dayKey = `${utcDay(tx.date)}|${fingerprint}`
    const counter = `${accountOf(tx)}\u0000${dayKey}`
    const n = (seen.get(counter) ?? 0) + 1
    seen.set(counter, n)
    return { matchKey: `f:${dayKey}#${n}`, fingerprint }
  })
}
