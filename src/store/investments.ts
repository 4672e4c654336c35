import type { CollectedInvestment, InvestmentExpenses, InvestmentInstitution, InvestmentMetadata } from '../connectors/sdk/index.ts'
import type { UpsertedRow } from './accounts.ts'
import type { Queryable } from './database.ts'
import { parentLookup, scopedRowsJson, type ItemRows } from './item-scope.ts'

export interface InvestmentRow {
  id: string
  itemId: string
  code: string | null
  isin: string | null
  name: string
  type: string
  subtype: string | null
  balance: number
  amount: number | null
  quantity: number | null
  value: number | null
  currencyCode: string
  date: Date | null
  dueDate: Date | null
  issuer: string | null
  rate: number | null
  rateType: string | null
  status: string | null
  number: string | null
  issuerCNPJ: string | null
  amountOriginal: number | null
  amountProfit: number | null
  amountWithdrawal: number | null
  taxes: number | null
  taxes2: number | null
  issueDate: Date | null
  purchaseDate: Date | null
  fixedAnnualRate: number | null
  lastMonthRate: number | null
  annualRate: number | null
  lastTwelveMonthsRate: number | null
  owner: string | null
  institution: InvestmentInstitution | null
  metadata: InvestmentMetadata | null
  createdAt: Date
  updatedAt: Date
}

export interface InvestmentTransactionRow {
  id: string
  investmentId: string
  type: string
  movementType: string | null
  quantity: number | null
  value: number | null
  amount: number
  netAmount: number | null
  date: Date
  tradeDate: Date | null
  description: string | null
  brokerageNumber: string | null
  expenses: InvestmentExpenses | null
  agreedRate: number | null
  createdAt: Date
  updatedAt: Date
}

/** An investment movement ready for the store: its position by providerId, its identity computed. */
export interface InvestmentTransactionInput {
  investmentProviderId: string
  matchKey: string
  providerId: string | null
  type: string | null
  movementType: string | null
  quantity: number | null
  value: number | null
  amount: number
  netAmount: number | null
  date: string
  tradeDate: string | null
  description: string | null
  brokerageNumber: string | null
  expenses: InvestmentExpenses | null
  agreedRate: number | null
}

const COLUMNS = `
  i.id, i.item_id as "itemId", i.code, i.isin, i.name, i.type, i.subtype, i.balance::float8 as balance,
  i.amount::float8 as amount, i.quantity::float8 as quantity, i.value::float8 as value, i.currency_code as "currencyCode",
  i.date, i.due_date as "dueDate", i.issuer, i.rate::float8 as rate, i.rate_type as "rateType", i.status,
  i.number, i.issuer_cnpj as "issuerCNPJ", i.amount_original::float8 as "amountOriginal", i.amount_profit::float8 as "amountProfit",
  i.amount_withdrawal::float8 as "amountWithdrawal", i.taxes::float8 as taxes, i.taxes2::float8 as taxes2,
  i.issue_date as "issueDate", i.purchase_date as "purchaseDate", i.fixed_annual_rate::float8 as "fixedAnnualRate",
  i.last_month_rate::float8 as "lastMonthRate", i.annual_rate::float8 as "annualRate",
  i.last_twelve_months_rate::float8 as "lastTwelveMonthsRate", i.owner, i.institution, i.metadata,
  i.created_at as "createdAt", i.updated_at as "updatedAt"`

const MOVEMENT_COLUMNS = `
  m.id, m.investment_id as "investmentId", m.type, m.movement_type as "movementType", m.quantity::float8 as quantity,
  m.value::float8 as value, m.amount::float8 as amount, m.net_amount::float8 as "netAmount", m.date,
  m.trade_date as "tradeDate", m.description, m.brokerage_number as "brokerageNumber", m.expenses,
  m.agreed_rate::float8 as "agreedRate", m.created_at as "createdAt", m.updated_at as "updatedAt"`

/**
 * Inserts or updates the investment positions of one or more items in one statement, matched on
 * the institution's id so that each keeps its id; unchanged rows are not touched. Positions the
 * institution stops reporting are kept as last seen (a closed position usually comes back as
 * TOTAL_WITHDRAWAL first).
 */
