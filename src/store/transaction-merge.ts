import type { CollectedTransaction } from '../connectors/sdk/index.ts'
import { canonicalJson } from '../domain/canonical-json.ts'
import { FINGERPRINT_DAY_TOLERANCE } from '../domain/transaction-identity.ts'
import type { Queryable } from './database.ts'
import { parentLookup } from './item-scope.ts'

/**
 * Merging an execution's transactions takes a few kinds of statement, so that no message to the
 * database carries more than about 1 MB (one parameter holding 100,000 transactions, ~60 MB of
 * JSON, is slow to send, and on the embedded database's socket the cost grows with the square of
 * a message's size), and so that unchanged transactions cost a key and two hashes, not their
 * content:
 *
 * 1. {@link planTransactionMerge}: matches the keys of the collected transactions to stored rows,
 *    deletes what disappeared, and answers which collected rows must be written. Keys that fit in
 *    one message go with the statement itself; more are first staged, batch by batch, into a
 *    temporary table ({@link createTransactionStage}, {@link stageTransactionKeys},
 *    {@link analyzeTransactionStage});
 * 2. {@link upsertTransactions}, batch by batch: the content of those rows only.
 */
export const STAGE_BATCH_BYTES = 1_000_000

/** What the planner needs of one transaction: identity, date and content hashes. */
export interface TransactionKey {
  /** The transaction's position in the merge's input; plans and results refer to it. */
  ord: number
  itemId: string
  /** PAYMENT_DATA was not collected by this item's execution: stored payment data stays as it is. */
  keepPaymentData: boolean
  accountProviderId: string
  matchKey: string
  fingerprint: string | null
  date: string
  contentHash: string
  paymentHash: string | null
}

/**
 * A transaction's stored content but its identity and payment data: a collected transaction with
 * its date normalised. Absent and null fields are the same (both left out of the JSON).
 */
export type TransactionContent = Omit<CollectedTransaction, 'accountProviderId' | 'paymentData' | 'date'> & { date: string }

/** One row for {@link upsertTransactions}: its account (resolved by the plan), identity and JSON. */
export interface TransactionWrite {
  accountId: string
  matchKey: string
  fingerprint: string | null
  providerId: string | null
  /** {@link transactionContentJson} of the content. */
  contentJson: string
  contentHash: string
  /** Canonical JSON of the payment data, or null. */
  paymentJson: string | null
  paymentHash: string | null
}

export interface TransactionMergePlan {
  /** Collected rows to write (new, or changed), with the account each belongs to. */
  writes: { ord: number; accountId: string }[]
  /** Stored rows deleted: inside their account's collected window and matched by nothing. */
  deleted: { itemId: string; accountId: string; ids: string[] }[]
}

/**
 * Creates the staging table of one merge; it lives until the end of the transaction, which must
 * be the merge's own (`on commit drop`; one merge per transaction).
 */
export async function createTransactionStage(db: Queryable): Promise<void> {
  await db.query(
    `create temp table merge_transactions (
       ord integer not null, item_id uuid not null, keep_payment_data boolean not null, account_id uuid not null,
       match_key text not null, fingerprint text, date timestamptz not null, content_hash text not null, payment_hash text
     ) on commit drop`,
  )
}

/** Keys as rows, each with its account resolved by providerId among its item's accounts (the merge passes only accounts it just stored). */
function keyRows(first: number): string {
  const p = Array.from({ length: 9 }, (_, i) => `$${first + i}`)
  return `select k.ord, k.item_id, k.keep_payment_data, acc.id as account_id, k.match_key, k.fingerprint, k.date, k.content_hash, k.payment_hash
     from unnest(${p[0]}::int[], ${p[1]}::uuid[], ${p[2]}::boolean[], ${p[3]}::text[], ${p[4]}::text[], ${p[5]}::text[], ${p[6]}::timestamptz[], ${p[7]}::text[], ${p[8]}::text[])
       as k(ord, item_id, keep_payment_data, account_provider_id, match_key, fingerprint, date, content_hash, payment_hash)
     ${parentLookup('accounts', 'acc', 'k', 'account_provider_id')}`
}

