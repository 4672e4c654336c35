import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { startTributary, type TributaryFixture } from '../../src/testing/start-tributary.ts'
import { ManualClock } from '../../src/time/manual-clock.ts'
import { answerAtBank, clientOf, createRecipient, PAYER_BANK, PAYERS } from './payment-support.ts'

// The sandbox payer bank's consents and payments outlive the engine: an engine stopped and started
// again on the same data directory still shows the payer the consent page of an intent that waited
// for them, and still settles a payment that was settling when it stopped.

const dataDirs: string[] = []
let running: TributaryFixture | undefined
afterEach(async () => {
  await running?.stop()
  running = undefined
})
afterAll(() => {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true })
})

/** Engines on one data directory, as the same client (an engine started again keeps its clients). */
function deployment() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tributary-payer-bank-'))
  dataDirs.push(dataDir)
  const env = { TRIBUTARY_CLIENT_ID: `test-${randomBytes(4).toString('hex')}`, TRIBUTARY_CLIENT_SECRET: randomBytes(24).toString('base64url') }
  return async (at?: Date) => {
    await running?.stop()
    // A new engine's clock goes on from where the last one's stood.
    running = await startTributary({ dataDir, env, clock: new ManualClock(at) })
    return { tributary: running, client: clientOf(running) }
  }
}

async function startedIntent(cpf: string, fixture: Awaited<ReturnType<ReturnType<typeof deployment>>>) {
  await createRecipient(fixture.client)
  const request = await fixture.client.payments.createPaymentRequest({ amount: 100, isSandbox: true } as never)
  const started = await fixture.client.payments.createPaymentIntent({ paymentRequestId: request.id, connectorId: PAYER_BANK, parameters: { cpf } })
  await fixture.tributary.clock.settle()
  const intent = await fixture.client.payments.fetchPaymentIntent(started.id)
  expect(intent.status).toBe('CONSENT_AWAITING_AUTHORIZATION')
  expect(intent.consentUrl).toBeTruthy()
  return intent
}

describe('the sandbox payer bank across a restart of the engine', () => {
  it('the payer authorizes, after the restart, a consent opened before it, and the payment completes', async () => {
    const start = deployment()
    const before = await start()
    const intent = await startedIntent(PAYERS.settles, before)
    const stoppedAt = before.tributary.clock.now()

    const after = await start(stoppedAt)
    // The consent page is served by the new engine (its own port): same path, new origin.
    const consentUrl = new URL(new URL(intent.consentUrl!).pathname, after.tributary.url).toString()
    const answer = await answerAtBank(consentUrl, 'approve')
    expect(answer.status).toBe(200)
    await after.tributary.clock.settle()
    await expect.poll(async () => (await after.client.payments.fetchPaymentIntent(intent.id)).status).toBe('PAYMENT_COMPLETED')
  })

  it('a payment in delayed settlement completes after the restart once the engine clock passes its delay', async () => {
    const start = deployment()
    const before = await start()
    const intent = await startedIntent(PAYERS.delayed, before)
    expect((await answerAtBank(intent.consentUrl!, 'approve')).status).toBe(200)
    await before.tributary.clock.settle()
    expect((await before.client.payments.fetchPaymentIntent(intent.id)).status).toBe('PAYMENT_SETTLEMENT_PROCESSING')
    await before.tributary.clock.advance(4 * 60_000)
    await before.tributary.clock.settle()
    const stoppedAt = before.tributary.clock.now()

    const after = await start(stoppedAt)
    await after.tributary.clock.settle()
    expect((await after.client.payments.fetchPaymentIntent(intent.id)).status).toBe('PAYMENT_SETTLEMENT_PROCESSING')
    await after.tributary.clock.advance(7 * 60_000)
    await after.tributary.clock.settle()
    await expect.poll(async () => (await after.client.payments.fetchPaymentIntent(intent.id)).status).toBe('PAYMENT_COMPLETED')
  })
})
