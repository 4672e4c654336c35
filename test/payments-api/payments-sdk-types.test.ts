import type { PluggyClient } from 'pluggy-sdk'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { addDays } from '../../src/domain/payments/calendar-date.ts'
import type { TributaryFixture } from '../../src/testing/start-tributary.ts'
import { answerAtBank, PAYER_BANK, PAYERS } from '../payments/payment-support.ts'
import { DeclaredTypes } from '../support/declared-types.ts'
import { startPaymentsApi, type paymentFixtures } from './payment-fixtures.ts'

// Methods 20–43 of docs/payments.md through the unmodified pluggy-sdk 0.90.0 (`client.payments`),
// every answer checked against the types the client declares in its own .d.ts files
// (test/support/declared-types.ts), as methods 1–7 are in test/payments-pluggy-sdk.test.ts.

vi.setConfig({ testTimeout: 120_000 })

/** The methods this file covers: bulk payments, smart accounts, scheduled payments, Pix Automático, smart transfers. */
const METHODS = [
  'createBulkPayment',
  'fetchBulkPayment',
  'fetchBulkPayments',
  'deleteBulkPayment',
  'createSmartAccount',
  'fetchSmartAccount',
  'fetchSmartAccountBalance',
  'fetchSmartAccounts',
  'createPaymentRequestPixAutomatico',
  'fetchScheduledPayments',
  'fetchScheduledPayment',
  'cancelScheduledPayment',
  'cancelScheduledPayments',
  'scheduleAutomaticPixPayment',
  'retryAutomaticPixPayment',
  'fetchAutomaticPixPayments',
  'fetchAutomaticPixPayment',
  'cancelAutomaticPixPayment',
  'cancelAutomaticPixAuthorization',
  'fetchSmartTransferPreauthorizations',
  'createSmartTransferPreauthorization',
  'fetchSmartTransferPreauthorization',
  'createSmartTransferPayment',
  'fetchSmartTransferPayment',
] as const satisfies readonly (keyof PluggyClient['payments'])[]

/**
 * Where Tributary deliberately differs from the client's types, each recorded in
 * docs/pluggy-compatibility.md: a customer's tax number of the other kind (a person's CNPJ, a
 * company representative's missing CPF) is null — the client declares both strings.
 */
const DELIBERATE: RegExp[] = [/\.customer\.(cpf|cnpj): null is not a string$/]

let tributary: TributaryFixture
let clientId: string
let payments: PluggyClient['payments']
let fixtures: ReturnType<typeof paymentFixtures>
const declared = new DeclaredTypes()
const problems = new Map<string, string[]>()

/** Calls a payments method and records how its answer differs from the declared type. */
async function call<K extends keyof PluggyClient['payments']>(method: K, ...args: Parameters<Extract<PluggyClient['payments'][K], (...a: any[]) => any>>) {
  const result = await (payments[method] as (...a: unknown[]) => Promise<unknown>).apply(payments, args)
  const found = declared.checkMemberResult('payments', method, result).filter((problem) => !DELIBERATE.some((d) => d.test(problem)))
  problems.set(method, [...(problems.get(method) ?? []), ...found])
  return result as Awaited<ReturnType<Extract<PluggyClient['payments'][K], (...a: any[]) => any>>>
}

beforeAll(async () => {
  const started = await startPaymentsApi()
  ;({ tributary, fixtures, clientId } = started)
  payments = started.client.payments
})
afterAll(async () => tributary?.stop())