function keyParameters(keys: readonly TransactionKey[]): unknown[] {
  return [
    keys.map((k) => k.ord),
    keys.map((k) => k.itemId),
    keys.map((k) => k.keepPaymentData),
    keys.map((k) => k.accountProviderId),
    keys.map((k) => k.matchKey),
    keys.map((k) => k.fingerprint),
    keys.map((k) => k.date),
    keys.map((k) => k.contentHash),
    keys.map((k) => k.paymentHash),
  ]
}

/** Adds one batch of keys to the staging table. */
export async function stageTransactionKeys(db: Queryable, keys: readonly TransactionKey[]): Promise<void> {
  await db.query(`insert into merge_transactions (ord, item_id, keep_payment_data, account_id, match_key, fingerprint, date, content_hash, payment_hash) ${keyRows(1)}`, keyParameters(keys))
}

/**
 * Gives the planner the staging table's size: without statistics it assumes a few hundred rows
 * and would read every stored transaction (a hash join) rather than look up the staged ones.
 */
export async function analyzeTransactionStage(db: Queryable): Promise<void> {
  await db.query('analyze merge_transactions')
}

/** Where {@link planTransactionMerge} reads the collected keys: sent with it, or staged before. */
export type StagedKeys = readonly TransactionKey[] | 'staged'

/**
 * Plans the merge of the collected transactions, in one statement:
 *
 * 1. each staged transaction finds its stored row by (account, match key); a fingerprint
 *    transaction without an exact match may take over a stored fingerprint row left unmatched,
 *    with the same fingerprint and a date at most FINGERPRINT_DAY_TOLERANCE days away (leftovers
 *    of one account and fingerprint are paired in date order) — that row is re-keyed here, so the
 *    upsert finds it under its new key;
 * 2. stored rows of each staged account dated inside the window collected for it (its oldest
 *    collected day to the later of its newest collected day and the day of `collectedAt`, whole
 *    UTC days) that nothing matched are deleted — a collection covers the days up to the moment it
 *    ran, so a pending transaction newer than every other one is deleted when the bank drops it;
 * 3. the answer lists the collected rows to write: new ones, and matched ones whose hashes differ.
 *
 * Keys may be of several items (accounts are apart). A key with `keepPaymentData` (its item's
 * execution did not collect PAYMENT_DATA) is not compared on payment data, which will be kept.
 */
export async function planTransactionMerge(db: Queryable, source: StagedKeys, collectedAt: Date): Promise<TransactionMergePlan> {
  const { rows } = await db.query<{ kind: 'write' | 'deleted'; itemId: string; accountId: string; ords: number[]; ids: string[] }>(
    `with staged as materialized (
       select s.ord, s.item_id, s.keep_payment_data, s.account_id, s.match_key, s.fingerprint, s.date, s.content_hash, s.payment_hash,
         t.id as exact_id, t.content_hash as stored_content_hash, t.payment_hash as stored_payment_hash
       from ${source === 'staged' ? 'merge_transactions' : `(${keyRows(3)})`} s left join transactions t on t.account_id = s.account_id and t.match_key = s.match_key
     ), windows as (
       select account_id, date_trunc('day', min(date), 'UTC') as lo,
         greatest(date_trunc('day', max(date), 'UTC'), date_trunc('day', $2::timestamptz, 'UTC')) + interval '1 day' as hi
       from staged group by account_id
     ), loose_collected as materialized (
       select ord, account_id, match_key, fingerprint, date,
         row_number() over (partition by account_id, fingerprint order by date, match_key) as rank
       from staged where exact_id is null and fingerprint is not null
     ), loose_stored as (
       select t.id, t.account_id, t.fingerprint, t.date, t.content_hash, t.payment_hash,
         row_number() over (partition by t.account_id, t.fingerprint order by t.date, t.match_key) as rank
       from transactions t join windows w on w.account_id = t.account_id
       where t.fingerprint is not null
         and t.date >= w.lo - make_interval(days => $1) and t.date < w.hi + make_interval(days => $1)
         and exists (select 1 from loose_collected l where l.account_id = t.account_id and l.fingerprint = t.fingerprint)
         and not exists (select 1 from staged s where s.exact_id = t.id)
     ), tolerant as materialized (
       select l.ord, l.match_key, s.id, s.content_hash, s.payment_hash
       from loose_collected l
       join loose_stored s on s.account_id = l.account_id and s.fingerprint = l.fingerprint and s.rank = l.rank
       where abs(extract(epoch from s.date - l.date)) <= $1 * 86400
     ), rekeyed as (
       -- (a data-modifying CTE runs whether or not the answer reads it)
       update transactions t set match_key = tl.match_key from tolerant tl where t.id = tl.id
     ), matched as materialized (
       select s.ord, s.item_id, s.keep_payment_data, s.account_id, s.content_hash, s.payment_hash,
         coalesce(s.exact_id, tl.id) as id,
         coalesce(s.stored_content_hash, tl.content_hash) as stored_content_hash,
         case when s.exact_id is not null then s.stored_payment_hash else tl.payment_hash end as stored_payment_hash
       from staged s left join tolerant tl on tl.ord = s.ord
     ), deleted as (
       delete from transactions t using windows w
       where t.account_id = w.account_id and t.date >= w.lo and t.date < w.hi
         and not exists (select 1 from matched m where m.id = t.id)
       returning t.id, t.item_id, t.account_id
     )
     select 'write' as kind, item_id as "itemId", account_id as "accountId", array_agg(ord order by ord) as ords, '{}'::text[] as ids
     from matched
     where id is null
        or (stored_content_hash, stored_payment_hash)
           is distinct from (content_hash, case when keep_payment_data then stored_payment_hash else payment_hash end)
     group by item_id, account_id
     union all
     select 'deleted', item_id, account_id, '{}'::int[], array_agg(id::text order by id) from deleted group by item_id, account_id`,
    [FINGERPRINT_DAY_TOLERANCE, collectedAt, ...(source === 'staged' ? [] : keyParameters(source))],
  )
  const writes: TransactionMergePlan['writes'] = []
  const deleted: TransactionMergePlan['deleted'] = []
  for (const row of rows) {
    if (row.kind === 'write') for (const ord of row.ords) writes.push({ ord, accountId: row.accountId })
    else if (row.accountId) deleted.push({ itemId: row.itemId, accountId: row.accountId, ids: row.ids })
  }
  return { writes, deleted }
}

