import { PluggyClient } from 'pluggy-sdk'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { loadConfig } from '../src/config.ts'
import { startTributary } from '../src/main.ts'
import { PENDING_DAYS, SLOT_EVERY, dayNumber } from '../src/connectors/sandbox/sandbox-data.ts'
import { systemClock, type Clock } from '../src/time/clock.ts'
import { CLIENT, OTHER_CLIENT, isFinished, startTestEngine, type Reply, type TestEngine } from './support/harness.ts'

// Several executions per test, on a machine that may be busy: generous time, never a speed assertion.
vi.setConfig({ testTimeout: 240_000 })

// SPEC §2.7 (a failed product leaves its data), §2.8 (merging), §3.4 (data endpoints),
// §3.5 (transactions/* payloads), §4 (sandbox data moving with time), §4a.6, §4a.10, §4a.11.

const DAY_MS = 86_400_000
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

/** The engine's clock, moved forward by whole days so that the sandbox data moves with it. */
class TestClock implements Clock {
  private offsetMs = 0
  now(): Date {
    return new Date(Date.now() + this.offsetMs)
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return systemClock.sleep(ms, signal)
  }
  setTimeout(callback: () => void, ms: number) {
    return systemClock.setTimeout(callback, ms)
  }
  setInterval(callback: () => void, ms: number) {
    return systemClock.setInterval(callback, ms)
  }
  advanceDays(days: number): void {
    this.offsetMs += days * DAY_MS
  }
  /** Moves to the same time of day on `day` (days since the epoch, UTC). */
  setDay(day: number): void {
    this.offsetMs += (day - dayNumber(this.now())) * DAY_MS
  }
}

/**
 * The sandbox cancels one slot in ten: it shows while pending and disappears once it would have
 * posted. Start the clock SLOT_EVERY days after such a slot, so that the first execution sees it
 * pending, together with an older pending slot that will post.
 */
function cancelledSlotAfter(day: number): number {
  for (let d = day; ; d++) if (d % SLOT_EVERY === 0 && Math.floor(d / SLOT_EVERY) % 10 === 7) return d
}

const clock = new TestClock()
clock.setDay(cancelledSlotAfter(dayNumber(new Date()) + 1) + SLOT_EVERY)

let engine: TestEngine
let apiKey: string
beforeAll(async () => {
  // No auto-sync while the clock jumps days ahead: every execution here is started by the test.
  engine = await startTestEngine({ TRIBUTARY_AUTO_SYNC_INTERVAL_SECONDS: String(10 * 365 * 86_400) }, { clock })
  apiKey = await engine.apiKey()
})
afterAll(() => engine?.stop())

const OK = { user: 'user-ok', password: 'password-ok' }

async function get<T = any>(url: string, key = apiKey): Promise<T> {
  const reply = await engine.request('GET', url, { apiKey: key })
  expect(reply.status, `${url}: ${JSON.stringify(reply.body)}`).toBe(200)
  return reply.body
}

/** The error shape of SPEC §3 with the given status and code. */
function expectError(reply: Reply, status: number, codeDescription: string) {
  expect(reply.status, JSON.stringify(reply.body)).toBe(status)
  expect(reply.body).toMatchObject({ code: status, codeDescription })
  expect(reply.body.message).toMatch(/\w+ \w+/)
}

async function createItem(body: Record<string, unknown>): Promise<any> {
  const created = await engine.createItem(apiKey, { connectorId: 0, ...body })
  return engine.waitForItem(apiKey, created.id, isFinished, 120_000)
}

/** PATCH /items/{id} and wait for that new execution to finish. */
async function update(itemId: string, body: Record<string, unknown> = {}): Promise<any> {
  const before = (await engine.executions(apiKey, itemId)).length
  const reply = await engine.request('PATCH', `/items/${itemId}`, { apiKey, body })
  expect(reply.status, JSON.stringify(reply.body)).toBe(200)
  const item = await engine.waitForItem(apiKey, itemId, isFinished, 120_000)
  expect(await engine.executions(apiKey, itemId)).toHaveLength(before + 1)
  return item
}

async function accountsOf(itemId: string): Promise<any[]> {
  return (await get(`/accounts?itemId=${itemId}&pageSize=500`)).results
}

/** Every transaction of an account through the page endpoint, newest first. */
async function transactionsOf(accountId: string): Promise<any[]> {
  const out: any[] = []
  for (let pageNumber = 1; ; pageNumber++) {
    const body = await get(`/transactions?accountId=${accountId}&pageSize=500&page=${pageNumber}`)
    out.push(...body.results)
    if (pageNumber >= body.totalPages) return out
  }
}

