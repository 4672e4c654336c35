import type { BankData, CollectedAccount, CreditData } from '../connectors/sdk/index.ts'
import type { Queryable } from './database.ts'
import { scopedRowsJson, type ItemRows } from './item-scope.ts'

export interface AccountRow {
  id: string
  itemId: string
  providerId: string
  type: 'BANK' | 'CREDIT'
  subtype: string
  number: string
  name: string
  marketingName: string | null
  balance: number
  currencyCode: string
  owner: string | null
  taxNumber: string | null
  bankData: BankData | null
  creditData: CreditData | null
  createdAt: Date
  updatedAt: Date
}

/** What an upsert did to one row: inserted (`created`) or changed. Unchanged rows are not listed. */
export interface UpsertedRow {
  id: string
  itemId: string
  providerId: string
  created: boolean
}

const COLUMNS = `
  a.id, a.item_id as "itemId", a.provider_id as "providerId", a.type, a.subtype, a.number, a.name,
  a.marketing_name as "marketingName", a.balance::float8 as balance, a.currency_code as "currencyCode", a.owner,
  a.tax_number as "taxNumber", a.bank_data as "bankData", a.credit_data as "creditData",
  a.created_at as "createdAt", a.updated_at as "updatedAt"`

/**
 * Inserts or updates the accounts of one or more items in one statement, matched on the
 * institution's id so that each keeps its id across executions. A row whose data did not change
 * is not touched (its updatedAt stays). Two accounts of an item with one providerId fail the
 * statement (→ MERGE_ERROR).
 */
export async function upsertAccounts(db: Queryable, items: readonly ItemRows<CollectedAccount>[]): Promise<UpsertedRow[]> {
  if (!items.some((i) => i.rows.length > 0)) return []
  const { rows } = await db.query<UpsertedRow>(
    `insert into accounts as t (item_id, client_id, provider_id, type, subtype, number, name, marketing_name, balance,
       currency_code, owner, tax_number, bank_data, credit_data, created_at, updated_at)
     select a.item_id, a.client_id, a."providerId", a.type, a.subtype, a.number, a.name, a."marketingName", a.balance,
       a."currencyCode", a.owner, a."taxNumber", a."bankData", a."creditData", a.at, a.at
     from jsonb_to_recordset($1::jsonb) as a(item_id uuid, client_id text, at timestamptz, "providerId" text, type text, subtype text, number text, name text,
       "marketingName" text, balance numeric, "currencyCode" text, owner text, "taxNumber" text, "bankData" jsonb, "creditData" jsonb)
     on conflict (item_id, provider_id) do update set type = excluded.type, subtype = excluded.subtype,
       number = excluded.number, name = excluded.name, marketing_name = excluded.marketing_name,
       balance = excluded.balance, currency_code = excluded.currency_code, owner = excluded.owner,
       tax_number = excluded.tax_number, bank_data = excluded.bank_data, credit_data = excluded.credit_data,
       updated_at = excluded.updated_at
     where (t.type, t.subtype, t.number, t.name, t.marketing_name, t.balance, t.currency_code, t.owner, t.tax_number,
            t.bank_data, t.credit_data)
       is distinct from (excluded.type, excluded.subtype, excluded.number, excluded.name, excluded.marketing_name,
            excluded.balance, excluded.currency_code, excluded.owner, excluded.tax_number, excluded.bank_data, excluded.credit_data)
     returning t.id, t.item_id as "itemId", t.provider_id as "providerId", (t.xmax = '0') as created`,
    [scopedRowsJson(items)],
  )
  return rows
}

/**
 * The accounts of the items, each with whether it has any stored transaction (for the merge).
 * That is one index probe per account (LIMIT 1 in a lateral subquery): as EXISTS, a plan made
 * while the table was small hashed the whole transactions table, and a prepared statement kept
 * that plan as the table grew. The accounts are looked up item by item for the same reason
 * (`offset 0` keeps the planner from turning the lookup into a join, which read all of `accounts`
 * for a merge of a few dozen items).
 */
export async function findItemAccounts(db: Queryable, itemIds: string[]): Promise<{ id: string; itemId: string; providerId: string; hasTransactions: boolean }[]> {
  const { rows } = await db.query<{ id: string; itemId: string; providerId: string; hasTransactions: boolean }>(
    `select a.id, a.item_id as "itemId", a.provider_id as "providerId", t.account_id is not null as "hasTransactions"
     from unnest($1::uuid[]) as i(id)
     cross join lateral (select a.id, a.item_id, a.provider_id from accounts a where a.item_id = i.id offset 0) a
     left join lateral (select t.account_id from transactions t where t.account_id = a.id limit 1) t on true`,
    [itemIds],
  )
  return rows
}

/** A client's account; another client's is indistinguishable from a missing one. */
export async function findAccount(db: Queryable, clientId: string, id: string): Promise<AccountRow | undefined> {
  const { rows } = await db.query<AccountRow>(`select ${COLUMNS} from accounts a where a.id = $1 and a.client_id = $2`, [id, clientId])
  return rows[0]
}

/** A page of an item's accounts (bank accounts first, then credit cards), with the total. */
export async function listAccounts(
  db: Queryable,
  clientId: string,
  filter: { itemId: string; type: 'BANK' | 'CREDIT' | null; limit: number; offset: number },
): Promise<{ rows: AccountRow[]; total: number }> {
  // The count rides on a row of its own (left join), so a page past the end still knows the total.
  const { rows } = await db.query<AccountRow & { total: number }>(
    `select p.*, c.total
     from (select count(*)::int as total from accounts a
           where a.client_id = $1 and a.item_id = $2 and ($3::text is null or a.type = $3)) c
     left join lateral (
       select ${COLUMNS} from accounts a
       where a.client_id = $1 and a.item_id = $2 and ($3::text is null or a.type = $3)
       order by a.type, a.created_at, a.provider_id
       limit $4 offset $5
     ) p on true`,
    [clientId, filter.itemId, filter.type, filter.limit, filter.offset],
  )
  return { rows: rows.filter((r) => r.id !== null), total: rows[0]?.total ?? 0 }
}
