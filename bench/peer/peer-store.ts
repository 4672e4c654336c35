import { randomUUID } from 'node:crypto'
import type pg from 'pg'
import type {
  CollectedAccount,
  CollectedAccountStatement,
  CollectedIdentity,
  CollectedInvestment,
  CollectedInvestmentTransaction,
  CollectedLoan,
  CollectedOpportunity,
  CollectedPaymentData,
  CollectedTransaction,
} from '../../src/connectors/sdk/index.ts'
import { mergePeerBills, mergePeerLoans, mergePeerStatements } from './peer-credit-store.ts'

/**
 * The peer's writes, in Tributary's own tables (its migrations create them in the peer's
 * database): what a team would write on PostgreSQL for the same execution, one statement per
 * recorded step, with every change guarded on the status it expects, as Tributary's are.
 */

/** One execution the peer runs: the workflow's input. */
export interface PeerExecution {
  itemId: string
  executionId: string
  clientId: string
  /** The sandbox bank's credentials. */
  user: string
  password: string
}

/** Everything the collection steps return (and DBOS checkpoints), for the merge. */
export interface PeerCollected {
  accounts: CollectedAccount[]
  creditCards: CollectedAccount[]
  transactions: CollectedTransaction[]
  investments: CollectedInvestment[]
  investmentTransactions: CollectedInvestmentTransaction[]
  paymentData: CollectedPaymentData[]
  identity: CollectedIdentity
  opportunities: CollectedOpportunity[]
  loans: CollectedLoan[]
  accountStatements: CollectedAccountStatement[]
}

interface PeerEvent {
  type: string
  payload: Record<string, unknown>
}

/** Items and their CREATED executions, as creating items through the API leaves them; returns the executions. */
export async function createPeerItems(db: pg.Pool, clientId: string, count: number, credentials: { user: string; password: string }): Promise<PeerExecution[]> {
  const now = new Date().toISOString()
  const { rows } = await db.query<{ item_id: string; execution_id: string }>(
    `with item as (
       insert into items (id, client_id, connector_id, status, execution_status, current_execution_id, credentials_enc, credentials_hash, created_at, updated_at)
       select gen_random_uuid(), $1, 0, 'UPDATING', 'CREATED', gen_random_uuid(), 'peer', 'peer', $3::timestamptz, $3::timestamptz from generate_series(1, $2)
       returning id, current_execution_id
     )
     insert into executions (id, item_id, client_id, connector_id, status, triggered_by, steps, products, deadline_at, created_at)
     select current_execution_id, id, $1, 0, 'CREATED', 'CLIENT', jsonb_build_array(jsonb_build_object('status', 'CREATED', 'startedAt', $4::text, 'finishedAt', null)),
       array['ACCOUNTS', 'CREDIT_CARDS', 'TRANSACTIONS', 'INVESTMENTS', 'INVESTMENTS_TRANSACTIONS', 'PAYMENT_DATA', 'IDENTITY', 'OPPORTUNITIES', 'LOANS', 'ACCOUNT_STATEMENTS'],
       $3::timestamptz + interval '30 minutes', $3::timestamptz
     from item
     returning item_id, id as execution_id`,
    // The time twice: as a timestamp for the columns, and as the ISO text the timeline holds.
    [clientId, count, now, now],
  )
  return rows.map((r) => ({ itemId: r.item_id, executionId: r.execution_id, clientId, ...credentials }))
}

/**
 * Records one status the execution reached: the item's status, the execution's timeline entry
 * (closing the previous one) and the status event, with any other events of the step, in one
 * statement guarded on the status the execution had. Throws when the guard refused it.
 */