/** Every transaction of an item, keyed by id. */
async function transactionsOfItem(itemId: string): Promise<Map<string, any>> {
  const all = new Map<string, any>()
  for (const account of await accountsOf(itemId)) for (const t of await transactionsOf(account.id)) all.set(t.id, t)
  return all
}

/** The transactions/* events of an item, in outbox order (the events API is not part of this file). */
async function transactionEvents(itemId: string): Promise<{ type: string; payload: any }[]> {
  const { rows } = await engine.tributary.db.pool.query<{ type: string; payload: any }>(`select type, payload from events where item_id = $1 and type like 'transactions/%' order by seq`, [itemId])
  return rows
}

/** Everything stored for an item, as the API shows it. */
async function snapshot(itemId: string) {
  const accounts = await accountsOf(itemId)
  const transactions = await transactionsOfItem(itemId)
  const investments: any[] = (await get(`/investments?itemId=${itemId}&pageSize=500`)).results
  const movements: any[] = []
  for (const investment of investments) movements.push(...(await get(`/investments/${investment.id}/transactions?pageSize=500`)).results)
  const identity = await engine.request('GET', `/identity?itemId=${itemId}`, { apiKey })
  const opportunities: any[] = (await get(`/opportunities?itemId=${itemId}&pageSize=500`)).results
  return { accounts, transactions: [...transactions.values()].sort((a, b) => a.id.localeCompare(b.id)), investments, movements, identity: identity.body, opportunities }
}

