import type { Browser } from 'playwright-core'
import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import { launchBrowser, openContext, poll, reportFailure, type PageRecord } from '../connect/connect-harness.ts'
import { WebhookReceiver } from '../support/webhook-receiver.ts'
import { createRecipient, startPayments, type PaymentsFixture } from './payment-support.ts'

/**
 * What the payment pages' browser tests share: an engine on a manual clock with pluggy-sdk as the
 * application's client, headless Chromium, and a real webhook receiver subscribed to every event.
 * Each browser context only reaches Tributary and the receiver; a failed test leaves a screenshot.
 */
export interface PaymentBrowserHarness {
  readonly fixture: PaymentsFixture
  readonly browser: Browser
  readonly receiver: WebhookReceiver
  /** A new browser context (a payer), closed after the test. */
  open(url: string): Promise<PageRecord>
  /** The payment webhooks received whose payload names this request (or bulk payment), in the order they arrived. */
  hooksOf(id: string): string[]
  /** The payloads of those webhooks. */
  payloadsOf(id: string): Record<string, unknown>[]
}

/** Call at the top of a test file: starts everything in beforeAll and stops it in afterAll. */
export function setUpPaymentBrowser(): PaymentBrowserHarness {
  const receiver = new WebhookReceiver()
  const opened: PageRecord[] = []
  const state: { fixture?: PaymentsFixture; browser?: Browser } = {}

  beforeAll(async () => {
    ;[state.fixture, state.browser] = await Promise.all([startPayments(), launchBrowser(), receiver.start()])
    await createRecipient(state.fixture.client)
    await state.fixture.client.createWebhook('all', receiver.url('hooks'))
  })
  afterAll(async () => {
    await state.browser?.close()
    await state.fixture?.tributary.stop()
    await receiver.stop()
  })
  afterEach(async (context) => {
    for (const record of opened.splice(0)) {
      if (context.task.result?.state === 'fail') await reportFailure(record, context.task.name)
      expect(record.external, 'requests to other hosts').toEqual([])
      expect(record.errors, 'page errors').toEqual([])
      await record.context.close()
    }
  })

  const about = (id: string) => receiver.at('hooks').filter((r) => r.body.paymentRequestId === id || r.body.bulkPaymentId === id)
  return {
    get fixture() {
      return state.fixture!
    },
    get browser() {
      return state.browser!
    },
    receiver,
    async open(url) {
      const record = await openContext(state.browser!, url, { width: 420, allowOrigins: [state.fixture!.tributary.url, receiver.url('x').replace(/\/x$/, '')] })
      opened.push(record)
      return record
    },
    hooksOf: (id) => about(id).map((r) => r.body.event as string),
    payloadsOf: (id) => about(id).map((r) => r.body as Record<string, unknown>),
  }
}

export const heading = (record: PageRecord) => record.page.getByRole('heading', { level: 1 }).textContent()

/**
 * The payer on a payment page (a request's or a bulk payment's paymentUrl): picks the sandbox bank,
 * gives their CPF and goes on to the bank's authorization page. Answers the bank page's URL, where
 * the payer can come back to later (a standing consent is managed there).
 */
export async function payerToTheBank(record: PageRecord, paymentUrl: string, cpf: string, expectedAmount?: string): Promise<string> {
  const { page } = record
  await page.goto(paymentUrl)
  await poll(() => heading(record)).toBe('Pay with Pix')
  if (expectedAmount !== undefined) expect(await page.locator('#amount').textContent()).toBe(expectedAmount)
  await page.getByLabel('Your bank').selectOption({ label: 'Sandbox Open Finance Bank' })
  await page.getByLabel('Your CPF').fill(cpf)
  await page.getByRole('button', { name: 'Continue to your bank' }).click()
  await poll(() => heading(record), 15_000).toBe('Authorize this Pix')
  return page.url()
}

/** The sandbox bank's page shows the payer's balance as `R$ 9.974,50`; answers it in centavos. */
export async function balanceOnBankPage(record: PageRecord): Promise<number> {
  const text = (await record.page.locator('#balance').textContent()) ?? ''
  return Math.round(Number(text.replace(/[^\d,-]/g, '').replace(',', '.')) * 100)
}