export async function recordStatus(
  db: pg.Pool | pg.PoolClient,
  execution: PeerExecution,
  change: { expected: string; executionStatus: string; status: string; at: Date; final?: { statusDetail: unknown } },
  events: PeerEvent[] = [],
): Promise<void> {
  const at = change.at.toISOString()
  const statusEvent: PeerEvent = {
    type: 'item/status',
    payload: { status: change.status, executionStatus: change.executionStatus, executionId: execution.executionId, error: null, parameter: null, userAction: null },
  }
  const rows = [statusEvent, ...events].map(({ type, payload }) => {
    const id = randomUUID()
    return { id, type, payload: { event: type, eventId: id, id, itemId: execution.itemId, triggeredBy: 'CLIENT', clientUserId: null, ...payload } }
  })
  const { rowCount } = await db.query(
    `with item as (
       update items set status = $3, execution_status = $4, updated_at = $5::timestamptz,
         status_detail = coalesce($7::jsonb, status_detail),
         last_updated_at = case when $7::jsonb is null then last_updated_at else $5::timestamptz end,
         next_auto_sync_at = case when $7::jsonb is null then next_auto_sync_at else $5::timestamptz + interval '1 day' end
       where id = $1 and current_execution_id = $2 and execution_status = $6
       returning id
     ), execution as (
       update executions set status = $4,
         steps = jsonb_set(steps, array[(jsonb_array_length(steps) - 1)::text, 'finishedAt'], to_jsonb($10::text))
           || jsonb_build_array(jsonb_build_object('status', $4::text, 'startedAt', $10::text, 'finishedAt', case when $7::jsonb is null then null else $10::text end)),
         finished_at = case when $7::jsonb is null then null else $5::timestamptz end
       where id = $2 and exists (select 1 from item)
       returning id
     )
     insert into events (id, client_id, item_id, type, payload, created_at)
     select e.id, $8, $1, e.type, e.payload, $5::timestamptz
     from jsonb_to_recordset($9::jsonb) as e(id uuid, type text, payload jsonb)
     where exists (select 1 from execution)`,
    // The time twice: as a timestamp for the columns, and as the ISO text the timeline holds.
    [
      execution.itemId,
      execution.executionId,
      change.status,
      change.executionStatus,
      at,
      change.expected,
      change.final ? JSON.stringify(change.final.statusDetail) : null,
      execution.clientId,
      JSON.stringify(rows),
      at,
    ],
  )
  if (!rowCount) throw new Error(`execution ${execution.executionId} was not at ${change.expected}`)
}

/**
 * Merges what the execution collected into the item's stored data, in the caller's transaction:
 * upserts by the institution's ids (a transaction by its providerId), and deletes the stored
 * transactions of the collected window that were not collected again. Returns, per account, how
 * many transactions it created.
 */