describe('after user-ok every product is stored (SPEC §3.4)', () => {
  let item: any
  let data: Awaited<ReturnType<typeof snapshot>>
  beforeAll(async () => {
    item = await createItem({ parameters: OK })
    expect(item.executionStatus).toBe('SUCCESS')
    data = await snapshot(item.id)
  })

  it('bank accounts with bankData and a credit card with creditData', async () => {
    const bank = data.accounts.filter((a) => a.type === 'BANK')
    const credit = data.accounts.filter((a) => a.type === 'CREDIT')
    expect(bank.map((a) => a.subtype).sort()).toEqual(['CHECKING_ACCOUNT', 'SAVINGS_ACCOUNT'])
    expect(credit).toHaveLength(1)
    for (const account of data.accounts) {
      expect(Object.keys(account).sort()).toEqual(
        ['id', 'itemId', 'type', 'subtype', 'number', 'name', 'marketingName', 'balance', 'currencyCode', 'owner', 'taxNumber', 'bankData', 'creditData', 'createdAt', 'updatedAt'].sort(),
      )
      expect(account.itemId).toBe(item.id)
      expect(typeof account.balance).toBe('number')
      expect(account.createdAt).toMatch(ISO_MS)
      expect(await get(`/accounts/${account.id}`)).toEqual(account)
    }
    expect(bank[0].bankData).toMatchObject({ transferNumber: expect.any(String), closingBalance: expect.any(Number) })
    expect(credit[0].creditData).toMatchObject({ brand: 'MASTERCARD', creditLimit: expect.any(Number), availableCreditLimit: expect.any(Number) })
    expect((await get(`/accounts?itemId=${item.id}&type=CREDIT`)).results.map((a: any) => a.id)).toEqual([credit[0].id])
    expect((await get(`/accounts?itemId=${item.id}&type=BANK`)).total).toBe(2)
  })

  it('transactions: paymentData on transfers, creditCardMetadata on card purchases, some pending', async () => {
    const all = data.transactions
    expect(all.length).toBeGreaterThan(20)
    const card = data.accounts.find((a) => a.type === 'CREDIT')
    const cardTransactions = all.filter((t) => t.accountId === card.id)
    expect(cardTransactions.length).toBeGreaterThan(0)
    for (const t of cardTransactions) expect(t.creditCardMetadata).toEqual(expect.any(Object))
    // Purchases charged on a closed bill name it; the open cycle's are not charged yet.
    expect(cardTransactions.some((t) => t.creditCardMetadata.installmentNumber && typeof t.creditCardMetadata.billId === 'string')).toBe(true)
    const pix = all.filter((t) => t.description.startsWith('PIX '))
    expect(pix.length).toBeGreaterThan(0)
    for (const t of pix) expect(t.paymentData).toMatchObject({ paymentMethod: 'PIX', payer: expect.any(Object), receiver: expect.any(Object) })
    expect(all.some((t) => t.status === 'PENDING')).toBe(true)
    expect(all.some((t) => t.status === 'POSTED')).toBe(true)
    const sample = all[0]
    // providerCode, paymentData and merchant are absent when unknown: the reference client declares them optional, not nullable.
    const always = [
      'id',
      'accountId',
      'date',
      'description',
      'descriptionRaw',
      'currencyCode',
      'amount',
      'amountInAccountCurrency',
      'balance',
      'category',
      'categoryId',
      'providerId',
      'status',
      'type',
      'operationType',
      'operationTypeAdditionalInfo',
      'creditCardMetadata',
      'createdAt',
      'updatedAt',
    ]
    for (const t of all) {
      expect(
        Object.keys(t)
          .filter((key) => !always.includes(key))
          .every((key) => ['providerCode', 'paymentData', 'merchant'].includes(key)),
      ).toBe(true)
      expect(always.every((key) => key in t)).toBe(true)
    }
    expect(typeof sample.amount).toBe('number')
    expect(sample.date).toMatch(ISO_MS)
    expect(await get(`/transactions/${sample.id}`)).toEqual(sample)
    // Newest first.
    const checking = data.accounts.find((a) => a.subtype === 'CHECKING_ACCOUNT')
    const dates = (await transactionsOf(checking.id)).map((t) => t.date)
    expect(dates).toEqual([...dates].sort().reverse())
  })

  it('investments with their transactions, identity, opportunities', async () => {
    expect(data.investments.map((i) => i.type).sort()).toEqual(['EQUITY', 'FIXED_INCOME', 'MUTUAL_FUND'])
    for (const investment of data.investments) {
      expect(investment).toMatchObject({ itemId: item.id, balance: expect.any(Number), currencyCode: 'BRL', date: expect.stringMatching(ISO_MS) })
      expect(await get(`/investments/${investment.id}`)).toEqual(investment)
    }
    expect((await get(`/investments?itemId=${item.id}&type=EQUITY`)).results).toHaveLength(1)
    expect(data.movements.length).toBeGreaterThanOrEqual(5)
    for (const m of data.movements) expect(m).toMatchObject({ investmentId: expect.any(String), type: expect.any(String), amount: expect.any(Number), date: expect.stringMatching(ISO_MS) })

    expect(data.identity).toMatchObject({ itemId: item.id, fullName: expect.any(String), documentType: 'CPF', birthDate: expect.stringMatching(ISO_MS) })
    expect(data.identity.emails.length).toBeGreaterThan(0)
    expect(data.identity.addresses[0]).toMatchObject({ city: expect.any(String) })
    expect(await get(`/identity/${data.identity.id}`)).toEqual(data.identity)

    expect(data.opportunities).toHaveLength(2)
    for (const o of data.opportunities) expect(o).toMatchObject({ itemId: item.id, type: expect.any(String), totalLimit: expect.any(Number), date: expect.stringMatching(ISO_MS) })
  })

  it('one transactions/created per account, whose link lists exactly the created transactions', async () => {
    const events = await transactionEvents(item.id)
    expect(events.every((e) => e.type === 'transactions/created')).toBe(true)
    const withTransactions = new Set(data.transactions.map((t) => t.accountId))
    expect(events.map((e) => e.payload.accountId).sort()).toEqual([...withTransactions].sort())
    for (const { payload } of events) {
      expect(payload).toMatchObject({ event: 'transactions/created', itemId: item.id, triggeredBy: 'CLIENT', clientUserId: null })
      expect(payload.transactionsCreatedAtFrom).toMatch(ISO_MS)
      expect(payload.createdTransactionsLink).toBe(`/v2/transactions?accountId=${payload.accountId}&createdAtFrom=${payload.transactionsCreatedAtFrom}`)
      const linked = await get(payload.createdTransactionsLink)
      expect(linked.next).toBeNull()
      expect(linked.results.map((t: any) => t.id).sort()).toEqual(
        data.transactions
          .filter((t) => t.accountId === payload.accountId)
          .map((t) => t.id)
          .sort(),
      )
    }
  })

  it('a second execution the same day brings what happened since: new transactions, the pending ones posted, balances that add up (SPEC §7.6)', async () => {
    // An item of its own: the other tests of this block read the shared one as it was first collected.
    const item = await createItem({ parameters: OK })
    const data = await snapshot(item.id)
    const eventsBefore = await transactionEvents(item.id)
    const updated = await update(item.id)
    expect(updated.executionStatus).toBe('SUCCESS')
    const after = await snapshot(item.id)
    const { accounts, transactions, ...rest } = after
    expect(rest).toEqual({ investments: data.investments, movements: data.movements, identity: data.identity, opportunities: data.opportunities })
    expect(accounts.map((a) => a.id)).toEqual(data.accounts.map((a) => a.id))
    const before = new Map(data.transactions.map((t) => [t.id, t]))
    const created = transactions.filter((t) => !before.has(t.id))
    const posted = transactions.filter((t) => before.get(t.id)?.status === 'PENDING' && t.status === 'POSTED')
    expect(created.length).toBeGreaterThan(0)
    expect(posted.length).toBeGreaterThan(0)
    const events = (await transactionEvents(item.id)).slice(eventsBefore.length)
    const updatedIds = events.filter((e) => e.type === 'transactions/updated').flatMap((e) => e.payload.transactionIds)
    for (const t of posted) expect(updatedIds).toContain(t.id)
    expect(events.some((e) => e.type === 'transactions/created')).toBe(true)
    // The checking account's booked balance moved by exactly what posted.
    const checking = (list: any[]) => list.find((a) => a.subtype === 'CHECKING_ACCOUNT')
    const newlyPosted = transactions.filter((t) => t.accountId === checking(accounts).id && t.status === 'POSTED' && before.get(t.id)?.status !== 'POSTED')
    const moved = newlyPosted.reduce((sum, t) => sum + t.amount, 0)
    expect(checking(accounts).bankData.closingBalance).toBeCloseTo(checking(data.accounts).bankData.closingBalance + moved, 2)
  })
})

