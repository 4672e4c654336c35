import { PDFDocument } from 'pdf-lib'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { ManualClock } from '../src/time/manual-clock.ts'
import { OTHER_CLIENT, startTestEngine, type TestEngine } from './support/harness.ts'

// The reference's products beyond the seed's, over HTTP (SPEC §7.2, §7.4): categories and a
// transaction's user category, credit-card bills (and ?billId=), loans, account statements with
// their signed PDF links; the ids filter and the default page size of transactions; tenant isolation.

vi.setConfig({ testTimeout: 120_000 })

const clock = new ManualClock()
let engine: TestEngine
let apiKey: string
let otherKey: string
let itemId: string
let bank: any
let card: any

beforeAll(async () => {
  engine = await startTestEngine({}, { clock })
  apiKey = await engine.apiKey()
  otherKey = await engine.apiKey(OTHER_CLIENT)
  const item = await engine.createItem(apiKey, { connectorId: 0, parameters: { user: 'user-ok', password: 'password-ok' } })
  itemId = item.id
  const done = await engine.waitForItem(apiKey, itemId)
  expect(done.status).toBe('UPDATED')
  const accounts = (await engine.request('GET', `/accounts?itemId=${itemId}`, { apiKey })).body.results
  bank = accounts.find((a: any) => a.type === 'BANK')
  card = accounts.find((a: any) => a.type === 'CREDIT')
  expect(bank && card).toBeTruthy()
})
afterAll(() => engine?.stop())

const get = (url: string, key = apiKey) => engine.request('GET', url, { apiKey: key })

describe('categories', () => {
  it('serves the whole tree as one page and each category by id', async () => {
    const list = await get('/categories')
    expect(list.status).toBe(200)
    expect(list.body.total).toBe(list.body.results.length)
    expect(list.body.totalPages).toBe(1)
    const child = list.body.results.find((c: any) => c.parentId)
    expect(child).toMatchObject({ id: expect.stringMatching(/^\d{8}$/), description: expect.any(String), parentDescription: expect.any(String) })
    expect((await get(`/categories/${child.id}`)).body).toEqual(child)
    const children = await get(`/categories?parentId=${child.parentId}`)
    expect(children.body.results.every((c: any) => c.parentId === child.parentId)).toBe(true)
  })

  it('answers 404 CATEGORY_NOT_FOUND for an unknown id', async () => {
    const reply = await get('/categories/12345678')
    expect(reply.status).toBe(404)
    expect(reply.body.codeDescription).toBe('CATEGORY_NOT_FOUND')
  })
})

describe('PATCH /transactions/{id}', () => {
  it('records the user’s category, refuses an unknown one and another client’s transaction', async () => {
    const [transaction] = (await get(`/transactions?accountId=${bank.id}&pageSize=1`)).body.results
    const chosen = transaction.categoryId === '05000000' ? '21000000' : '05000000'
    const patched = await engine.request('PATCH', `/transactions/${transaction.id}`, { apiKey, body: { categoryId: chosen } })
    expect(patched.status).toBe(200)
    expect(patched.body).toMatchObject({ id: transaction.id, categoryId: chosen })
    expect(patched.body.category).toBe((await get(`/categories/${chosen}`)).body.description)
    expect((await get(`/transactions/${transaction.id}`)).body.categoryId).toBe(chosen)

    const unknown = await engine.request('PATCH', `/transactions/${transaction.id}`, { apiKey, body: { categoryId: '00000001' } })
    expect(unknown.status).toBe(400)
    expect(unknown.body.codeDescription).toBe('CATEGORY_NOT_FOUND')
    expect(unknown.body.message).toMatch(/GET \/categories/)

    const foreign = await engine.request('PATCH', `/transactions/${transaction.id}`, { apiKey: otherKey, body: { categoryId: chosen } })
    expect(foreign.status).toBe(404)
    expect(foreign.body.codeDescription).toBe('TRANSACTION_NOT_FOUND')
  })
})