export async function mergePeerData(tx: pg.PoolClient, execution: PeerExecution, collected: PeerCollected, at: Date): Promise<Map<string, number>> {
  const base = { item_id: execution.itemId, client_id: execution.clientId, at: at.toISOString() }
  const accounts = await tx.query<{ id: string; provider_id: string }>(
    `insert into accounts (item_id, client_id, provider_id, type, subtype, number, name, marketing_name, balance, currency_code, owner, tax_number, bank_data, credit_data, created_at, updated_at)
     select $1, $2, a.provider_id, a.type, a.subtype, a.number, a.name, a.marketing_name, a.balance, a.currency_code, a.owner, a.tax_number, a.bank_data, a.credit_data, $3, $3
     from jsonb_to_recordset($4::jsonb) as a(provider_id text, type text, subtype text, number text, name text, marketing_name text, balance numeric, currency_code text, owner text, tax_number text, bank_data jsonb, credit_data jsonb)
     on conflict (item_id, provider_id) do update set type = excluded.type, subtype = excluded.subtype, number = excluded.number, name = excluded.name,
       marketing_name = excluded.marketing_name, balance = excluded.balance, currency_code = excluded.currency_code, owner = excluded.owner,
       tax_number = excluded.tax_number, bank_data = excluded.bank_data, credit_data = excluded.credit_data, updated_at = excluded.updated_at
     returning id, provider_id`,
    [
      base.item_id,
      base.client_id,
      base.at,
      JSON.stringify(
        [...collected.accounts, ...collected.creditCards].map((a) => ({
          provider_id: a.providerId,
          type: a.type,
          subtype: a.subtype,
          number: a.number,
          name: a.name,
          marketing_name: a.marketingName ?? null,
          balance: a.balance,
          currency_code: a.currencyCode,
          owner: a.owner ?? null,
          tax_number: a.taxNumber ?? null,
          bank_data: a.bankData ?? null,
          credit_data: a.creditData ?? null,
        })),
      ),
    ],
  )
  const accountId = new Map(accounts.rows.map((r) => [r.provider_id, r.id]))
  // Before the transactions, which name their card's bill.
  const billId = await mergePeerBills(tx, execution, collected.creditCards, accountId, base.at)
  const payments = new Map(collected.paymentData.map((p) => [p.transactionProviderId, p.paymentData]))
  const transactions = collected.transactions.map((t) => ({
    account_id: accountId.get(t.accountProviderId),
    match_key: t.providerId ? `p:${t.providerId}` : `f:${t.date.slice(0, 10)}|${t.amount}|${t.description}`,
    provider_id: t.providerId ?? null,
    date: t.date,
    description: t.description,
    description_raw: t.descriptionRaw ?? null,
    currency_code: t.currencyCode,
    amount: t.amount,
    amount_in_account_currency: t.amountInAccountCurrency ?? null,
    balance: t.balance ?? null,
    category: t.category ?? null,
    category_id: t.categoryId ?? null,
    provider_code: t.providerCode ?? null,
    status: t.status,
    type: t.type,
    payment_data: (t.providerId && payments.get(t.providerId)) ?? t.paymentData ?? null,
    credit_card_metadata: t.creditCardMetadata ?? null,
    merchant: t.merchant ?? null,
    bill_id: (t.creditCardMetadata?.billId && billId.get(t.creditCardMetadata.billId)) ?? null,
  }))
  // A row's content hash tells an unchanged transaction from a changed one without comparing every column.
  const upserted = await tx.query<{ account_id: string; created: boolean }>(
    `insert into transactions (client_id, item_id, account_id, match_key, content_hash, payment_hash, provider_id, date, description, description_raw, currency_code, amount,
       amount_in_account_currency, balance, category, category_id, provider_code, status, type, payment_data, credit_card_metadata, merchant, bill_id, created_at, updated_at)
     select $2, $1, t.account_id, t.match_key, md5(row(t.date, t.description, t.description_raw, t.amount, t.status, t.type, t.category, t.credit_card_metadata, t.merchant)::text),
       md5(t.payment_data::text), t.provider_id, t.date, t.description, t.description_raw, t.currency_code, t.amount, t.amount_in_account_currency, t.balance,
       t.category, t.category_id, t.provider_code, t.status, t.type, t.payment_data, t.credit_card_metadata, t.merchant, t.bill_id, $3, $3
     from jsonb_to_recordset($4::jsonb) as t(account_id uuid, match_key text, provider_id text, date timestamptz, description text, description_raw text, currency_code text,
       amount numeric, amount_in_account_currency numeric, balance numeric, category text, category_id text, provider_code text, status text, type text,
       payment_data jsonb, credit_card_metadata jsonb, merchant jsonb, bill_id uuid)
     on conflict (account_id, match_key) do update set content_hash = excluded.content_hash, payment_hash = excluded.payment_hash, date = excluded.date,
       description = excluded.description, description_raw = excluded.description_raw, amount = excluded.amount, status = excluded.status,
       category = excluded.category, payment_data = excluded.payment_data, credit_card_metadata = excluded.credit_card_metadata, merchant = excluded.merchant,
       bill_id = excluded.bill_id, updated_at = excluded.updated_at
     where transactions.content_hash is distinct from excluded.content_hash or transactions.payment_hash is distinct from excluded.payment_hash
     returning account_id, xmax = 0 as created`,
    [base.item_id, base.client_id, base.at, JSON.stringify(transactions)],
  )
  const oldest = collected.transactions.reduce((min, t) => (t.date < min ? t.date : min), at.toISOString())
  await tx.query(`delete from transactions where account_id = any($1::uuid[]) and date >= $2 and match_key <> all($3::text[])`, [[...accountId.values()], oldest, transactions.map((t) => t.match_key)])
  const investments = await tx.query<{ id: string; provider_id: string }>(
    `insert into investments (item_id, client_id, provider_id, code, isin, name, type, subtype, balance, amount, quantity, value, currency_code, date, due_date, issuer, rate, rate_type, status, created_at, updated_at)
     select $1, $2, i.provider_id, i.code, i.isin, i.name, i.type, i.subtype, i.balance, i.amount, i.quantity, i.value, i.currency_code, i.date, i.due_date, i.issuer, i.rate, i.rate_type, i.status, $3, $3
     from jsonb_to_recordset($4::jsonb) as i(provider_id text, code text, isin text, name text, type text, subtype text, balance numeric, amount numeric, quantity numeric,
       value numeric, currency_code text, date timestamptz, due_date timestamptz, issuer text, rate numeric, rate_type text, status text)
     on conflict (item_id, provider_id) do update set code = excluded.code, isin = excluded.isin, name = excluded.name, type = excluded.type, subtype = excluded.subtype,
       balance = excluded.balance, amount = excluded.amount, quantity = excluded.quantity, value = excluded.value, date = excluded.date, due_date = excluded.due_date,
       rate = excluded.rate, status = excluded.status, updated_at = excluded.updated_at
     returning id, provider_id`,
    [
      base.item_id,
      base.client_id,
      base.at,
      JSON.stringify(
        collected.investments.map((i) => ({
          provider_id: i.providerId,
          code: i.code ?? null,
          isin: i.isin ?? null,
          name: i.name,
          type: i.type,
          subtype: i.subtype ?? null,
          balance: i.balance,
          amount: i.amount ?? null,
          quantity: i.quantity ?? null,
          value: i.value ?? null,
          currency_code: i.currencyCode,
          date: i.date ?? null,
          due_date: i.dueDate ?? null,
          issuer: i.issuer ?? null,
          rate: i.rate ?? null,
          rate_type: i.rateType ?? null,
          status: i.status ?? null,
        })),
      ),
    ],
  )
  const investmentId = new Map(investments.rows.map((r) => [r.provider_id, r.id]))
  await tx.query(
    `insert into investment_transactions (client_id, item_id, investment_id, match_key, provider_id, type, movement_type, quantity, value, amount, net_amount, date, trade_date, description, created_at, updated_at)
     select $2, $1, m.investment_id, m.match_key, m.provider_id, m.type, m.movement_type, m.quantity, m.value, m.amount, m.net_amount, m.date, m.trade_date, m.description, $3, $3
     from jsonb_to_recordset($4::jsonb) as m(investment_id uuid, match_key text, provider_id text, type text, movement_type text, quantity numeric, value numeric, amount numeric,
       net_amount numeric, date timestamptz, trade_date timestamptz, description text)
     on conflict (investment_id, match_key) do update set type = excluded.type, movement_type = excluded.movement_type, quantity = excluded.quantity, value = excluded.value,
       amount = excluded.amount, net_amount = excluded.net_amount, trade_date = excluded.trade_date, description = excluded.description, updated_at = excluded.updated_at`,
    [
      base.item_id,
      base.client_id,
      base.at,
      JSON.stringify(
        collected.investmentTransactions.map((m) => ({
          investment_id: investmentId.get(m.investmentProviderId),
          match_key: m.providerId ? `p:${m.providerId}` : `f:${m.date.slice(0, 10)}|${m.type}|${m.amount}|${m.description ?? ''}`,
          provider_id: m.providerId ?? null,
          type: m.type,
          movement_type: m.movementType ?? null,
          quantity: m.quantity ?? null,
          value: m.value ?? null,
          amount: m.amount,
          net_amount: m.netAmount ?? null,
          date: m.date,
          trade_date: m.tradeDate ?? null,
          description: m.description ?? null,
        })),
      ),
    ],
  )
  const identity = collected.identity
  await tx.query(
    `insert into identities (item_id, client_id, full_name, document, document_type, tax_number, birth_date, job_title, company_name, emails, phone_numbers, addresses, relations, created_at, updated_at)
     values ($1, $2, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $3, $3)
     on conflict (item_id) do update set full_name = excluded.full_name, document = excluded.document, document_type = excluded.document_type, tax_number = excluded.tax_number,
       birth_date = excluded.birth_date, job_title = excluded.job_title, company_name = excluded.company_name, emails = excluded.emails, phone_numbers = excluded.phone_numbers,
       addresses = excluded.addresses, relations = excluded.relations, updated_at = excluded.updated_at`,
    [
      base.item_id,
      base.client_id,
      base.at,
      identity.fullName,
      identity.document ?? null,
      identity.documentType ?? null,
      identity.taxNumber ?? null,
      identity.birthDate ?? null,
      identity.jobTitle ?? null,
      identity.companyName ?? null,
      JSON.stringify(identity.emails ?? []),
      JSON.stringify(identity.phoneNumbers ?? []),
      JSON.stringify(identity.addresses ?? []),
      JSON.stringify(identity.relations ?? []),
    ],
  )
  await tx.query(
    `insert into opportunities (item_id, client_id, provider_id, name, description, type, interest_rate, rate_type, total_limit, available_limit, date, created_at, updated_at)
     select $1, $2, o.provider_id, o.name, o.description, o.type, o.interest_rate, o.rate_type, o.total_limit, o.available_limit, o.date, $3, $3
     from jsonb_to_recordset($4::jsonb) as o(provider_id text, name text, description text, type text, interest_rate numeric, rate_type text, total_limit numeric, available_limit numeric, date timestamptz)
     on conflict (item_id, provider_id) do update set name = excluded.name, description = excluded.description, type = excluded.type, interest_rate = excluded.interest_rate,
       rate_type = excluded.rate_type, total_limit = excluded.total_limit, available_limit = excluded.available_limit, date = excluded.date, updated_at = excluded.updated_at`,
    [
      base.item_id,
      base.client_id,
      base.at,
      JSON.stringify(
        collected.opportunities.map((o) => ({
          provider_id: o.providerId,
          name: o.name,
          description: o.description ?? null,
          type: o.type,
          interest_rate: o.interestRate ?? null,
          rate_type: o.rateType ?? null,
          total_limit: o.totalLimit ?? null,
          available_limit: o.availableLimit ?? null,
          date: o.date,
        })),
      ),
    ],
  )
  await mergePeerLoans(tx, execution, collected.loans, base.at)
  await mergePeerStatements(tx, execution, collected.accountStatements, accountId, base.at)
  const created = new Map<string, number>()
  for (const row of upserted.rows) if (row.created) created.set(row.account_id, (created.get(row.account_id) ?? 0) + 1)
  return created
}