export async function upsertInvestments(db: Queryable, items: readonly ItemRows<CollectedInvestment>[]): Promise<UpsertedRow[]> {
  if (!items.some((i) => i.rows.length > 0)) return []
  const { rows } = await db.query<UpsertedRow>(
    `insert into investments as t (item_id, client_id, provider_id, code, isin, number, name, type, subtype, balance, amount,
       amount_original, amount_profit, amount_withdrawal, taxes, taxes2, quantity, value, currency_code, date, due_date,
       issue_date, purchase_date, issuer, issuer_cnpj, rate, rate_type, fixed_annual_rate, last_month_rate, annual_rate,
       last_twelve_months_rate, status, owner, institution, metadata, created_at, updated_at)
     select i.item_id, i.client_id, i."providerId", i.code, i.isin, i.number, i.name, i.type, i.subtype, i.balance, i.amount,
       i."amountOriginal", i."amountProfit", i."amountWithdrawal", i.taxes, i.taxes2, i.quantity, i.value, i."currencyCode",
       i.date, i."dueDate", i."issueDate", i."purchaseDate", i.issuer, i."issuerCNPJ", i.rate, i."rateType", i."fixedAnnualRate",
       i."lastMonthRate", i."annualRate", i."lastTwelveMonthsRate", i.status, i.owner, i.institution, i.metadata, i.at, i.at
     from jsonb_to_recordset($1::jsonb) as i(item_id uuid, client_id text, at timestamptz, "providerId" text, code text, isin text,
       number text, name text, type text, subtype text, balance numeric, amount numeric, "amountOriginal" numeric,
       "amountProfit" numeric, "amountWithdrawal" numeric, taxes numeric, taxes2 numeric, quantity numeric, value numeric,
       "currencyCode" text, date timestamptz, "dueDate" timestamptz, "issueDate" timestamptz, "purchaseDate" timestamptz,
       issuer text, "issuerCNPJ" text, rate numeric, "rateType" text, "fixedAnnualRate" numeric, "lastMonthRate" numeric,
       "annualRate" numeric, "lastTwelveMonthsRate" numeric, status text, owner text, institution jsonb, metadata jsonb)
     on conflict (item_id, provider_id) do update set code = excluded.code, isin = excluded.isin, number = excluded.number,
       name = excluded.name, type = excluded.type, subtype = excluded.subtype, balance = excluded.balance, amount = excluded.amount,
       amount_original = excluded.amount_original, amount_profit = excluded.amount_profit,
       amount_withdrawal = excluded.amount_withdrawal, taxes = excluded.taxes, taxes2 = excluded.taxes2,
       quantity = excluded.quantity, value = excluded.value, currency_code = excluded.currency_code, date = excluded.date,
       due_date = excluded.due_date, issue_date = excluded.issue_date, purchase_date = excluded.purchase_date,
       issuer = excluded.issuer, issuer_cnpj = excluded.issuer_cnpj, rate = excluded.rate, rate_type = excluded.rate_type,
       fixed_annual_rate = excluded.fixed_annual_rate, last_month_rate = excluded.last_month_rate,
       annual_rate = excluded.annual_rate, last_twelve_months_rate = excluded.last_twelve_months_rate,
       status = excluded.status, owner = excluded.owner, institution = excluded.institution, metadata = excluded.metadata,
       updated_at = excluded.updated_at
     where (t.code, t.isin, t.number, t.name, t.type, t.subtype, t.balance, t.amount, t.amount_original, t.amount_profit,
            t.amount_withdrawal, t.taxes, t.taxes2, t.quantity, t.value, t.currency_code, t.date, t.due_date, t.issue_date,
            t.purchase_date, t.issuer, t.issuer_cnpj, t.rate, t.rate_type, t.fixed_annual_rate, t.last_month_rate,
            t.annual_rate, t.last_twelve_months_rate, t.status, t.owner, t.institution, t.metadata)
       is distinct from (excluded.code, excluded.isin, excluded.number, excluded.name, excluded.type, excluded.subtype,
            excluded.balance, excluded.amount, excluded.amount_original, excluded.amount_profit, excluded.amount_withdrawal,
            excluded.taxes, excluded.taxes2, excluded.quantity, excluded.value, excluded.currency_code, excluded.date,
            excluded.due_date, excluded.issue_date, excluded.purchase_date, excluded.issuer, excluded.issuer_cnpj,
            excluded.rate, excluded.rate_type, excluded.fixed_annual_rate, excluded.last_month_rate, excluded.annual_rate,
            excluded.last_twelve_months_rate, excluded.status, excluded.owner, excluded.institution, excluded.metadata)
     returning t.id, t.item_id as "itemId", t.provider_id as "providerId", (t.xmax = '0') as created`,
    [scopedRowsJson(items)],
  )
  return rows
}

/**
 * Inserts or updates investment movements in one statement, matched per position on their match
 * key; unchanged rows are not touched. Movements of positions the item does not have are left
 * out. Movements are never deleted by a merge: institutions list a recent slice of the history,
 * and what falls out of that slice is still history.
 */
