import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LifecycleState } from '../domain/lifecycle.ts'
import { findItemAccounts } from './accounts.ts'
import { linkTransactionsToBills, upsertCreditCardBills } from './credit-card-bills.ts'
import { openDatabase, type Database, type Queryable } from './database.ts'
import { migrate } from './migrate.ts'
import { replaceOpportunities } from './opportunities.ts'
import { saveStepTransitions } from './step-transitions.ts'
import { transactionWriteBatches, upsertTransactions } from './transaction-merge.ts'

// Statements that look up a few stored rows among many must do it through an index, on a database
// the planner knows nothing about yet (no statistics: a new deployment, or tables that grew since
// the last analyze). Reading a whole table made every execution's merge and steps cost more as the
// tables grew: 5,000 executions on a new PostgreSQL database ran at a third of the rate of 1,000.

const CLIENT = 'lookup-plans'
let db: Database
let itemId: string
let accountId: string
let billId: string
const executionId = randomUUID()

beforeAll(async () => {
  db = await openDatabase({ databaseUrl: null, dataDir: ':memory:' })
  await migrate(db.pool, db.connectionString)
  await db.pool.query(`insert into clients (id, secret_enc) values ($1, 'unused')`, [CLIENT])
  // 2,000 items with an execution and a card account each, and 20,000 card transactions.
  const { rows } = await db.pool.query<{ id: string }>(
    `insert into items (id, client_id, connector_id, status, execution_status, credentials_enc, credentials_hash, created_at, updated_at)
     select gen_random_uuid(), $1, 0, 'UPDATED', 'SUCCESS', 'x', 'x', now(), now() from generate_series(1, 2000) returning id`,
    [CLIENT],
  )
  itemId = rows[0].id
  await db.pool.query(
    `insert into executions (id, item_id, client_id, connector_id, status, triggered_by, steps, products, deadline_at, created_at, finished_at, attempt)
     select case when i.id = $2 then $3::uuid else gen_random_uuid() end, i.id, $1, 0, 'SUCCESS', 'USER', '[]', '{}', now(), now(),
       case when i.id = $2 then null else now() end, 1
     from items i`,
    [CLIENT, itemId, executionId],
  )
  await db.pool.query(`update items set current_execution_id = $2, execution_status = 'LOGIN_IN_PROGRESS' where id = $1`, [itemId, executionId])
  await db.pool.query(
    `insert into accounts (item_id, client_id, provider_id, type, subtype, number, name, balance, currency_code, created_at, updated_at)
     select i.id, $1, 'card', 'CREDIT', 'CREDIT_CARD', '1234', 'Card', 0, 'BRL', now(), now() from items i`,
    [CLIENT],
  )
  accountId = (await db.pool.query<{ id: string }>('select id from accounts where item_id = $1', [itemId])).rows[0].id
  await db.pool.query(
    `insert into transactions (client_id, item_id, account_id, match_key, content_hash, date, description, currency_code, amount, status, type,
       credit_card_metadata, created_at, updated_at)
     select $1, a.item_id, a.id, 'p:' || n, 'h', now(), 'Purchase', 'BRL', 1, 'POSTED', 'DEBIT', '{"billId": "bill-1"}', now(), now()
     from accounts a cross join generate_series(1, 10) n`,
    [CLIENT],
  )
  const bill = await db.pool.query<{ id: string }>(
    `insert into credit_card_bills (client_id, item_id, account_id, provider_id, due_date, total_amount, total_amount_currency_code, created_at, updated_at)
     select $1, item_id, id, 'bill-1', now(), 100, 'BRL', now(), now() from accounts where id = $2 returning id`,
    [CLIENT, accountId],
  )
  billId = bill.rows[0].id
})
afterAll(() => db?.close())

interface PlanNode {
  'Node Type': string
  'Relation Name'?: string
  'Index Name'?: string
  Plans?: PlanNode[]
}

/**
 * The plan nodes of the statements `write` sends, not run: every query it makes is explained
 * instead (its answer is empty).
 */
async function planNodes(write: (explaining: Queryable) => Promise<unknown>): Promise<PlanNode[]> {
  const nodes: PlanNode[] = []
  const walk = (node: PlanNode) => {
    nodes.push(node)
    node.Plans?.forEach(walk)
  }
  const explaining = {
    async query(text: string, values?: unknown[]) {
      const result = await db.pool.query(`explain (format json) ${text}`, values)
      for (const statement of result.rows[0]['QUERY PLAN'] as { Plan: PlanNode }[]) walk(statement.Plan)
      return { rows: [], rowCount: 0 }
    },
  } as unknown as Queryable
  await write(explaining)
  return nodes
}

const readsWhole = (nodes: PlanNode[], table: string) => nodes.some((n) => n['Node Type'] === 'Seq Scan' && n['Relation Name'] === table)