describe('data that moves with time (SPEC §2.8, §4)', () => {
  it('pending → posted keeps its id; a cancelled one is deleted and reported; new ones are created', async () => {
    // The first day that fits from where the tests before this one left the clock (today when none moved it).
    const cancelledDay = cancelledSlotAfter(dayNumber(clock.now()) - SLOT_EVERY)
    clock.setDay(cancelledDay + SLOT_EVERY)
    const item = await createItem({ parameters: { ...OK, user: 'user-ok-perf-1' } })
    expect(item.executionStatus).toBe('SUCCESS')
    const before = await transactionsOfItem(item.id)
    const day = (t: any) => dayNumber(new Date(t.date))
    const today = dayNumber(clock.now())
    const pendingToPost = [...before.values()].filter((t) => t.status === 'PENDING' && today - day(t) >= PENDING_DAYS - SLOT_EVERY)
    const cancelled = [...before.values()].filter((t) => day(t) === cancelledDay)
    expect(pendingToPost.length).toBeGreaterThan(0)
    expect(cancelled.length).toBeGreaterThan(0)
    expect(cancelled.every((t) => t.status === 'PENDING')).toBe(true)

    clock.advanceDays(2 * SLOT_EVERY)
    apiKey = await engine.apiKey() // the old key expired with the jump
    expect((await update(item.id)).executionStatus).toBe('SUCCESS')
    const after = await transactionsOfItem(item.id)

    for (const t of pendingToPost) {
      expect(after.get(t.id), `${t.providerId} posted under the same id`).toMatchObject({ id: t.id, providerId: t.providerId, status: 'POSTED', createdAt: t.createdAt })
      expect(Date.parse(after.get(t.id).updatedAt)).toBeGreaterThan(Date.parse(t.updatedAt))
    }
    for (const t of cancelled) expect(after.has(t.id)).toBe(false)
    const created = [...after.values()].filter((t) => !before.has(t.id))
    expect(created.length).toBeGreaterThan(0)
    // Transactions that left the 90-day window are history, not deletions: they stay.
    const oldest = Math.min(...[...before.values()].map(day))
    expect([...after.values()].some((t) => day(t) === oldest)).toBe(true)

    const events = await transactionEvents(item.id)
    const ofType = (type: string) => events.filter((e) => e.type === type)
    const deletedIds = ofType('transactions/deleted').flatMap((e) => e.payload.transactionIds)
    expect(deletedIds.sort()).toEqual(cancelled.map((t) => t.id).sort())
    const updatedIds = ofType('transactions/updated').flatMap((e) => e.payload.transactionIds)
    for (const t of pendingToPost) expect(updatedIds).toContain(t.id)
    const changedIds = [...after.values()].filter((t) => before.has(t.id) && t.updatedAt !== before.get(t.id).updatedAt).map((t) => t.id)
    expect(updatedIds.sort()).toEqual(changedIds.sort())
    for (const e of [...ofType('transactions/updated'), ...ofType('transactions/deleted')]) {
      expect(e.payload).toMatchObject({ itemId: item.id, accountId: expect.any(String), triggeredBy: 'CLIENT' })
    }
    // The second execution's transactions/created links to exactly the new transactions.
    const createdEvents = ofType('transactions/created').slice(-new Set(created.map((t) => t.accountId)).size)
    const linked = []
    for (const e of createdEvents) linked.push(...(await get(e.payload.createdTransactionsLink)).results.map((t: any) => t.id))
    expect(linked.sort()).toEqual(created.map((t) => t.id).sort())

    // And the same day again: only what happened since — the institution's newest movements and
    // the previous sync's, posted; everything else as it was.
    expect((await update(item.id)).executionStatus).toBe('SUCCESS')
    const again = await transactionsOfItem(item.id)
    for (const t of again.values()) if (JSON.stringify(t) !== JSON.stringify(after.get(t.id))) expect(t.providerId).toMatch(/-(live|hold)-/)
    for (const [id, t] of after) if (!again.has(id)) expect(t.providerId).toMatch(/-hold-/)
  })

  it('a v2 cursor walk returns every transaction exactly once while an execution merges new data mid-walk', async () => {
    const item = await createItem({ parameters: { ...OK, user: 'user-ok-perf-4' } })
    const checking = (await accountsOf(item.id)).find((a) => a.subtype === 'CHECKING_ACCOUNT')
    const before = new Set((await transactionsOf(checking.id)).map((t) => t.id))
    expect(before.size).toBeGreaterThan(30)

    const seen: string[] = []
    let url: string | null = `/v2/transactions?accountId=${checking.id}&pageSize=7`
    let pages = 0
    let merged = false
    while (url) {
      const body: { results: any[]; next: string | null } = await get(url)
      expect(body.results.length).toBeLessThanOrEqual(7)
      seen.push(...body.results.map((t) => t.id))
      url = body.next
      if (url) {
        expect(url).toMatch(/^\/v2\/transactions\?accountId=[0-9a-f-]+&pageSize=7&after=[A-Za-z0-9_-]+$/)
      }
      if (++pages === 2) {
        // Mid-walk: time passes, an execution posts, deletes and creates transactions.
        clock.advanceDays(2 * SLOT_EVERY)
        apiKey = await engine.apiKey()
        await update(item.id)
        merged = true
      }
    }
    expect(merged).toBe(true)
    const after = new Set((await transactionsOf(checking.id)).map((t) => t.id))
    expect([...after].some((id) => !before.has(id))).toBe(true)
    expect(new Set(seen).size).toBe(seen.length)
    for (const id of after) expect(seen).toContain(id)
    for (const id of seen) expect(before.has(id) || after.has(id)).toBe(true)
  })
})