/**
 * Inserts or updates one batch of transactions (the plan's writes), matched on (account, match
 * key). Each row's account names its item, client and time in `accounts` (rows of several items
 * may share a batch). A row whose hashes did not change is not touched. Returns the ids written
 * per account, split into created (`xmax = 0`: no earlier version of the row existed) and
 * updated — grouped, because a row per transaction costs more to send back than the insert
 * itself. `keepPaymentData`: the rows' items did not collect PAYMENT_DATA, and stored payment
 * data stays. The JSON members are read as json and cast: json_to_recordset builds a jsonb
 * member at about twice the cost of the cast (measured: 29 against 24 µs a row, insert included).
 */
export async function upsertTransactions(
  db: Queryable,
  accounts: readonly { accountId: string; itemId: string; clientId: string; at: Date }[],
  batchJson: string,
  options: { keepPaymentData: boolean },
): Promise<{ itemId: string; accountId: string; created: boolean; ids: string[] }[]> {
  const { rows } = await db.query<{ itemId: string; accountId: string; created: boolean; ids: string[] }>(
    `with written as (
       insert into transactions as t (client_id, item_id, account_id, match_key, fingerprint, provider_id, date, description,
         description_raw, currency_code, amount, amount_in_account_currency, balance, category, category_id,
         provider_code, status, type, operation_type, operation_type_additional_info, payment_data, credit_card_metadata,
         bill_id, merchant, content_hash, payment_hash, created_at, updated_at)
       select s.client_id, s.item_id, c.a, coalesce(c.k, 'p:' || c.p), c.f, c.p, c.d, c.ds, c.dr, c.cc, c.am, c.aa, c.b, c.c, c.ci, c.pc, c.s, c.ty,
         c.ot, c.oi, case when $5 then null else c.pd::jsonb end, c.cm::jsonb, bill.id, c.m::jsonb, c.h, case when $5 then null else c.ph end, s.at, s.at
       from json_to_recordset($4::json) as c(a uuid, k text, f text, p text, d timestamptz, ds text, dr text, cc text,
         am numeric, aa numeric, b numeric, c text, ci text, pc text, s text, ty text, ot text, oi text, pd json, cm json, m json, h text, ph text)
       join unnest($1::uuid[], $2::uuid[], $3::text[], $6::timestamptz[]) as s(account_id, item_id, client_id, at) on s.account_id = c.a
       -- The bill named by the institution's bill id (stored by this merge, before the transactions):
       -- one index lookup per row; as a join, the planner read every stored bill for each batch.
       left join lateral (select b.id from credit_card_bills b where b.account_id = c.a and b.provider_id = c.cm->>'billId' limit 1) bill on true
       on conflict (account_id, match_key) do update set
         fingerprint = excluded.fingerprint, provider_id = excluded.provider_id, date = excluded.date,
         description = excluded.description, description_raw = excluded.description_raw,
         currency_code = excluded.currency_code, amount = excluded.amount,
         amount_in_account_currency = excluded.amount_in_account_currency, balance = excluded.balance,
         category = excluded.category, category_id = excluded.category_id, provider_code = excluded.provider_code,
         status = excluded.status, type = excluded.type, operation_type = excluded.operation_type,
         operation_type_additional_info = excluded.operation_type_additional_info,
         payment_data = case when $5 then t.payment_data else excluded.payment_data end,
         credit_card_metadata = excluded.credit_card_metadata, bill_id = excluded.bill_id, merchant = excluded.merchant,
         content_hash = excluded.content_hash,
         payment_hash = case when $5 then t.payment_hash else excluded.payment_hash end,
         updated_at = excluded.updated_at
       where (t.content_hash, t.payment_hash)
         is distinct from (excluded.content_hash, case when $5 then t.payment_hash else excluded.payment_hash end)
       returning t.id, t.item_id, t.account_id, (t.xmax = '0') as created
     )
     select item_id as "itemId", account_id as "accountId", created, array_agg(id)::text[] as ids from written group by item_id, account_id, created`,
    [accounts.map((a) => a.accountId), accounts.map((a) => a.itemId), accounts.map((a) => a.clientId), batchJson, options.keepPaymentData, accounts.map((a) => a.at)],
  )
  return rows
}