describe('lookups among many stored rows, before the planner has statistics', () => {
  it('linking transactions to new bills reads only transactions that name an unknown bill, through an index', async () => {
    const nodes = await planNodes((q) => linkTransactionsToBills(q, [billId]))
    expect(nodes.some((n) => n['Index Name'] === 'transactions_unlinked_bill')).toBe(true)
    expect(readsWhole(nodes, 'transactions')).toBe(false)
    // And it links what it should: the bill's own account's 10 transactions.
    expect(await linkTransactionsToBills(db.pool, [billId])).toHaveLength(10)
  })

  it('a step checks the claim on its execution by id, without reading every execution', async () => {
    const state: LifecycleState = {
      status: 'UPDATING',
      executionStatus: 'ACCOUNTS_IN_PROGRESS',
      error: null,
      parameter: null,
      userAction: null,
      consecutiveFailedLoginAttempts: 0,
      failedProducts: [],
    }
    const step = { itemId, executionId, attempt: 1, expected: 'LOGIN_IN_PROGRESS' as const, state, reached: [{ status: 'ACCOUNTS_IN_PROGRESS' as const, at: new Date() }], events: [] }
    const nodes = await planNodes((q) => saveStepTransitions(q, [step]))
    expect(nodes.some((n) => n['Relation Name'] === 'executions')).toBe(true)
    expect(readsWhole(nodes, 'executions')).toBe(false)
    // The claim still guards: a step of another attempt is not saved, the holder's is.
    expect(await saveStepTransitions(db.pool, [{ ...step, attempt: 2 }])).toEqual(new Set())
    expect(await saveStepTransitions(db.pool, [step])).toEqual(new Set([executionId]))
  })

  it('a merge finds the account of each collected row by its institution id, not by reading every account', async () => {
    const bill = {
      accountProviderId: 'card',
      providerId: 'bill-2',
      dueDate: '2026-04-10',
      billClosingDate: null,
      totalAmount: 1,
      totalAmountCurrencyCode: 'BRL',
      minimumPaymentAmount: null,
      allowsInstallments: null,
      financeCharges: [],
      payments: [],
    }
    const write = (q: Queryable) => upsertCreditCardBills(q, [{ scope: { itemId, clientId: CLIENT, at: new Date() }, rows: [bill] }])
    const nodes = await planNodes(write)
    expect(nodes.some((n) => n['Relation Name'] === 'accounts')).toBe(true)
    expect(readsWhole(nodes, 'accounts')).toBe(false)
    const [stored] = await write(db.pool)
    expect(stored).toMatchObject({ itemId, accountId, created: true })
  })

  it("a transaction finds the bill it names by the card's account and the bill's id, not by reading every bill", async () => {
    // A bill on every card, under the same institution id.
    await db.pool.query(
      `insert into credit_card_bills (client_id, item_id, account_id, provider_id, due_date, total_amount, total_amount_currency_code, created_at, updated_at)
       select $1, item_id, id, 'bill-1', now(), 100, 'BRL', now(), now() from accounts where id <> $2`,
      [CLIENT, accountId],
    )
    const content = '{"am":10,"cc":"BRL","cm":{"billId":"bill-1"},"d":"2026-03-01T00:00:00.000Z","ds":"Purchase","p":"new","s":"POSTED","ty":"DEBIT"}'
    const [batch] = transactionWriteBatches([{ accountId, matchKey: 'p:new', fingerprint: null, providerId: 'new', contentJson: content, contentHash: 'h', paymentJson: null, paymentHash: null }])
    // As a merge of many items sends them: the accounts of the batch's transactions.
    const { rows: cards } = await db.pool.query<{ accountId: string; itemId: string }>(`select id as "accountId", item_id as "itemId" from accounts limit 150`)
    const scopes = [{ accountId, itemId }, ...cards.filter((c) => c.accountId !== accountId)].map((c) => ({ ...c, clientId: CLIENT, at: new Date() }))
    const write = (q: Queryable) => upsertTransactions(q, scopes, batch, { keepPaymentData: false })
    const nodes = await planNodes(write)
    expect(nodes.some((n) => n['Relation Name'] === 'credit_card_bills')).toBe(true)
    expect(readsWhole(nodes, 'credit_card_bills')).toBe(false)
    const [written] = await write(db.pool)
    const { rows } = await db.pool.query<{ billId: string }>('select bill_id as "billId" from transactions where id = $1', [written.ids[0]])
    expect(rows[0].billId).toBe(billId)
  })
  it("a merge finds its items' accounts by the items' ids, not by reading every account", async () => {
    const batch = (await db.pool.query<{ id: string }>('select id from items limit 50')).rows.map((r) => r.id)
    const nodes = await planNodes((q) => findItemAccounts(q, batch))
    expect(nodes.some((n) => n['Relation Name'] === 'accounts')).toBe(true)
    expect(readsWhole(nodes, 'accounts')).toBe(false)
    expect(await findItemAccounts(db.pool, [itemId])).toEqual([{ id: accountId, itemId, providerId: 'card', hasTransactions: true }])
  })

  it("a merge replaces its items' offers without reading every item's", async () => {
    await db.pool.query(
      `insert into opportunities (item_id, client_id, provider_id, name, type, date, created_at, updated_at)
       select id, $1, 'offer-1', 'Offer', 'CREDIT_CARD', now(), now(), now() from items`,
      [CLIENT],
    )
    const offer = { providerId: 'offer-2', name: 'Offer', type: 'PERSONAL_LOAN' as const, date: '2026-03-01T00:00:00.000Z' }
    const write = (q: Queryable) => replaceOpportunities(q, [{ scope: { itemId, clientId: CLIENT, at: new Date() }, rows: [offer] }])
    const others = (await db.pool.query<{ id: string }>('select id from items where id <> $1 limit 49', [itemId])).rows
    const nodes = await planNodes((q) =>
      replaceOpportunities(
        q,
        [itemId, ...others.map((o) => o.id)].map((id) => ({ scope: { itemId: id, clientId: CLIENT, at: new Date() }, rows: [offer] })),
      ),
    )
    expect(nodes.some((n) => n['Relation Name'] === 'opportunities')).toBe(true)
    expect(readsWhole(nodes, 'opportunities')).toBe(false)
    // The item's offer-1 was not collected again: deleted; offer-2 created; no other item's touched.
    expect((await write(db.pool)).map((r) => r.change).sort()).toEqual(['created', 'deleted'])
    expect((await db.pool.query('select count(*)::int as n from opportunities')).rows[0].n).toBe(2000)
  })
})
