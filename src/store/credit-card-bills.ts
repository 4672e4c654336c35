import type { BillFinanceCharge, BillPayment } from '../connectors/sdk/index.ts'
import type { Queryable } from './database.ts'
import { parentLookup, scopedRowsJson, type ItemRows } from './item-scope.ts'

/** A finance charge as stored and served: the collected one with its stable id. */
export type StoredFinanceCharge = Omit<BillFinanceCharge, 'providerId'> & { id: string }
/** A bill payment as stored and served: the collected one with its stable id. */
export type StoredBillPayment = Omit<BillPayment, 'providerId'> & { id: string }

export interface CreditCardBillRow {
  id: string
  itemId: string
  accountId: string
  dueDate: Date
  billClosingDate: Date | null
  totalAmount: number
  totalAmountCurrencyCode: string
  minimumPaymentAmount: number | null
  allowsInstallments: boolean | null
  financeCharges: StoredFinanceCharge[]
  payments: StoredBillPayment[]
  createdAt: Date
  updatedAt: Date
}

/** A bill ready for the store: its account by providerId, dates as instants, element ids assigned. */
export interface CreditCardBillInput {
  accountProviderId: string
  providerId: string
  dueDate: string
  billClosingDate: string | null
  totalAmount: number
  totalAmountCurrencyCode: string
  minimumPaymentAmount: number | null
  allowsInstallments: boolean | null
  financeCharges: StoredFinanceCharge[]
  payments: StoredBillPayment[]
}

const COLUMNS = `
  b.id, b.item_id as "itemId", b.account_id as "accountId", b.due_date as "dueDate", b.closing_date as "billClosingDate",
  b.total_amount::float8 as "totalAmount", b.total_amount_currency_code as "totalAmountCurrencyCode",
  b.minimum_payment_amount::float8 as "minimumPaymentAmount", b.allows_installments as "allowsInstallments",
  b.finance_charges as "financeCharges", b.payments, b.created_at as "createdAt", b.updated_at as "updatedAt"`

/**
 * Inserts or updates the bills of one or more items in one statement, matched per account on the
 * institution's id so that each keeps its id; an unchanged bill is not touched. Bills of accounts
 * the item does not have are left out. Bills are never deleted by a merge: a closed bill is history.
 */
export async function upsertCreditCardBills(db: Queryable, items: readonly ItemRows<CreditCardBillInput>[]): Promise<{ id: string; itemId: string; accountId: string; created: boolean }[]> {
  if (!items.some((i) => i.rows.length > 0)) return []
  const { rows } = await db.query<{ id: string; itemId: string; accountId: string; created: boolean }>(
    `insert into credit_card_bills as t (client_id, item_id, account_id, provider_id, due_date, closing_date, total_amount,
       total_amount_currency_code, minimum_payment_amount, allows_installments, finance_charges, payments, created_at, updated_at)
     select b.client_id, b.item_id, acc.id, b."providerId", b."dueDate", b."billClosingDate", b."totalAmount", b."totalAmountCurrencyCode",
       b."minimumPaymentAmount", b."allowsInstallments", b."financeCharges", b.payments, b.at, b.at
     from jsonb_to_recordset($1::jsonb) as b(item_id uuid, client_id text, at timestamptz, "accountProviderId" text, "providerId" text,
       "dueDate" timestamptz, "billClosingDate" timestamptz, "totalAmount" numeric, "totalAmountCurrencyCode" text,
       "minimumPaymentAmount" numeric, "allowsInstallments" boolean, "financeCharges" jsonb, payments jsonb)
     ${parentLookup('accounts', 'acc', 'b', '"accountProviderId"')}
     on conflict (account_id, provider_id) do update set due_date = excluded.due_date, closing_date = excluded.closing_date,
       total_amount = excluded.total_amount, total_amount_currency_code = excluded.total_amount_currency_code,
       minimum_payment_amount = excluded.minimum_payment_amount, allows_installments = excluded.allows_installments,
       finance_charges = excluded.finance_charges, payments = excluded.payments, updated_at = excluded.updated_at
     where (t.due_date, t.closing_date, t.total_amount, t.total_amount_currency_code, t.minimum_payment_amount,
            t.allows_installments, t.finance_charges, t.payments)
       is distinct from (excluded.due_date, excluded.closing_date, excluded.total_amount, excluded.total_amount_currency_code,
            excluded.minimum_payment_amount, excluded.allows_installments, excluded.finance_charges, excluded.payments)
     returning t.id, t.item_id as "itemId", t.account_id as "accountId", (t.xmax = '0') as created`,
    [scopedRowsJson(items)],
  )
  return rows
}

/**
 * Links stored card transactions to bills created after them: a transaction that named a bill
 * (creditCardMetadata.billId) the merge did not know yet. Returns the transactions linked. They
 * are found through the partial index of such transactions (migration 057), whose condition the
 * statement repeats so that the planner can use it.
 */
export async function linkTransactionsToBills(db: Queryable, billIds: readonly string[]): Promise<{ id: string; itemId: string; accountId: string }[]> {
  if (billIds.length === 0) return []
  const { rows } = await db.query<{ id: string; itemId: string; accountId: string }>(
    `update transactions t set bill_id = b.id, updated_at = b.updated_at
     from credit_card_bills b
     where b.id = any($1::uuid[]) and t.account_id = b.account_id and t.bill_id is null
       and t.credit_card_metadata->>'billId' is not null and t.credit_card_metadata->>'billId' = b.provider_id
     returning t.id, t.item_id as "itemId", t.account_id as "accountId"`,
    [billIds],
  )
  return rows
}

/** A client's bill; another client's is indistinguishable from a missing one. */
export async function findCreditCardBill(db: Queryable, clientId: string, id: string): Promise<CreditCardBillRow | undefined> {
  const { rows } = await db.query<CreditCardBillRow>(`select ${COLUMNS} from credit_card_bills b where b.id = $1 and b.client_id = $2`, [id, clientId])
  return rows[0]
}

/** A page of a credit-card account's bills, newest due date first, with the total. */
export async function listCreditCardBills(db: Queryable, clientId: string, filter: { accountId: string; limit: number; offset: number }): Promise<{ rows: CreditCardBillRow[]; total: number }> {
  // The count rides on a row of its own (left join), so a page past the end still knows the total.
  const { rows } = await db.query<CreditCardBillRow & { total: number }>(
    `select p.*, c.total
     from (select count(*)::int as total from credit_card_bills b where b.account_id = $2 and b.client_id = $1) c
     left join lateral (
       select ${COLUMNS} from credit_card_bills b
       where b.account_id = $2 and b.client_id = $1
       order by b.due_date desc, b.id
       limit $3 offset $4
     ) p on true`,
    [clientId, filter.accountId, filter.limit, filter.offset],
  )
  return { rows: rows.filter((r) => r.id !== null), total: rows[0]?.total ?? 0 }
}
