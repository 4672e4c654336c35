import type { PluggyClient } from 'pluggy-sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { transitionBulkPayment } from '../../src/domain/payments/bulk-payment.ts'
import { addDays } from '../../src/domain/payments/calendar-date.ts'
import { bulkStateOf, findBulkPayment, saveBulkTransition } from '../../src/store/payments/bulk-payments.ts'
import { moveSmartAccountFunds } from '../../src/store/payments/smart-accounts.ts'
import { CLIENT, OTHER_CLIENT } from '../support/harness.ts'
import { startSandboxEngine, type SandboxEngine } from '../support/sandbox-engine.ts'
import { paymentFixtures } from './payment-fixtures.ts'
import { refusal } from '../payments/payment-support.ts'

// Smart accounts (methods 24–27) and bulk payments (20–23) through the unmodified pluggy-sdk
// 0.90.0, against a started Tributary; recipients by smartAccountId (method 13) now that smart accounts exist.

let engine: SandboxEngine
let client: PluggyClient
let other: PluggyClient
let fixtures: ReturnType<typeof paymentFixtures>
let recipientId: string

beforeAll(async () => {
  engine = await startSandboxEngine()
  client = engine.client
  const { PluggyClient } = await import('pluggy-sdk')
  other = new PluggyClient({ clientId: OTHER_CLIENT.clientId, clientSecret: OTHER_CLIENT.clientSecret })
  fixtures = paymentFixtures(engine.tributary)
  const [institution] = (await client.payments.fetchPaymentInstitutions({ name: 'itaú' } as never)).results
  const recipient = await client.payments.createPaymentRecipient({
    name: 'Loja da Esquina',
    taxNumber: '11.222.333/0001-81',
    paymentInstitutionId: institution.id,
    isDefault: true,
    account: { type: 'CHECKING_ACCOUNT', number: '12345-6', branch: '0001' },
  })
  recipientId = recipient.id
})
afterAll(async () => engine?.stop())

const newAccount = (isSandbox = true) =>
  client.payments.createSmartAccount({ name: 'Loja da Esquina', taxNumber: '11.222.333/0001-81', email: 'loja@example.com', phoneNumber: '+55 11 98765-4321', isSandbox })

describe('smart accounts', () => {
  it('creates, fetches and lists accounts; a new one has a zero balance that moves with the funds the engine moves', async () => {
    const account = await newAccount()
    expect(account).toMatchObject({ agency: '0001', type: 'CHECKING_ACCOUNT', isSandbox: true })
    expect(account.number).toMatch(/^\d{8}$/)
    expect(account.verifyingDigit).toMatch(/^\d$/)
    expect(await client.payments.fetchSmartAccount(account.id)).toEqual(account)
    expect((await client.payments.fetchSmartAccounts()).results.map((a) => a.id)).toContain(account.id)

    const empty = await client.payments.fetchSmartAccountBalance(account.id)
    expect(empty).toMatchObject({ balance: 0, blockedBalance: 0, scheduledBalance: 0 })
    // The client declares a string: it stays one (no milliseconds, so its reviver leaves it alone).
    expect(typeof empty.lastUpdatedAt).toBe('string')
    expect(Date.parse(empty.lastUpdatedAt)).not.toBeNaN()

    // A top-up credit and a bulk request's debit, as the engine's MOVE_FUNDS performs them; the balance never goes below zero.
    expect(await moveSmartAccountFunds(engine.tributary.db.pool, CLIENT.clientId, account.id, 150_075, engine.clock.now())).toBe(150_075)
    expect(await moveSmartAccountFunds(engine.tributary.db.pool, CLIENT.clientId, account.id, -50_000, engine.clock.now())).toBe(100_075)
    expect(await moveSmartAccountFunds(engine.tributary.db.pool, CLIENT.clientId, account.id, -200_000, engine.clock.now())).toBeUndefined()
    expect((await client.payments.fetchSmartAccountBalance(account.id)).balance).toBe(1000.75)
  })

  it('refuses a wrong tax number naming the field; another client’s account is 404', async () => {
    const refused = await refusal(client.payments.createSmartAccount({ name: 'X', taxNumber: '111.111.111-12', email: 'x@example.com', phoneNumber: '+5511987654321' }))
    expect(refused).toMatchObject({ code: 400, codeDescription: 'VALIDATION_ERROR' })
    expect((refused as { message: string }).message).toMatch(/taxNumber/)
    const account = await newAccount(false)
    expect(account.isSandbox).toBe(false)
    expect(await refusal(other.payments.fetchSmartAccount(account.id))).toMatchObject({ code: 404, codeDescription: 'SMART_ACCOUNT_NOT_FOUND' })
    expect(await refusal(other.payments.fetchSmartAccountBalance(account.id))).toMatchObject({ code: 404, codeDescription: 'SMART_ACCOUNT_NOT_FOUND' })
    expect(await refusal(client.payments.fetchSmartAccount('not-an-id'))).toMatchObject({ code: 404, codeDescription: 'SMART_ACCOUNT_NOT_FOUND' })
    expect((await other.payments.fetchSmartAccounts()).results.map((a) => a.id)).not.toContain(account.id)
  })

  it('takes a recipient by smartAccountId: the account’s holder, number and branch, at the smart accounts’ institution', async () => {
    const account = await newAccount()
    const recipient = await client.payments.createPaymentRecipient({ smartAccountId: account.id })
    expect(recipient).toMatchObject({
      name: 'Loja da Esquina',
      taxNumber: '11222333000181',
      account: { type: 'CHECKING_ACCOUNT', number: `${account.number}${account.verifyingDigit}`, branch: '0001' },
    })
    expect(recipient.paymentInstitution.ispb).toBe('99999965')
    const refused = await refusal(other.payments.createPaymentRecipient({ smartAccountId: account.id }))
    expect(refused).toMatchObject({ code: 400, codeDescription: 'VALIDATION_ERROR' })
    expect((refused as { message: string }).message).toMatch(/smartAccountId .* is not a smart account of this client/)
  })

  it('answers the same account to the same Idempotency-Key and body, and 409 to another body', async () => {
    const body = { name: 'Conta', taxNumber: '52998224725', email: 'c@example.com', phoneNumber: '+5511987654321' }
    const first = await rawPost('/payments/smart-accounts', body, 'account-key-1')
    const again = await rawPost('/payments/smart-accounts', body, 'account-key-1')
    expect([first.status, again.status, again.body.id]).toEqual([200, 200, first.body.id])
    const reused = await rawPost('/payments/smart-accounts', { ...body, name: 'Outra' }, 'account-key-1')
    expect([reused.status, reused.body.codeDescription]).toEqual([409, 'IDEMPOTENCY_KEY_REUSED'])
  })
})