/**
 * A transaction's content as the JSON {@link upsertTransactions} reads (short keys, no nulls:
 * this text is what the database parses, byte by byte). Canonical, so the same text is the input
 * of the content hash and is built once per transaction.
 */
export function transactionContentJson(t: TransactionContent): string {
  return canonicalJson({
    p: t.providerId ?? undefined,
    d: t.date,
    ds: t.description,
    dr: t.descriptionRaw ?? undefined,
    cc: t.currencyCode,
    am: t.amount,
    aa: t.amountInAccountCurrency ?? undefined,
    b: t.balance ?? undefined,
    c: t.category ?? undefined,
    ci: t.categoryId ?? undefined,
    pc: t.providerCode ?? undefined,
    s: t.status,
    ty: t.type,
    ot: t.operationType ?? undefined,
    oi: t.operationTypeAdditionalInfo ?? undefined,
    cm: t.creditCardMetadata ?? undefined,
    m: t.merchant ?? undefined,
  })
}

/** Batches of at most ~{@link STAGE_BATCH_BYTES} of JSON, for {@link upsertTransactions}. */
export function transactionWriteBatches(rows: readonly TransactionWrite[]): string[] {
  const batches: string[] = []
  let parts: string[] = []
  let size = 0
  for (const t of rows) {
    // The usual key is 'p:' || providerId; the statement rebuilds it rather than read it twice.
    const key = t.providerId !== null && t.matchKey === `p:${t.providerId}` ? '' : `"k":${JSON.stringify(t.matchKey)},`
    const fingerprint = t.fingerprint === null ? '' : `"f":${JSON.stringify(t.fingerprint)},`
    const payment = t.paymentJson === null ? '' : `"pd":${t.paymentJson},"ph":${JSON.stringify(t.paymentHash)},`
    const part = `{"a":"${t.accountId}",${key}${fingerprint}${payment}"h":${JSON.stringify(t.contentHash)},${t.contentJson.slice(1)}`
    if (size + part.length > STAGE_BATCH_BYTES && parts.length > 0) {
      batches.push(`[${parts.join(',')}]`)
      parts = []
      size = 0
    }
    parts.push(part)
    size += part.length + 1
  }
  if (parts.length > 0) batches.push(`[${parts.join(',')}]`)
  return batches
}