describe('a failed or unrequested product leaves its data untouched (SPEC §2.7, §2.2)', () => {
  it('PARTIAL_SUCCESS (credit cards failed) leaves the stored credit card and its transactions as they were', async () => {
    const item = await createItem({ parameters: OK })
    const card = (await accountsOf(item.id)).find((a) => a.type === 'CREDIT')
    const cardTransactions = await transactionsOf(card.id)
    expect(cardTransactions.length).toBeGreaterThan(0)
    const events = await transactionEvents(item.id)

    const partial = await update(item.id, { parameters: { user: 'user-ok-account-error' } })
    expect(partial.executionStatus).toBe('PARTIAL_SUCCESS')
    expect(partial.statusDetail.creditCards.isUpdated).toBe(false)
    expect(await get(`/accounts/${card.id}`)).toEqual(card)
    expect(await transactionsOf(card.id)).toEqual(cardTransactions)
    const newEvents = (await transactionEvents(item.id)).slice(events.length)
    expect(newEvents.filter((e) => e.payload.accountId === card.id)).toEqual([])
    // The bank accounts the institution reported this time were merged.
    expect((await accountsOf(item.id)).filter((a) => a.type === 'BANK').length).toBeGreaterThan(2)
  })

  it('MERGE_ERROR changes nothing stored and reports nothing', async () => {
    const item = await createItem({ parameters: OK })
    const data = await snapshot(item.id)
    const events = await transactionEvents(item.id)
    const failed = await update(item.id, { parameters: { user: 'user-merge-error' } })
    expect(failed.executionStatus).toBe('MERGE_ERROR')
    expect(failed.error.code).toBe('MERGE_ERROR')
    expect(await snapshot(item.id)).toEqual(data)
    expect(await transactionEvents(item.id)).toEqual(events)
  })

  it('products ["ACCOUNTS", "TRANSACTIONS"] stores bank accounts and their transactions only', async () => {
    const item = await createItem({ parameters: OK, products: ['ACCOUNTS', 'TRANSACTIONS'] })
    expect(item.executionStatus).toBe('SUCCESS')
    const accounts = await accountsOf(item.id)
    expect(accounts.length).toBeGreaterThan(0)
    expect(accounts.every((a) => a.type === 'BANK')).toBe(true)
    const transactions = await transactionsOfItem(item.id)
    expect(transactions.size).toBeGreaterThan(0)
    // Payment data is its own product (PAYMENT_DATA), not requested here.
    for (const t of transactions.values()) expect(t.paymentData).toBeUndefined()
    expect((await get(`/investments?itemId=${item.id}`)).results).toEqual([])
    expect((await get(`/opportunities?itemId=${item.id}`)).results).toEqual([])
    expectError(await engine.request('GET', `/identity?itemId=${item.id}`, { apiKey }), 404, 'IDENTITY_NOT_FOUND')
  })

  it('many transactions (user-ok-perf-300) merge in batches and a re-run changes nothing', async () => {
    const item = await createItem({ parameters: { ...OK, user: 'user-ok-perf-300' } })
    expect(item.executionStatus).toBe('SUCCESS')
    const accounts = await accountsOf(item.id)
    let total = 0
    for (const a of accounts) total += (await get(`/transactions?accountId=${a.id}&pageSize=1`)).total
    expect(total).toBeGreaterThan(7_000)
    const events = await transactionEvents(item.id)
    expect((await update(item.id)).executionStatus).toBe('SUCCESS')
    // The re-run merges only what happened since: new movements, and the previous ones posted.
    const checking = accounts.find((a) => a.subtype === 'CHECKING_ACCOUNT')
    expect((await transactionEvents(item.id)).slice(events.length).map((e) => [e.type, e.payload.accountId])).toEqual([
      ['transactions/created', checking.id],
      ['transactions/updated', checking.id],
    ])
  })
})

