import type { PluggyClient } from 'pluggy-sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TributaryFixture } from '../../src/testing/start-tributary.ts'
import { answerAtBank, PAYER_BANK, PAYERS, refusal } from '../payments/payment-support.ts'
import { startPaymentsApi } from './payment-fixtures.ts'

// Smart-transfer preauthorizations and payments (methods 39–43) through the unmodified pluggy-sdk
// 0.90.0: the payer authorizes the preauthorization at the sandbox payer bank (connector 8) and the
// engine settles the transfers made under it, on a manual clock.

const PAYER_CPF = PAYERS.settles

let tributary: TributaryFixture
let client: PluggyClient
let other: PluggyClient
let own: string[]
let stranger: string

beforeAll(async () => {
  ;({ tributary, client, other } = await startPaymentsApi())
  const institutions = (await client.payments.fetchPaymentInstitutions({ pageSize: 500 } as never)).results
  const account = (i: number, number: string) =>
    client.payments.createPaymentRecipient({ name: 'Ana Souza', taxNumber: PAYER_CPF, paymentInstitutionId: institutions[i].id, account: { type: 'CHECKING_ACCOUNT', number, branch: '0001' } })
  own = [(await account(0, '11111-1')).id, (await account(1, '22222-2')).id]
  stranger = (await client.payments.createPaymentRecipient({ pixKey: '11.222.333/0001-81' })).id
})
afterAll(async () => tributary?.stop())

