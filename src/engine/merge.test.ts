import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CollectedAccount, CollectedTransaction } from '../connectors/sdk/index.ts'
import { PRODUCTS, type Product } from '../domain/statuses.ts'
import { openDatabase, withTransaction, type Database } from '../store/database.ts'
import { migrate } from '../store/migrate.ts'
import { mergeCollected, mergeCollectedMany, TRANSACTION_IDS_PER_EVENT, type CollectedData, type MergeScope } from './merge.ts'

// The merge rules of SPEC §2.8 against a real (embedded) database, one item per test.

let db: Database
beforeAll(async () => {
  db = await openDatabase({ databaseUrl: null, dataDir: ':memory:' })
  await migrate(db.pool, db.connectionString)
  await db.pool.query(`insert into clients (id, secret_enc) values ('merge-test', 'unused')`)
})
afterAll(() => db?.close())

const DAY_MS = 86_400_000
const T0 = Date.UTC(2025, 5, 20, 12)

async function newItem(): Promise<string> {
  const id = randomUUID()
  await db.pool.query(
    `insert into items (id, client_id, connector_id, status, execution_status, credentials_enc, credentials_hash, created_at, updated_at)
     values ($1, 'merge-test', 0, 'UPDATING', 'MERGING', 'x', 'x', now(), now())`,
    [id],
  )
  return id
}

const CHECKING: CollectedAccount = { providerId: 'acc-1', type: 'BANK', subtype: 'CHECKING_ACCOUNT', number: '0001/123-4', name: 'Checking', balance: 100, currencyCode: 'BRL' }
const CARD: CollectedAccount = { providerId: 'card-1', type: 'CREDIT', subtype: 'CREDIT_CARD', number: 'xxxx1234', name: 'Card', balance: 10, currencyCode: 'BRL' }

function tx(day: number, description: string, amount: number, extra: Partial<CollectedTransaction> = {}): CollectedTransaction {
  return {
    accountProviderId: 'acc-1',
    date: new Date(T0 - day * DAY_MS).toISOString().slice(0, 10),
    description,
    currencyCode: 'BRL',
    amount,
    status: 'POSTED',
    type: amount < 0 ? 'DEBIT' : 'CREDIT',
    ...extra,
  }
}

function data(transactions: CollectedTransaction[], extra: Partial<CollectedData> = {}): CollectedData {
  return {
    accounts: [CHECKING],
    creditCards: [CARD],
    transactions,
    investments: [],
    investmentTransactions: [],
    paymentData: [],
    identity: { fullName: 'Test Person' },
    opportunities: [],
    loans: [],
    accountStatements: [],
    ...extra,
  }
}

type MergeOptions = { products?: Product[]; failed?: Product[]; at?: number }

function scopeOf(itemId: string, options: MergeOptions): MergeScope {
  return {
    itemId,
    clientId: 'merge-test',
    at: new Date(options.at ?? T0),
    products: options.products ?? [...PRODUCTS],
    failedProducts: options.failed ?? [],
    triggeredBy: 'SYNC',
    clientUserId: 'user-7',
    webhookUrl: null,
  }
}

async function merge(itemId: string, collected: CollectedData, options: MergeOptions = {}) {
  return withTransaction(db.pool, (client) => mergeCollected(client, scopeOf(itemId, options), collected))
}

async function stored(itemId: string) {
  const { rows } = await db.pool.query<{ id: string; description: string; date: Date; status: string; paymentData: unknown; account: string; updatedAt: Date }>(
    `select t.id, t.description, t.date, t.status, t.payment_data as "paymentData", a.provider_id as account, t.updated_at as "updatedAt"
     from transactions t join accounts a on a.id = t.account_id where t.item_id = $1 order by t.date, t.description, t.id`,
    [itemId],
  )
  return rows
}