describe('access, tenancy and validation (SPEC §3, §3.1, §4a.6, §4a.10)', () => {
  let item: any
  let ids: { account: string; transaction: string; investment: string; identity: string }
  beforeAll(async () => {
    item = await createItem({ parameters: OK })
    const data = await snapshot(item.id)
    ids = { account: data.accounts[0].id, transaction: data.transactions[0].id, investment: data.investments[0].id, identity: data.identity.id }
  })

  it('another client’s ids, unknown ids and non-UUIDs → 404 with the matching code', async () => {
    const other = await engine.apiKey(OTHER_CLIENT)
    const unknown = '00000000-0000-4000-8000-000000000000'
    const cases: [string, string][] = [
      [`/accounts?itemId=${item.id}`, 'ITEM_NOT_FOUND'],
      [`/investments?itemId=${item.id}`, 'ITEM_NOT_FOUND'],
      [`/identity?itemId=${item.id}`, 'ITEM_NOT_FOUND'],
      [`/opportunities?itemId=${item.id}`, 'ITEM_NOT_FOUND'],
      [`/accounts/${ids.account}`, 'ACCOUNT_NOT_FOUND'],
      [`/transactions?accountId=${ids.account}`, 'ACCOUNT_NOT_FOUND'],
      [`/v2/transactions?accountId=${ids.account}`, 'ACCOUNT_NOT_FOUND'],
      [`/transactions/${ids.transaction}`, 'TRANSACTION_NOT_FOUND'],
      [`/investments/${ids.investment}`, 'INVESTMENT_NOT_FOUND'],
      [`/investments/${ids.investment}/transactions`, 'INVESTMENT_NOT_FOUND'],
      [`/identity/${ids.identity}`, 'IDENTITY_NOT_FOUND'],
    ]
    for (const [url, code] of cases) {
      expectError(await engine.request('GET', url, { apiKey: other }), 404, code)
      for (const bad of [unknown, 'not-a-uuid']) {
        const id = url.includes('?') ? url.replace(/=[0-9a-f-]{36}/, `=${bad}`) : url.replace(/[0-9a-f-]{36}/, bad)
        expectError(await engine.request('GET', id, { apiKey }), 404, code)
      }
    }
  })

  it('pageSize above 500, bad dates, a bad cursor and missing filters → 400 with the error shape', async () => {
    const account = ids.account
    for (const url of [
      `/transactions?accountId=${account}&pageSize=501`,
      `/v2/transactions?accountId=${account}&pageSize=501`,
      `/accounts?itemId=${item.id}&pageSize=501`,
      `/transactions?accountId=${account}&from=yesterday`,
      `/transactions?accountId=${account}&to=2024-02-30`,
      `/v2/transactions?accountId=${account}&dateFrom=2024-13-01`,
      `/v2/transactions?accountId=${account}&createdAtFrom=soon`,
      `/v2/transactions?accountId=${account}&after=not-a-cursor`,
      `/transactions?accountId=${account}&from=2024-03-02&to=2024-03-01`,
      `/accounts?type=SAVINGS&itemId=${item.id}`,
      '/transactions',
      '/v2/transactions',
      '/accounts',
      '/identity',
    ]) {
      expectError(await engine.request('GET', url, { apiKey }), 400, 'VALIDATION_ERROR')
    }
    expect((await get(`/transactions?accountId=${account}&pageSize=500`)).results.length).toBeLessThanOrEqual(500)
  })

  it('from/to and dateFrom/dateTo count whole days, to inclusive; createdAtFrom filters by creation', async () => {
    const checking = (await accountsOf(item.id)).find((a) => a.subtype === 'CHECKING_ACCOUNT')
    const all = await transactionsOf(checking.id)
    const day = all[all.length - 1].date.slice(0, 10)
    const onDay = all
      .filter((t) => t.date.startsWith(day))
      .map((t) => t.id)
      .sort()
    expect(onDay.length).toBeGreaterThan(0)
    const byPage = (await get(`/transactions?accountId=${checking.id}&from=${day}&to=${day}`)).results.map((t: any) => t.id).sort()
    expect(byPage).toEqual(onDay)
    const byTime = (await get(`/transactions?accountId=${checking.id}&from=${day}T00:00:00.000Z&to=${day}T00:00:00.000Z`)).results.map((t: any) => t.id).sort()
    expect(byTime).toEqual(onDay)
    const byCursor = (await get(`/v2/transactions?accountId=${checking.id}&dateFrom=${day}&dateTo=${day}`)).results.map((t: any) => t.id).sort()
    expect(byCursor).toEqual(onDay)
    const later = new Date(clock.now().getTime() + DAY_MS).toISOString()
    expect((await get(`/v2/transactions?accountId=${checking.id}&createdAtFrom=${later}`)).results).toEqual([])
  })

  it('a connect token reads its item’s accounts in reduced form, and nothing else', async () => {
    const token = (await engine.request('POST', '/connect_token', { apiKey, body: { itemId: item.id } })).body.accessToken
    expect(token).toEqual(expect.any(String))
    const reduced = await get(`/accounts?itemId=${item.id}`, token)
    const full = await accountsOf(item.id)
    expect(reduced.results).toHaveLength(full.length)
    for (const [i, account] of reduced.results.entries()) {
      expect(Object.keys(account).sort()).toEqual(['currencyCode', 'id', 'itemId', 'name', 'number', 'subtype', 'type'])
      expect(account.id).toBe(full[i].id)
      expect(account.number.slice(-4)).toBe(full[i].number.slice(-4))
      // A card's number is its last four digits (the reference's form): nothing to hide.
      if (full[i].number.length > 4) expect(account.number).not.toBe(full[i].number)
      expect(account.number.replace(/[^0-9A-Za-z]/g, '').slice(0, -4)).toMatch(/^\**$/)
    }
    // Bound to the item: it may also omit itemId.
    expect((await get('/accounts', token)).total).toBe(full.length)
    const otherItem = await createItem({ parameters: OK })
    expectError(await engine.request('GET', `/accounts?itemId=${otherItem.id}`, { apiKey: token }), 403, 'FORBIDDEN_FOR_CONNECT_TOKEN')
    // A token without an item reads the accounts of the items it created.
    const creator = (await engine.request('POST', '/connect_token', { apiKey, body: {} })).body.accessToken
    const own = await engine.request('POST', '/items', { apiKey: creator, body: { connectorId: 0, parameters: OK } })
    expect(own.status).toBe(200)
    await engine.waitForItem(apiKey, own.body.id, isFinished, 120_000)
    expect((await get(`/accounts?itemId=${own.body.id}`, creator)).total).toBeGreaterThan(0)
    expectError(await engine.request('GET', `/accounts?itemId=${item.id}`, { apiKey: creator }), 403, 'FORBIDDEN_FOR_CONNECT_TOKEN')
    for (const url of [
      `/accounts/${ids.account}`,
      `/transactions?accountId=${ids.account}`,
      `/v2/transactions?accountId=${ids.account}`,
      `/transactions/${ids.transaction}`,
      `/investments?itemId=${item.id}`,
      `/identity?itemId=${item.id}`,
      `/opportunities?itemId=${item.id}`,
    ]) {
      expectError(await engine.request('GET', url, { apiKey: token }), 403, 'FORBIDDEN_FOR_CONNECT_TOKEN')
    }
  })

  it('deleting an item deletes its data', async () => {
    const doomed = await createItem({ parameters: OK })
    const data = await snapshot(doomed.id)
    expect((await engine.request('DELETE', `/items/${doomed.id}`, { apiKey })).status).toBe(200)
    expectError(await engine.request('GET', `/accounts/${data.accounts[0].id}`, { apiKey }), 404, 'ACCOUNT_NOT_FOUND')
    expectError(await engine.request('GET', `/transactions/${data.transactions[0].id}`, { apiKey }), 404, 'TRANSACTION_NOT_FOUND')
    expectError(await engine.request('GET', `/investments/${data.investments[0].id}`, { apiKey }), 404, 'INVESTMENT_NOT_FOUND')
    expectError(await engine.request('GET', `/identity/${data.identity.id}`, { apiKey }), 404, 'IDENTITY_NOT_FOUND')
    const { rows } = await engine.tributary.db.pool.query(
      `select (select count(*) from transactions where item_id = $1) + (select count(*) from investment_transactions where item_id = $1)
         + (select count(*) from opportunities where item_id = $1) as n`,
      [doomed.id],
    )
    expect(Number(rows[0].n)).toBe(0)
  })
})