export async function upsertInvestmentTransactions(db: Queryable, items: readonly ItemRows<InvestmentTransactionInput>[]): Promise<{ id: string; itemId: string; created: boolean }[]> {
  if (!items.some((i) => i.rows.length > 0)) return []
  const { rows } = await db.query<{ id: string; itemId: string; created: boolean }>(
    `insert into investment_transactions as t (client_id, item_id, investment_id, match_key, provider_id, type,
       movement_type, quantity, value, amount, net_amount, date, trade_date, description, brokerage_number, expenses,
       agreed_rate, created_at, updated_at)
     select m.client_id, m.item_id, inv.id, m."matchKey", m."providerId", m.type, m."movementType", m.quantity, m.value, m.amount,
       m."netAmount", m.date, m."tradeDate", m.description, m."brokerageNumber", m.expenses, m."agreedRate", m.at, m.at
     from jsonb_to_recordset($1::jsonb) as m(item_id uuid, client_id text, at timestamptz, "investmentProviderId" text, "matchKey" text, "providerId" text, type text,
       "movementType" text, quantity numeric, value numeric, amount numeric, "netAmount" numeric, date timestamptz,
       "tradeDate" timestamptz, description text, "brokerageNumber" text, expenses jsonb, "agreedRate" numeric)
     ${parentLookup('investments', 'inv', 'm', '"investmentProviderId"')}
     on conflict (investment_id, match_key) do update set provider_id = excluded.provider_id, type = excluded.type,
       movement_type = excluded.movement_type, quantity = excluded.quantity, value = excluded.value,
       amount = excluded.amount, net_amount = excluded.net_amount, date = excluded.date,
       trade_date = excluded.trade_date, description = excluded.description, brokerage_number = excluded.brokerage_number,
       expenses = excluded.expenses, agreed_rate = excluded.agreed_rate, updated_at = excluded.updated_at
     where (t.provider_id, t.type, t.movement_type, t.quantity, t.value, t.amount, t.net_amount, t.date, t.trade_date, t.description,
            t.brokerage_number, t.expenses, t.agreed_rate)
       is distinct from (excluded.provider_id, excluded.type, excluded.movement_type, excluded.quantity, excluded.value,
            excluded.amount, excluded.net_amount, excluded.date, excluded.trade_date, excluded.description,
            excluded.brokerage_number, excluded.expenses, excluded.agreed_rate)
     returning t.id, t.item_id as "itemId", (t.xmax = '0') as created`,
    [scopedRowsJson(items)],
  )
  return rows
}

/** A client's investment; another client's is indistinguishable from a missing one. */
export async function findInvestment(db: Queryable, clientId: string, id: string): Promise<InvestmentRow | undefined> {
  const { rows } = await db.query<InvestmentRow>(`select ${COLUMNS} from investments i where i.id = $1 and i.client_id = $2`, [id, clientId])
  return rows[0]
}

/** A page of an item's investments, with the total. */
export async function listInvestments(
  db: Queryable,
  clientId: string,
  filter: { itemId: string; type: string | null; limit: number; offset: number },
): Promise<{ rows: InvestmentRow[]; total: number }> {
  // The count rides on a row of its own (left join), so a page past the end still knows the total.
  const { rows } = await db.query<InvestmentRow & { total: number }>(
    `select p.*, c.total
     from (select count(*)::int as total from investments i
           where i.client_id = $1 and i.item_id = $2 and ($3::text is null or i.type = $3)) c
     left join lateral (
       select ${COLUMNS} from investments i
       where i.client_id = $1 and i.item_id = $2 and ($3::text is null or i.type = $3)
       order by i.type, i.name, i.provider_id
       limit $4 offset $5
     ) p on true`,
    [clientId, filter.itemId, filter.type, filter.limit, filter.offset],
  )
  return { rows: rows.filter((r) => r.id !== null), total: rows[0]?.total ?? 0 }
}

/** A page of one investment's movements, newest first, with the total. */
export async function listInvestmentTransactions(
  db: Queryable,
  clientId: string,
  filter: { investmentId: string; limit: number; offset: number },
): Promise<{ rows: InvestmentTransactionRow[]; total: number }> {
  const { rows } = await db.query<InvestmentTransactionRow & { total: number }>(
    `select p.*, c.total
     from (select count(*)::int as total from investment_transactions m where m.investment_id = $2 and m.client_id = $1) c
     left join lateral (
       select ${MOVEMENT_COLUMNS} from investment_transactions m
       where m.investment_id = $2 and m.client_id = $1
       order by m.date desc, m.id
       limit $3 offset $4
     ) p on true`,
    [clientId, filter.investmentId, filter.limit, filter.offset],
  )
  return { rows: rows.filter((r) => r.id !== null), total: rows[0]?.total ?? 0 }
}