describe('transactions without providerId: fingerprint of account, day, amount and description', () => {
  it('identical transactions on one day are distinct; re-merging changes nothing', async () => {
    const item = await newItem()
    const list = [tx(1, 'Coffee', -5), tx(1, 'coffee ', -5), tx(2, 'Coffee', -5)]
    const first = await merge(item, data(list))
    expect(first.transactions).toEqual({ created: 3, updated: 0, deleted: 0 })
    const again = await merge(item, data(list), { at: T0 + 1000 })
    expect(again.transactions).toEqual({ created: 0, updated: 0, deleted: 0 })
    expect(again.events).toEqual([])
  })

  it('a transaction whose date moved by up to 3 days keeps its id; further is another transaction', async () => {
    const item = await newItem()
    await merge(item, data([tx(10, 'Anchor', -1), tx(5, 'Card purchase', -42, { status: 'PENDING' }), tx(0, 'Anchor', -2)]))
    const [pending] = (await stored(item)).filter((t) => t.description === 'Card purchase')
    // Posted two days later, same amount and description: the same transaction.
    const posted = await merge(item, data([tx(10, 'Anchor', -1), tx(3, 'Card purchase', -42), tx(0, 'Anchor', -2)]), { at: T0 + 1000 })
    expect(posted.transactions).toEqual({ created: 0, updated: 1, deleted: 0 })
    const [now] = (await stored(item)).filter((t) => t.description === 'Card purchase')
    expect(now).toMatchObject({ id: pending.id, status: 'POSTED' })
    expect(now.date.toISOString()).toBe(new Date(T0 - 3 * DAY_MS).toISOString().slice(0, 10) + 'T00:00:00.000Z')
    // Six days away: not the same one — the old one is deleted (inside the window), a new one created.
    const moved = await merge(item, data([tx(10, 'Anchor', -1), tx(9, 'Card purchase', -42), tx(0, 'Anchor', -2)]), { at: T0 + 2000 })
    expect(moved.transactions).toEqual({ created: 1, updated: 0, deleted: 1 })
    expect((await stored(item)).filter((t) => t.description === 'Card purchase').map((t) => t.id)).not.toContain(pending.id)
  })
})