describe('the official pluggy-sdk reads the data unchanged (SPEC intro)', () => {
  it('fetchAccounts, fetchAllTransactions (cursor), fetchInvestments, fetchIdentityByItemId, …', async () => {
    const config = loadConfig({
      TRIBUTARY_DATA_DIR: ':memory:',
      TRIBUTARY_SANDBOX_DELAY_MS: '0',
      PORT: '0',
      HOST: '127.0.0.1',
      TRIBUTARY_CLIENT_ID: CLIENT.clientId,
      TRIBUTARY_CLIENT_SECRET: CLIENT.clientSecret,
      TRIBUTARY_POLL_INTERVAL_MS: '50',
      LOG_LEVEL: 'silent',
    })
    const tributary = await startTributary(config, { logger: pino({ level: 'silent' }) })
    const previous = process.env.PLUGGY_API_URL
    process.env.PLUGGY_API_URL = tributary.url!
    try {
      const sdk = new PluggyClient({ clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret })
      // 50 × the usual transactions: the checking account needs more than one cursor page of 500.
      const created = await sdk.createItem(0, { user: 'user-ok-perf-50', password: 'password-ok' })
      const item = await vi.waitFor(
        async () => {
          const current = await sdk.fetchItem(created.id)
          expect(current.status, `item ${created.id} (50× the transactions) to finish updating`).not.toBe('UPDATING')
          return current
        },
        { timeout: 120_000, interval: 50 },
      )
      expect(item.executionStatus).toBe('SUCCESS')

      const accounts = await sdk.fetchAccounts(item.id)
      expect(accounts.total).toBe(3)
      const checking = accounts.results.find((a) => a.subtype === 'CHECKING_ACCOUNT')!
      expect((await sdk.fetchAccounts(item.id, 'CREDIT')).results).toHaveLength(1)
      expect((await sdk.fetchAccount(checking.id)).id).toBe(checking.id)

      const page = await sdk.fetchTransactions(checking.id, { pageSize: 10 })
      expect(page.results).toHaveLength(10)
      expect(page.results[0].date).toBeInstanceOf(Date)
      const all = await sdk.fetchAllTransactions(checking.id)
      expect(all.length).toBe(page.total)
      expect(all.length).toBeGreaterThan(500)
      expect(new Set(all.map((t) => t.id)).size).toBe(all.length)
      expect((await sdk.fetchTransaction(all[0].id)).id).toBe(all[0].id)

      const investments = await sdk.fetchInvestments(item.id)
      expect(investments.results).toHaveLength(3)
      const movements = await sdk.fetchAllInvestmentTransactions(investments.results[0].id)
      expect(movements.length).toBeGreaterThan(0)
      expect((await sdk.fetchInvestment(investments.results[0].id)).id).toBe(investments.results[0].id)

      const identity = await sdk.fetchIdentityByItemId(item.id)
      expect(identity.itemId).toBe(item.id)
      expect((await sdk.fetchIdentity(identity.id)).fullName).toBe(identity.fullName)
    } finally {
      if (previous === undefined) delete process.env.PLUGGY_API_URL
      else process.env.PLUGGY_API_URL = previous
      await tributary.stop()
    }
  })
})
