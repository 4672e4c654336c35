import type { CreditCardMetadata, Merchant, PaymentData } from '../connectors/sdk/index.ts'
import type { Queryable } from './database.ts'

export interface TransactionRow {
  id: string
  seq: number
  accountId: string
  itemId: string
  providerId: string | null
  date: Date
  description: string
  descriptionRaw: string | null
  currencyCode: string
  amount: number
  amountInAccountCurrency: number | null
  balance: number | null
  /** The user's choice (PATCH /transactions/{id}) when there is one, else the automatic category. */
  category: string | null
  categoryId: string | null
  providerCode: string | null
  status: string
  type: string
  operationType: string | null
  operationTypeAdditionalInfo: string | null
  paymentData: PaymentData | null
  /** With `billId` the bill's Tributary id (absent when the bill is not stored). */
  creditCardMetadata: CreditCardMetadata | null
  /** The bill the transaction was charged on, if stored. */
  billId: string | null
  merchant: Merchant | null
  createdAt: Date
  updatedAt: Date
}

// The category a user chose wins over the automatic one; a card transaction's billId is the
// bill's Tributary id, or left out when its bill is not stored (never an id nobody can read).
const COLUMNS = `
  t.id, t.seq, t.account_id as "accountId", t.item_id as "itemId", t.provider_id as "providerId", t.date,
  t.description, t.description_raw as "descriptionRaw", t.currency_code as "currencyCode", t.amount::float8 as amount,
  t.amount_in_account_currency::float8 as "amountInAccountCurrency", t.balance::float8 as balance,
  case when t.user_category_id is null then t.category else t.user_category end as category,
  coalesce(t.user_category_id, t.category_id) as "categoryId", t.provider_code as "providerCode", t.status, t.type,
  t.operation_type as "operationType", t.operation_type_additional_info as "operationTypeAdditionalInfo",
  t.payment_data as "paymentData",
  case when t.bill_id is null then t.credit_card_metadata - 'billId'
       else jsonb_set(t.credit_card_metadata, '{billId}', to_jsonb(t.bill_id::text)) end as "creditCardMetadata",
  t.bill_id as "billId", t.merchant, t.created_at as "createdAt", t.updated_at as "updatedAt"`

/** A client's transaction; another client's is indistinguishable from a missing one. */
export async function findTransaction(db: Queryable, clientId: string, id: string): Promise<TransactionRow | undefined> {
  const { rows } = await db.query<TransactionRow>(`select ${COLUMNS} from transactions t where t.id = $1 and t.client_id = $2`, [id, clientId])
  return rows[0]
}

/** Which of an account's transactions a list reads. Absent (or null) filters do not filter. */
export interface TransactionFilter {
  accountId: string
  /** Inclusive. */
  from?: Date | null
  /** Exclusive (the route turns a `to` day into the start of the next day). */
  to?: Date | null
  /** Only these transactions (UUIDs). The reference ignores the other filters when ids are given: the route passes none then. */
  ids?: readonly string[] | null
  /** Only the transactions charged on this bill (a Tributary bill id). */
  billId?: string | null
  /** Only the transactions first stored at or after this instant. */
  createdAtFrom?: Date | null
}

const FILTER = `t.account_id = $1 and t.client_id = $2
  and ($3::timestamptz is null or t.date >= $3) and ($4::timestamptz is null or t.date < $4)
  and ($5::uuid[] is null or t.id = any($5::uuid[])) and ($6::uuid is null or t.bill_id = $6)
  and ($9::timestamptz is null or t.created_at >= $9)`

function filterParameters(clientId: string, filter: TransactionFilter): unknown[] {
  return [filter.accountId, clientId, filter.from ?? null, filter.to ?? null, filter.ids ?? null, filter.billId ?? null]
}

/** A page of an account's transactions, newest first, with the total. */
export async function listTransactions(db: Queryable, clientId: string, filter: TransactionFilter & { limit: number; offset: number }): Promise<{ rows: TransactionRow[]; total: number }> {
  // The count rides on a row of its own (left join), so a page past the end still knows the total.
  const { rows } = await db.query<TransactionRow & { total: number }>(
    `select p.*, c.total
     from (select count(*)::int as total from transactions t where ${FILTER}) c
     left join lateral (
       select ${COLUMNS} from transactions t
       where ${FILTER}
       order by t.date desc, t.seq desc
       limit $7 offset $8
     ) p on true`,
    [...filterParameters(clientId, filter), filter.limit, filter.offset, filter.createdAtFrom ?? null],
  )
  return { rows: rows.filter((r) => r.id !== null), total: rows[0]?.total ?? 0 }
}

/**
 * Up to `limit` of an account's transactions after the cursor position `afterSeq`, in seq order
 * (keyset pagination): rows a merge updates keep their seq and rows it inserts come after every
 * existing one, so a walk neither repeats nor skips a transaction when data changes between pages.
 */
export async function listTransactionsAfter(
  db: Queryable,
  clientId: string,
  filter: {
    accountId: string
    afterSeq: number
    dateFrom: Date | null
    dateTo: Date | null
    createdAtFrom: Date | null
    /** Only these transactions (UUIDs, at most 500 by the reference's rule). */
    ids?: readonly string[] | null
    limit: number
  },
): Promise<TransactionRow[]> {
  const { rows } = await db.query<TransactionRow>(
    `select ${COLUMNS} from transactions t
     where t.account_id = $1 and t.client_id = $2 and t.seq > $3
       and ($4::timestamptz is null or t.date >= $4) and ($5::timestamptz is null or t.date < $5)
       and ($6::timestamptz is null or t.created_at >= $6) and ($8::uuid[] is null or t.id = any($8::uuid[]))
     order by t.seq
     limit $7`,
    [filter.accountId, clientId, filter.afterSeq, filter.dateFrom, filter.dateTo, filter.createdAtFrom, filter.limit, filter.ids ?? null],
  )
  return rows
}

/**
 * Records the category a user chose for one of the client's transactions (null: back to the
 * automatic one). Kept apart from the automatic category, which merges keep up to date without
 * ever touching this choice. Returns the transaction as it now reads, or undefined when the
 * client has no such transaction. The caller checks that the category is one of the tree's.
 */
export async function setTransactionCategory(db: Queryable, clientId: string, id: string, category: { id: string; description: string } | null, at: Date): Promise<TransactionRow | undefined> {
  const { rows } = await db.query<TransactionRow>(
    `update transactions t set user_category_id = $3, user_category = $4, updated_at = $5
     where t.id = $1 and t.client_id = $2
     returning ${COLUMNS}`,
    [id, clientId, category?.id ?? null, category?.description ?? null, at],
  )
  return rows[0]
}