describe('the window and failed products', () => {
  it('only transactions inside the collected window that disappeared are deleted', async () => {
    const item = await newItem()
    await merge(item, data([tx(30, 'Old', -1, { providerId: 'p-old' }), tx(10, 'Mid', -1, { providerId: 'p-mid' }), tx(2, 'New', -1, { providerId: 'p-new' })]))
    // The institution now lists only the last 15 days, and 'Mid' was cancelled.
    const result = await merge(item, data([tx(12, 'Other', -3, { providerId: 'p-other' }), tx(2, 'New', -1, { providerId: 'p-new' })]), { at: T0 + 1000 })
    expect(result.transactions).toEqual({ created: 1, updated: 0, deleted: 1 })
    expect((await stored(item)).map((t) => t.description)).toEqual(['Old', 'Other', 'New'])
    const deleted = result.events.filter((e) => e.type === 'transactions/deleted')
    expect(deleted).toHaveLength(1)
    expect(deleted[0].payload).toMatchObject({ itemId: item, triggeredBy: 'SYNC', clientUserId: 'user-7', transactionIds: [expect.any(String)] })
  })

  it('the window reaches the day of the collection: a pending transaction newer than all others, dropped by the bank, is deleted', async () => {
    const item = await newItem()
    await merge(item, data([tx(5, 'Rent', -900, { providerId: 'p-rent' }), tx(0, 'Card hold', -42, { providerId: 'p-hold', status: 'PENDING' })]))
    // The hold was released: the bank lists only the older transaction, whose day ends the collected dates.
    const result = await merge(item, data([tx(5, 'Rent', -900, { providerId: 'p-rent' })]), { at: T0 + 1000 })
    expect(result.transactions).toEqual({ created: 0, updated: 0, deleted: 1 })
    expect((await stored(item)).map((t) => t.description)).toEqual(['Rent'])
  })

  it('a failed product leaves its accounts and their transactions as they were, even if transactions came back', async () => {
    const item = await newItem()
    const card = (d: number, p: string) => tx(d, 'Card', -9, { accountProviderId: 'card-1', providerId: p })
    await merge(item, data([tx(3, 'Bank', -1, { providerId: 'b1' }), card(3, 'c1'), card(2, 'c2')]))
    const before = await stored(item)
    // CREDIT_CARDS failed: the card is not in this execution's accounts; a stray card transaction is ignored.
    const result = await merge(item, data([tx(3, 'Bank', -1, { providerId: 'b1' }), card(2, 'c2')], { creditCards: [] }), { failed: ['CREDIT_CARDS'], at: T0 + 1000 })
    expect(result.transactions).toEqual({ created: 0, updated: 0, deleted: 0 })
    expect(await stored(item)).toEqual(before)
  })

  it('payment data follows PAYMENT_DATA: applied when collected, kept when it failed, absent when not requested', async () => {
    const item = await newItem()
    const pix = { paymentMethod: 'PIX' as const, reason: 'Rent' }
    const list = [tx(1, 'PIX', -50, { providerId: 'x1' })]
    await merge(item, data(list, { paymentData: [{ transactionProviderId: 'x1', paymentData: pix }] }))
    expect((await stored(item))[0].paymentData).toEqual(pix)
    // Failed: the stored payment data stays; the rest of the transaction is still merged.
    const failed = await merge(item, data([tx(1, 'PIX renamed', -50, { providerId: 'x1' })]), { failed: ['PAYMENT_DATA'], at: T0 + 1000 })
    expect(failed.transactions.updated).toBe(1)
    expect((await stored(item))[0]).toMatchObject({ description: 'PIX renamed', paymentData: pix })
    // Keys in another order are the same data: nothing to update.
    const reordered = await merge(
      item,
      data([tx(1, 'PIX renamed', -50, { providerId: 'x1' })], { paymentData: [{ transactionProviderId: 'x1', paymentData: { reason: 'Rent', paymentMethod: 'PIX' } }] }),
      { at: T0 + 2000 },
    )
    expect(reordered.transactions.updated).toBe(0)
    // Collected without TRANSACTIONS: it still reaches the stored transaction.
    const alone = await merge(item, data([], { paymentData: [{ transactionProviderId: 'x1', paymentData: { ...pix, reason: 'Gift' } }] }), { products: ['ACCOUNTS', 'PAYMENT_DATA'], at: T0 + 3000 })
    expect(alone.transactions.updated).toBe(1)
    expect((await stored(item))[0].paymentData).toEqual({ ...pix, reason: 'Gift' })
    // Not requested on a new item: transactions carry none.
    const other = await newItem()
    await merge(other, data([tx(1, 'PIX', -50, { providerId: 'x1', paymentData: pix })]), { products: ['ACCOUNTS', 'TRANSACTIONS'] })
    expect((await stored(other))[0].paymentData).toBeNull()
  })

  it('the same transaction listed twice is stored once; two accounts with one providerId fail the merge', async () => {
    const item = await newItem()
    const result = await merge(item, data([tx(1, 'Twice', -1, { providerId: 'dup' }), tx(1, 'Twice', -1, { providerId: 'dup' })]))
    expect(result.transactions.created).toBe(1)
    await expect(merge(item, data([], { accounts: [CHECKING, { ...CHECKING, name: 'Other' }] }))).rejects.toThrow()
  })

  it('a collected product that is not a list fails the merge', async () => {
    const item = await newItem()
    await expect(merge(item, data([], { accounts: undefined as never }))).rejects.toThrow(/accounts that are not a list/)
    await expect(merge(item, data([], { identity: undefined }))).rejects.toThrow(/no identity/)
    // Not requested: absent is fine.
    await expect(merge(item, data([], { identity: undefined }), { products: ['ACCOUNTS'] })).resolves.toMatchObject({ identity: null })
  })

  it('updated and deleted ids are reported at most TRANSACTION_IDS_PER_EVENT per event; created once per account', async () => {
    const item = await newItem()
    const many = Array.from({ length: TRANSACTION_IDS_PER_EVENT + 5 }, (_, i) => tx(i % 20, `T${i}`, -1, { providerId: `m${i}`, status: 'PENDING' }))
    const first = await merge(item, data(many))
    expect(first.events.map((e) => e.type)).toEqual(['transactions/created'])
    const posted = await merge(item, data(many.map((t) => ({ ...t, status: 'POSTED' as const }))), { at: T0 + 1000 })
    expect(posted.events.map((e) => [e.type, (e.payload.transactionIds as string[]).length])).toEqual([
      ['transactions/updated', TRANSACTION_IDS_PER_EVENT],
      ['transactions/updated', 5],
    ])
    const { rows } = await db.pool.query(`select count(*)::int as n from events where item_id = $1 and type like 'transactions/%'`, [item])
    expect(rows[0].n).toBe(3)
  })
})