describe('transactions filters and defaults', () => {
  it('pages 500 rows by default', async () => {
    const reply = await get(`/transactions?accountId=${bank.id}`)
    expect(reply.status).toBe(200)
    expect(reply.body.results.length).toBe(Math.min(reply.body.total, 500))
    expect(reply.body.totalPages).toBe(Math.ceil(reply.body.total / 500))
  })

  it('honours ids (comma list) on both endpoints and ignores the other filters then', async () => {
    const all = (await get(`/transactions?accountId=${bank.id}`)).body.results
    expect(all.length).toBeGreaterThan(3)
    const picked = [all[0].id, all[2].id]
    // A `from` after every transaction would return nothing were it not discarded.
    const v1 = await get(`/transactions?accountId=${bank.id}&ids=${picked.join(',')}&from=2999-01-01`)
    expect(v1.status).toBe(200)
    expect(v1.body.results.map((t: any) => t.id).sort()).toEqual([...picked].sort())
    expect(v1.body.total).toBe(2)
    const v2 = await get(`/v2/transactions?accountId=${bank.id}&ids=${picked.join(',')}&dateFrom=2999-01-01`)
    expect(v2.status).toBe(200)
    expect(v2.body.results.map((t: any) => t.id).sort()).toEqual([...picked].sort())
    expect(v2.body.next).toBeNull()
  })

  it('honours createdAtFrom on GET /transactions (an instant)', async () => {
    const all = await get(`/transactions?accountId=${bank.id}`)
    const since = await get(`/transactions?accountId=${bank.id}&createdAtFrom=${encodeURIComponent(all.body.results[0].createdAt)}`)
    expect(since.body.total).toBe(all.body.results.filter((t: any) => t.createdAt >= all.body.results[0].createdAt).length)
    expect((await get(`/transactions?accountId=${bank.id}&createdAtFrom=2999-01-01T00:00:00.000Z`)).body.total).toBe(0)
  })

  it('refuses more than 500 ids and ids that are not UUIDs', async () => {
    const many = Array.from({ length: 501 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`)
    const tooMany = await get(`/transactions?accountId=${bank.id}&ids=${many.join(',')}`)
    expect(tooMany.status).toBe(400)
    expect(tooMany.body.codeDescription).toBe('VALIDATION_ERROR')
    const bad = await get(`/v2/transactions?accountId=${bank.id}&ids=not-an-id`)
    expect(bad.status).toBe(400)
  })
})

describe('credit-card bills', () => {
  it('lists the card’s bills, reads each, and filters the card’s transactions by bill', async () => {
    const bills = await get(`/bills?accountId=${card.id}`)
    expect(bills.status).toBe(200)
    expect(bills.body.results.length).toBeGreaterThan(0)
    const bill = bills.body.results[0]
    expect(bill).toMatchObject({ id: expect.any(String), dueDate: expect.stringMatching(/Z$/), totalAmount: expect.any(Number) })
    expect((await get(`/bills/${bill.id}`)).body).toEqual(bill)
    const charged = await get(`/transactions?accountId=${card.id}&billId=${bill.id}`)
    expect(charged.status).toBe(200)
    expect(charged.body.results.every((t: any) => t.creditCardMetadata?.billId === bill.id)).toBe(true)
    const everyBillTransaction = (await get(`/transactions?accountId=${card.id}`)).body.results.filter((t: any) => t.creditCardMetadata?.billId === bill.id)
    expect(charged.body.total).toBe(everyBillTransaction.length)
  })

  it('keeps another client out', async () => {
    const [bill] = (await get(`/bills?accountId=${card.id}`)).body.results
    expect((await get(`/bills/${bill.id}`, otherKey)).body.codeDescription).toBe('BILL_NOT_FOUND')
    expect((await get(`/bills?accountId=${card.id}`, otherKey)).status).toBe(404)
    expect((await get(`/transactions?accountId=${card.id}&billId=00000000-0000-4000-8000-000000000000`)).body.codeDescription).toBe('BILL_NOT_FOUND')
  })
})

describe('loans', () => {
  it('lists the item’s loans and reads each; another client gets 404', async () => {
    const loans = await get(`/loans?itemId=${itemId}`)
    expect(loans.status).toBe(200)
    expect(loans.body.results.length).toBeGreaterThan(0)
    const loan = loans.body.results[0]
    expect(loan).toMatchObject({ itemId, productName: expect.any(String), kind: expect.any(String), currencyCode: expect.any(String) })
    expect((await get(`/loans/${loan.id}`)).body).toEqual(loan)
    expect((await get(`/loans/${loan.id}`, otherKey)).body.codeDescription).toBe('LOAN_NOT_FOUND')
    expect((await get(`/loans?itemId=${itemId}`, otherKey)).body.codeDescription).toBe('ITEM_NOT_FOUND')
  })
})

describe('account statements', () => {
  it('lists monthly statements whose signed link downloads a real PDF, until it expires', async () => {
    const statements = await get(`/accounts/${bank.id}/statements`)
    expect(statements.status).toBe(200)
    expect(statements.body.results.length).toBeGreaterThan(0)
    const statement = statements.body.results[0]
    expect(statement.monthYear).toMatch(/^\d{4}-\d{2}$/)
    const url = new URL(statement.url)
    const path = url.pathname + url.search

    const download = await engine.request('GET', path)
    expect(download.status).toBe(200)
    expect(download.headers['content-type']).toBe('application/pdf')
    const raw = await engine.tributary.app!.inject({ method: 'GET', url: path })
    const bytes = raw.rawPayload
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    const pdf = await PDFDocument.load(bytes)
    expect(pdf.getPageCount()).toBeGreaterThan(0)
    expect(pdf.getTitle()).toContain(statement.monthYear)

    // Tampering with any part of the link breaks it.
    const tampered = new URL(url)
    tampered.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 3600))
    const forged = await engine.request('GET', tampered.pathname + tampered.search)
    expect(forged.status).toBe(403)
    expect(forged.body.codeDescription).toBe('STATEMENT_LINK_INVALID')
    const otherClient = new URL(url)
    otherClient.searchParams.set('client', OTHER_CLIENT.clientId)
    expect((await engine.request('GET', otherClient.pathname + otherClient.search)).body.codeDescription).toBe('STATEMENT_LINK_INVALID')

    // Valid for 30 minutes, not one more.
    await clock.advance(29 * 60_000)
    expect((await engine.request('GET', path)).status).toBe(200)
    await clock.advance(60_000)
    const expired = await engine.request('GET', path)
    expect(expired.status).toBe(403)
    expect(expired.body.codeDescription).toBe('STATEMENT_LINK_EXPIRED')
    expect(expired.body.message).toMatch(/statements again/)
  })

  it('keeps another client out of the list', async () => {
    expect((await get(`/accounts/${bank.id}/statements`, otherKey)).body.codeDescription).toBe('ACCOUNT_NOT_FOUND')
  })
})