/** A preauthorization the payer authorized at the bank (COMPLETED). */
async function preauthorized(recipientIds: string[]) {
  const created = await client.payments.createSmartTransferPreauthorization({ connectorId: PAYER_BANK, parameters: { cpf: PAYER_CPF }, recipientIds })
  await tributary.clock.settle()
  const waiting = await client.payments.fetchSmartTransferPreauthorization(created.id)
  expect(waiting.status).toBe('CREATED')
  expect(waiting.consentUrl).toMatch(/\/sandbox\/open-finance\/payments\/authorize\//)
  await answerAtBank(waiting.consentUrl!, 'approve')
  await tributary.clock.settle()
  return client.payments.fetchSmartTransferPreauthorization(created.id)
}

describe('smart-transfer preauthorizations', () => {
  it('are created for the payer’s own accounts; the payer authorizes at the bank’s consentUrl; listed and fetched', async () => {
    const created = await client.payments.createSmartTransferPreauthorization({
      connectorId: PAYER_BANK,
      parameters: { cpf: PAYER_CPF },
      recipientIds: own,
      callbackUrls: { success: `${tributary.url}/health` },
    })
    expect(created).toMatchObject({ status: 'CREATED', clientPreauthorizationId: null, callbackUrls: { success: `${tributary.url}/health` } })
    expect(created.connector.id).toBe(PAYER_BANK)
    expect(created.recipients.map((r) => r.id)).toEqual(own)
    expect(created.createdAt).toBeInstanceOf(Date)
    // The answer waited for the bank's consent: it carries the URL to send the payer to.
    expect(created.consentUrl).toMatch(/\/sandbox\/open-finance\/payments\/authorize\//)
    await tributary.clock.settle()
    expect((await client.payments.fetchSmartTransferPreauthorization(created.id)).consentUrl).toBe(created.consentUrl)
    await answerAtBank(created.consentUrl!, 'approve')
    await tributary.clock.settle()
    expect((await client.payments.fetchSmartTransferPreauthorization(created.id)).status).toBe('COMPLETED')
    expect((await client.payments.fetchSmartTransferPreauthorizations()).results.map((p) => p.id)).toContain(created.id)
    expect(await refusal(other.payments.fetchSmartTransferPreauthorization(created.id))).toMatchObject({ code: 404, codeDescription: 'SMART_TRANSFER_PREAUTHORIZATION_NOT_FOUND' })
    expect((await other.payments.fetchSmartTransferPreauthorizations()).total).toBe(0)
  })

  it('refuses a recipient of someone else, a connector that initiates no payments, an unknown connector and a missing CPF', async () => {
    const foreign = await refusal(client.payments.createSmartTransferPreauthorization({ connectorId: PAYER_BANK, parameters: { cpf: PAYER_CPF }, recipientIds: [own[0], stranger] }))
    expect(foreign).toMatchObject({ code: 400, codeDescription: 'VALIDATION_ERROR', message: expect.stringMatching(/belongs to 11222333000181, not to the payer/) })
    const noPayments = await refusal(client.payments.createSmartTransferPreauthorization({ connectorId: 0, parameters: { cpf: PAYER_CPF }, recipientIds: own }))
    expect(noPayments).toMatchObject({ code: 400, message: expect.stringMatching(/does not initiate payments/) })
    expect(await refusal(client.payments.createSmartTransferPreauthorization({ connectorId: 999, parameters: { cpf: PAYER_CPF }, recipientIds: own }))).toMatchObject({
      code: 400,
      codeDescription: 'CONNECTOR_NOT_FOUND',
    })
    expect(await refusal(client.payments.createSmartTransferPreauthorization({ connectorId: PAYER_BANK, parameters: {} as never, recipientIds: own }))).toMatchObject({
      code: 400,
      message: expect.stringMatching(/parameters.cpf is required/),
    })
    expect(await refusal(other.payments.createSmartTransferPreauthorization({ connectorId: PAYER_BANK, parameters: { cpf: PAYER_CPF }, recipientIds: own }))).toMatchObject({
      code: 400,
      message: expect.stringMatching(/not a payment recipient of this client/),
    })
  })
})

describe('smart-transfer payments', () => {
  it('are made only under a preauthorization in force, to a recipient it covers; the engine settles them', async () => {
    const pending = await client.payments.createSmartTransferPreauthorization({ connectorId: PAYER_BANK, parameters: { cpf: PAYER_CPF }, recipientIds: [own[0]] })
    const early = await refusal(client.payments.createSmartTransferPayment({ preauthorizationId: pending.id, recipientId: own[0], amount: 10 }))
    expect(early).toMatchObject({ code: 400, codeDescription: 'SMART_TRANSFER_PREAUTHORIZATION_NOT_COMPLETED', message: expect.stringMatching(/is CREATED/) })

    const preauthorization = await preauthorized([own[0]])
    expect(preauthorization.status).toBe('COMPLETED')
    const payment = await client.payments.createSmartTransferPayment({ preauthorizationId: preauthorization.id, recipientId: own[0], amount: 250.75, description: 'Reserva', clientPaymentId: 'st-1' })
    expect(payment).toMatchObject({ preauthorizationId: preauthorization.id, status: 'CONSENT_AUTHORIZED', amount: 250.75, description: 'Reserva', clientPaymentId: 'st-1' })
    expect(payment.recipient.id).toBe(own[0])
    await tributary.clock.settle()
    expect((await client.payments.fetchSmartTransferPayment(payment.id)).status).toBe('PAYMENT_COMPLETED')
    expect(await refusal(other.payments.fetchSmartTransferPayment(payment.id))).toMatchObject({ code: 404, codeDescription: 'SMART_TRANSFER_PAYMENT_NOT_FOUND' })

    const uncovered = await refusal(client.payments.createSmartTransferPayment({ preauthorizationId: preauthorization.id, recipientId: own[1], amount: 10 }))
    expect(uncovered).toMatchObject({ code: 400, codeDescription: 'VALIDATION_ERROR', message: expect.stringMatching(/not among the recipients/) })
    const tooPrecise = await refusal(client.payments.createSmartTransferPayment({ preauthorizationId: preauthorization.id, recipientId: own[0], amount: 1.005 }))
    expect(tooPrecise).toMatchObject({ code: 400, message: expect.stringMatching(/at most two decimal places/) })
    const foreign = await refusal(other.payments.createSmartTransferPayment({ preauthorizationId: preauthorization.id, recipientId: own[0], amount: 10 }))
    expect(foreign).toMatchObject({ code: 400, message: expect.stringMatching(/not a smart-transfer preauthorization of this client/) })
  })

  it('answers the same transfer to a repeated Idempotency-Key and body', async () => {
    const preauthorization = await preauthorized(own)
    const apiKey = await tributary.authenticate()
    const post = async (body: unknown) => {
      const response = await fetch(`${tributary.url}/smart-transfers/payments`, {
        method: 'POST',
        headers: { 'x-api-key': apiKey, 'content-type': 'application/json', 'idempotency-key': 'transfer-1' },
        body: JSON.stringify(body),
      })
      return { status: response.status, body: (await response.json()) as { id: string; codeDescription?: string } }
    }
    const body = { preauthorizationId: preauthorization.id, recipientId: own[1], amount: 12 }
    const first = await post(body)
    const again = await post(body)
    expect([first.status, again.status, again.body.id]).toEqual([200, 200, first.body.id])
    expect(await post({ ...body, amount: 13 })).toMatchObject({ status: 409, body: { codeDescription: 'IDEMPOTENCY_KEY_REUSED' } })
  })
})