describe('other products', () => {
  it('investments, identity and opportunities keep their ids; offers no longer made are removed', async () => {
    const item = await newItem()
    const investment = { providerId: 'inv-1', name: 'CDB', type: 'FIXED_INCOME' as const, balance: 1000, currencyCode: 'BRL', date: '2025-06-01' }
    const movement = { investmentProviderId: 'inv-1', type: 'BUY' as const, amount: 1000, date: '2025-01-02' }
    const identity = { fullName: 'Ana Lima', birthDate: '1990-04-05', emails: [{ value: 'ana@example.com' }] }
    const offer = (id: string) => ({ providerId: id, name: id, type: 'PERSONAL_LOAN' as const, date: '2025-06-01' })
    const full = data([], { investments: [investment], investmentTransactions: [movement, movement], identity, opportunities: [offer('o1'), offer('o2')] })
    const first = await merge(item, full)
    expect(first).toMatchObject({ investments: { created: 1 }, investmentTransactions: { created: 2 }, identity: 'created', opportunities: { created: 2 } })
    const again = await merge(item, full, { at: T0 + 1000 })
    expect(again).toMatchObject({ investments: { created: 0, updated: 0 }, investmentTransactions: { created: 0, updated: 0 }, identity: null, opportunities: { created: 0, updated: 0, deleted: 0 } })
    const changed = await merge(item, { ...full, investments: [{ ...investment, balance: 1010 }], identity: { ...identity, fullName: 'Ana B. Lima' }, opportunities: [offer('o2')] }, { at: T0 + 2000 })
    expect(changed).toMatchObject({ investments: { updated: 1 }, identity: 'updated', opportunities: { deleted: 1 } })
    const { rows } = await db.pool.query(`select (select count(*)::int from identities where item_id = $1) as identities, (select count(*)::int from opportunities where item_id = $1) as offers`, [
      item,
    ])
    expect(rows[0]).toEqual({ identities: 1, offers: 1 })
  })

  it('event payloads read triggeredBy, clientUserId and webhookUrl from the item when the scope lacks them', async () => {
    const item = await newItem()
    const execution = randomUUID()
    await db.pool.query(
      `insert into executions (id, item_id, client_id, connector_id, status, triggered_by, steps, products, deadline_at, created_at) values ($1, $2, 'merge-test', 0, 'MERGING', 'USER', '[]', '{}', now(), now())`,
      [execution, item],
    )
    await db.pool.query(`update items set current_execution_id = $2, client_user_id = 'u-1', webhook_url = 'https://example.com/hook' where id = $1`, [item, execution])
    const scope: MergeScope = { itemId: item, clientId: 'merge-test', at: new Date(T0), products: [...PRODUCTS], failedProducts: [] }
    const result = await withTransaction(db.pool, (client) => mergeCollected(client, scope, data([tx(1, 'X', -1)])))
    expect(result.events[0]).toMatchObject({ itemWebhookUrl: 'https://example.com/hook', payload: { triggeredBy: 'USER', clientUserId: 'u-1' } })
  })
})