describe('payment methods 20–43 answer with the shapes pluggy-sdk declares', () => {
  it('runs every one of them; each answer satisfies the client’s .d.ts', async () => {
    const day = (offset: number) => addDays(fixtures.today(), offset)
    const [institution] = (await payments.fetchPaymentInstitutions({ name: 'bradesco' } as never)).results
    const recipient = await payments.createPaymentRecipient({
      name: 'Ana Souza',
      taxNumber: '529.982.247-25',
      paymentInstitutionId: institution.id,
      isDefault: true,
      account: { type: 'CHECKING_ACCOUNT', number: '12345-6', branch: '0001' },
    })
    const customer = await payments.createPaymentCustomer({ name: 'Bruno Lima', email: 'bruno@example.com', cpf: '111.444.777-35', cnpj: undefined as never, type: 'INDIVIDUAL' })

    // Smart accounts (24–27).
    const account = await call('createSmartAccount', { name: 'Loja', taxNumber: '11.222.333/0001-81', email: 'loja@example.com', phoneNumber: '+5511987654321', isSandbox: true })
    await call('fetchSmartAccount', account.id)
    await call('fetchSmartAccountBalance', account.id)
    await call('fetchSmartAccounts')

    // Bulk payments (20–23), of requests made with createPaymentRequest.
    const a = await payments.createPaymentRequest({ amount: 10.5, description: 'A', customerId: customer.id, callbackUrls: { success: 'https://example.com/ok' }, isSandbox: true })
    const b = await payments.createPaymentRequest({ amount: 20, isSandbox: true })
    const bulk = await call('createBulkPayment', {
      smartAccountId: account.id,
      paymentRequestIds: [a.id, b.id],
      callbackUrls: { success: 'https://example.com/ok', pending: 'https://example.com/wait' },
    })
    expect(bulk.paymentRequests[0].customer?.id).toBe(customer.id)
    await call('fetchBulkPayment', bulk.id)
    await call('fetchBulkPayments')
    await call('deleteBulkPayment', bulk.id)

    // Pix Automático (28, 33–38).
    const authorization = await call('createPaymentRequestPixAutomatico', {
      isSandbox: true,
      recipientId: recipient.id,
      customerId: customer.id,
      description: 'Assinatura',
      interval: 'MONTHLY',
      startDate: day(0),
      minimumVariableAmount: 10,
      maximumVariableAmount: 300,
      isRetryAccepted: true,
      expiresAt: day(400),
      callbackUrls: { error: 'https://example.com/error' },
    })
    await fixtures.consented(clientId, authorization.id)
    const pix = await call('scheduleAutomaticPixPayment', authorization.id, { amount: 99.9, date: day(3), description: 'Dezembro' })
    await call('fetchAutomaticPixPayments', authorization.id, {})
    await fixtures.failAutomaticPixPayment(clientId, authorization.id, pix.id)
    const failed = await call('fetchAutomaticPixPayment', authorization.id, pix.id)
    expect(failed.errorDetail?.code).toBe('INSUFFICIENT_FUNDS')
    await call('retryAutomaticPixPayment', authorization.id, pix.id, { date: day(5) })
    await call('cancelAutomaticPixPayment', authorization.id, pix.id)
    await call('cancelAutomaticPixAuthorization', authorization.id)

    // Scheduled payments (29–32) of a request made with createPaymentRequest.
    const scheduled = await payments.createPaymentRequest({ amount: 30, description: 'Mensalidade', schedule: { type: 'CUSTOM', dates: [day(2), day(4), day(6)] }, isSandbox: true })
    await fixtures.consented(clientId, scheduled.id)
    const list = await call('fetchScheduledPayments', scheduled.id)
    expect(list.total).toBe(3)
    await call('fetchScheduledPayment', scheduled.id, list.results[0].id)
    await call('cancelScheduledPayment', scheduled.id, list.results[0].id)
    await call('cancelScheduledPayments', scheduled.id)
    expect((await payments.fetchPaymentRequest(scheduled.id)).status).toBe('CANCELED')

    // Smart transfers (39–43).
    const preauthorization = await call('createSmartTransferPreauthorization', {
      connectorId: PAYER_BANK,
      parameters: { cpf: PAYERS.settles },
      recipientIds: [recipient.id],
      callbackUrls: { success: `${tributary.url}/health` },
    })
    await tributary.clock.settle()
    const waiting = await call('fetchSmartTransferPreauthorization', preauthorization.id)
    await call('fetchSmartTransferPreauthorizations')
    await answerAtBank(waiting.consentUrl!, 'approve')
    await tributary.clock.settle()
    const transfer = await call('createSmartTransferPayment', { preauthorizationId: preauthorization.id, recipientId: recipient.id, amount: 42, description: 'Reserva', clientPaymentId: 'st-1' })
    await tributary.clock.settle()
    expect((await call('fetchSmartTransferPayment', transfer.id)).status).toBe('PAYMENT_COMPLETED')

    expect(
      METHODS.filter((m) => !problems.has(m)),
      'every method of 20–43 is exercised',
    ).toEqual([])
    const failing = Object.fromEntries([...problems].filter(([, found]) => found.length > 0).map(([method, found]) => [method, [...new Set(found)].slice(0, 40)]))
    expect(failing).toEqual({})
  })
})