/** A POST with the test client's key and an Idempotency-Key. */
async function rawPost(path: string, body: unknown, key: string): Promise<{ status: number; body: any }> {
  const auth = await fetch(`${engine.tributary.url}/auth`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(CLIENT) })
  const { apiKey } = (await auth.json()) as { apiKey: string }
  const response = await fetch(`${engine.tributary.url}${path}`, {
    method: 'POST',
    headers: { 'x-api-key': apiKey, 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
  })
  return { status: response.status, body: await response.json() }
}

describe('bulk payments', () => {
  it('groups one-off requests nobody started paying, in the order given, from a smart account; totals in reais', async () => {
    const account = await newAccount()
    const a = (await client.payments.createPaymentRequest({ amount: 100.5, recipientId, isSandbox: true })).id
    const b = (await client.payments.createPaymentRequest({ amount: 25, isSandbox: true })).id
    const bulk = await client.payments.createBulkPayment({ smartAccountId: account.id, paymentRequestIds: [b, a], callbackUrls: { success: 'https://example.com/ok' } })
    expect(bulk).toMatchObject({ status: 'CREATED', totalAmount: 125.5, grossAmount: 125.5, feesAmount: 0, referenceId: null, callbackUrls: { success: 'https://example.com/ok' } })
    expect(bulk.smartAccount.id).toBe(account.id)
    expect(bulk.paymentRequests.map((r) => [r.id, r.amount, r.bulkPaymentId, r.status])).toEqual([
      [b, 25, bulk.id, 'CREATED'],
      [a, 100.5, bulk.id, 'CREATED'],
    ])
    expect(bulk.paymentUrl).toBe(`${engine.tributary.url}/pay/bulk/${bulk.id}`)
    expect(bulk.createdAt).toBeInstanceOf(Date)
    expect((await client.payments.fetchBulkPayment(bulk.id)).paymentRequests.map((r) => r.id)).toEqual([b, a])
    expect((await client.payments.fetchBulkPayments()).results.map((x) => x.id)).toContain(bulk.id)
  })

  it('refuses requests that cannot join, each named with why; nothing is created', async () => {
    const account = await newAccount()
    const free = (await client.payments.createPaymentRequest({ amount: 10, isSandbox: true })).id
    const taken = (await client.payments.createPaymentRequest({ amount: 10, isSandbox: true })).id
    await client.payments.createBulkPayment({ smartAccountId: account.id, paymentRequestIds: [taken] })
    const scheduled = (await client.payments.createPaymentRequest({ amount: 10, schedule: { type: 'SINGLE', date: addDays(fixtures.today(), 10) }, isSandbox: true })).id
    const othersRecipient = await other.payments.createPaymentRecipient({ pixKey: '52998224725' })
    const others = (await other.payments.createPaymentRequest({ amount: 10, recipientId: othersRecipient.id, isSandbox: true })).id
    const before = (await client.payments.fetchBulkPayments()).total

    const refused = (await refusal(client.payments.createBulkPayment({ smartAccountId: account.id, paymentRequestIds: [free, taken, scheduled, others] }))) as {
      code: number
      codeDescription: string
      message: string
    }
    expect([refused.code, refused.codeDescription]).toEqual([400, 'VALIDATION_ERROR'])
    expect(refused.message).toContain(`${taken} cannot be paid in a bulk payment: it already belongs to a bulk payment`)
    expect(refused.message).toContain(`${scheduled} cannot be paid in a bulk payment: it is a SCHEDULED request`)
    expect(refused.message).toContain(`${others} cannot be paid in a bulk payment: it is not a payment request of this client`)
    expect(refused.message).not.toContain(`${free} cannot`)
    expect((await client.payments.fetchBulkPayments()).total).toBe(before)

    expect(await refusal(client.payments.createBulkPayment({ smartAccountId: account.id, paymentRequestIds: [free, free] }))).toMatchObject({
      code: 400,
      message: expect.stringMatching(/more than once/),
    })
    expect(await refusal(client.payments.createBulkPayment({ smartAccountId: account.id, paymentRequestIds: [] }))).toMatchObject({ code: 400, codeDescription: 'VALIDATION_ERROR' })
    const otherAccount = await other.payments.createSmartAccount({ name: 'Outra', taxNumber: '52998224725', email: 'o@example.com', phoneNumber: '+5511987654321' })
    expect(await refusal(client.payments.createBulkPayment({ smartAccountId: otherAccount.id, paymentRequestIds: [free] }))).toMatchObject({
      code: 400,
      message: expect.stringMatching(/smartAccountId .* is not a smart account/),
    })
  })

  it('is deleted before its top-up starts (its requests are free again), and not once it started', async () => {
    const account = await newAccount()
    const request = (await client.payments.createPaymentRequest({ amount: 10, isSandbox: true })).id
    const first = await client.payments.createBulkPayment({ smartAccountId: account.id, paymentRequestIds: [request] })
    await client.payments.deleteBulkPayment(first.id)
    expect(await refusal(client.payments.fetchBulkPayment(first.id))).toMatchObject({ code: 404, codeDescription: 'PAYMENT_BULK_NOT_FOUND' })

    const second = await client.payments.createBulkPayment({ smartAccountId: account.id, paymentRequestIds: [request] })
    expect(await refusal(other.payments.deleteBulkPayment(second.id))).toMatchObject({ code: 404, codeDescription: 'PAYMENT_BULK_NOT_FOUND' })
    expect(await refusal(other.payments.fetchBulkPayment(second.id))).toMatchObject({ code: 404, codeDescription: 'PAYMENT_BULK_NOT_FOUND' })
    expect((await other.payments.fetchBulkPayments()).results.map((x) => x.id)).not.toContain(second.id)

    // A payer starts the top-up (as createPaymentIntent with bulkPaymentId does): the bulk payment is no longer deletable.
    const pool = engine.tributary.db.pool
    const row = (await findBulkPayment(pool, CLIENT.clientId, second.id))!
    const started = transitionBulkPayment(bulkStateOf(row), { type: 'INTENT_STARTED' })
    if (!started.ok) throw new Error(started.reason)
    expect(await saveBulkTransition(pool, { clientId: CLIENT.clientId, id: second.id, expected: bulkStateOf(row), next: started.next, events: [], at: engine.clock.now() })).toBe(true)
    const refused = await refusal(client.payments.deleteBulkPayment(second.id))
    expect(refused).toMatchObject({ code: 409, codeDescription: 'BULK_PAYMENT_NOT_DELETABLE', message: expect.stringMatching(/top-up is under way/) })
    expect((await client.payments.fetchBulkPayment(second.id)).status).toBe('TOP_UP_STARTED')
  })
})