describe('several items in one merge', () => {
  // Each case: two rounds of collected data for one item (the second adds, changes, moves and drops).
  const pix = { paymentMethod: 'PIX' as const, reason: 'Rent' }
  const offer = (id: string) => ({ providerId: id, name: id, type: 'PERSONAL_LOAN' as const, date: '2025-06-01' })
  const cases: [CollectedData, MergeOptions, CollectedData, MergeOptions][] = [
    [
      data([tx(5, 'Shop', -42, { status: 'PENDING' }), tx(5, 'Shop', -42), tx(2, 'Salary', 900, { providerId: 's1' })], { paymentData: [{ transactionProviderId: 's1', paymentData: pix }] }),
      {},
      data([tx(3, 'Shop', -42), tx(5, 'Shop', -42), tx(1, 'New', -1, { providerId: 'n1' })], { opportunities: [offer('o1')] }),
      { at: T0 + 1000, failed: ['PAYMENT_DATA'] },
    ],
    [
      data([tx(4, 'Rent', -500, { providerId: 'r1' }), tx(4, 'Card', -9, { accountProviderId: 'card-1', providerId: 'c1' })], { opportunities: [offer('o1'), offer('o2')] }),
      { products: ['ACCOUNTS', 'CREDIT_CARDS', 'TRANSACTIONS', 'OPPORTUNITIES'] },
      data([tx(4, 'Rent', -500, { providerId: 'r1' })], { paymentData: [{ transactionProviderId: 'r1', paymentData: pix }], opportunities: [offer('o2')] }),
      { at: T0 + 2000 },
    ],
    [data([]), { failed: ['TRANSACTIONS'] }, data([], { paymentData: [{ transactionProviderId: 'x', paymentData: pix }] }), { products: ['ACCOUNTS', 'PAYMENT_DATA'], at: T0 + 3000 }],
    // No transaction stored before the second round: written without a plan, beside planned ones.
    [data([tx(1, 'Later', -1)]), { failed: ['TRANSACTIONS'] }, data([tx(1, 'Later', -1), tx(1, 'Later', -1)]), { at: T0 + 4000 }],
  ]

  /** What an item holds, without its ids (which differ between items). */
  async function holdings(itemId: string): Promise<{ transactions: Omit<Awaited<ReturnType<typeof stored>>[number], 'id'>[]; [count: string]: unknown }> {
    // Ordered by content: rows alike but for their (random) ids must not be ordered by them.
    const transactions = (await stored(itemId)).map(({ id: _id, ...rest }) => rest).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1))
    const { rows } = await db.pool.query(
      `select (select count(*)::int from accounts where item_id = $1) as accounts, (select count(*)::int from opportunities where item_id = $1) as offers,
         (select count(*)::int from identities where item_id = $1) as identities`,
      [itemId],
    )
    return { transactions, ...rows[0] }
  }
  const withoutIds = (result: Awaited<ReturnType<typeof merge>>) => ({ ...result, events: result.events.map((e) => [e.type, (e.payload.transactionIds as string[] | undefined)?.length]) })

  it('stores and reports for each item what merging it alone does', async () => {
    const alone = await Promise.all(cases.map(() => newItem()))
    const together = await Promise.all(cases.map(() => newItem()))
    for (const round of [0, 1]) {
      const aloneResults = []
      for (const [i, c] of cases.entries()) aloneResults.push(await merge(alone[i], c[round * 2] as CollectedData, c[round * 2 + 1] as MergeOptions))
      const togetherResults = await withTransaction(db.pool, (client) =>
        mergeCollectedMany(
          client,
          cases.map((c, i) => ({ scope: scopeOf(together[i], c[round * 2 + 1] as MergeOptions), collected: c[round * 2] as CollectedData })),
        ),
      )
      expect(togetherResults.map(withoutIds)).toEqual(aloneResults.map(withoutIds))
      for (const [i] of cases.entries()) expect(await holdings(together[i])).toEqual(await holdings(alone[i]))
    }
    // The rounds did change data: an update, a move within tolerance, a deletion and new rows.
    const second = await holdings(together[0])
    expect(second.transactions.map((t) => t.description).sort()).toEqual(['New', 'Shop', 'Shop'])
  })

  it('one entry per item', async () => {
    const item = await newItem()
    const entry = { scope: scopeOf(item, {}), collected: data([]) }
    await expect(withTransaction(db.pool, (client) => mergeCollectedMany(client, [entry, entry]))).rejects.toThrow(/one entry per item/)
  })
})
