/**
 * A Pix Automático authorization given by the payer in a real browser (headless Chromium): the
 * payment page shows the mandate's terms, the payer authorizes at the sandbox bank, and then the
 * application (pluggy-sdk) schedules payments under it while the engine's manual clock moves: one
 * settles on its day; the next fails for lack of funds (the payer switched their sandbox account to
 * insufficient funds on the bank's page, where a standing authorization is managed), is retried by
 * the application and settles once the payer's account is funded again; a last one is canceled with
 * the authorization. Webhooks arrive at a real receiver, in order.
 */
import { describe, expect, it } from 'vitest'
import { addDays, brasiliaDateOf } from '../../src/domain/payments/calendar-date.ts'
import { BROWSER_AVAILABLE, poll, type PageRecord } from '../connect/connect-harness.ts'
import { balanceOnBankPage, heading, payerToTheBank, setUpPaymentBrowser } from './browser-support.ts'
import { clientOf, PAYERS } from './payment-support.ts'

const harness = setUpPaymentBrowser()

/** The payer, back at their bank, sets what the authorization's next payments meet (sandbox). */
async function nextPaymentsAtBank(payer: PageRecord, bankPage: string, scenario: 'Insufficient funds' | 'Settles at once'): Promise<void> {
  await payer.page.goto(bankPage)
  await poll(() => heading(payer)).toBe('This authorization is in force')
  await payer.page.getByLabel('Next payments under this authorization (sandbox)').selectOption({ label: scenario })
  await payer.page.getByRole('button', { name: 'Save' }).click()
  await poll(() => payer.page.locator('#scenario option:checked').textContent()).toBe(scenario)
}

describe.skipIf(!BROWSER_AVAILABLE)('Pix Automático through the payment page', () => {
  it('authorized at the bank; a payment settles, one fails and its retry settles, the last is canceled with the authorization', async () => {
    const { fixture, receiver } = harness
    const { tributary } = fixture
    const today = brasiliaDateOf(tributary.clock.now())
    const day = (n: number) => addDays(today, n)
    /**
     * Moves the engine's clock to 00:01 of a day in Brasília, when that day's payments are due. It
     * settles first: a webhook still in flight when the clock jumps would time out on the engine's
     * clock (10 s) and be retried later, holding back the ones after it.
     */
    const toDay = async (n: number) => {
      await tributary.clock.settle()
      await tributary.clock.advanceTo(new Date(Date.parse(`${day(n)}T00:01:00-03:00`)))
      await tributary.clock.settle()
    }
    const mandate = await fixture.client.payments.createPaymentRequestPixAutomatico({
      isSandbox: true,
      description: 'Plano semanal',
      interval: 'WEEKLY',
      startDate: today,
      fixedAmount: 59.9,
      isRetryAccepted: true,
      callbackUrls: { success: receiver.url('mandate-authorized'), error: receiver.url('mandate-failed') },
    })

    const payer = await harness.open(mandate.paymentUrl)
    await payer.page.goto(mandate.paymentUrl)
    await poll(() => heading(payer)).toBe('Pay with Pix')
    expect(await payer.page.locator('#mandate').textContent()).toBe(`Weekly, from ${today}, R$ 59,90 each time; a failed payment may be retried`)
    const bankPage = await payerToTheBank(payer, mandate.paymentUrl, PAYERS.settles)
    const opening = await balanceOnBankPage(payer)
    await payer.page.getByRole('button', { name: 'Authorize' }).click()
    await poll(() => payer.page.url(), 15_000).toBe(receiver.url('mandate-authorized'))
    await tributary.clock.settle()
    expect((await fixture.client.payments.fetchPaymentRequest(mandate.id)).status).toBe('AUTHORIZED')
    await poll(() => harness.hooksOf(mandate.id)).toEqual(['payment_intent/created', 'payment_intent/completed', 'payment_request/updated'])

    // A payment in the first week settles on its day.
    const first = await fixture.client.payments.scheduleAutomaticPixPayment(mandate.id, { amount: 59.9, date: day(3) })
    expect(first.status).toBe('SCHEDULED')
    await toDay(3)
    expect((await clientOf(tributary).payments.fetchAutomaticPixPayment(mandate.id, first.id)).status).toBe('COMPLETED')
    await payer.page.goto(bankPage)
    expect(await balanceOnBankPage(payer)).toBe(opening - 5_990)

    // The payer runs out of money: the second week's payment fails on its day, retriable.
    await nextPaymentsAtBank(payer, bankPage, 'Insufficient funds')
    const second = await clientOf(tributary).payments.scheduleAutomaticPixPayment(mandate.id, { amount: 59.9, date: day(9) })
    await toDay(9)
    const failed = await clientOf(tributary).payments.fetchAutomaticPixPayment(mandate.id, second.id)
    expect([failed.status, failed.errorDetail?.code]).toEqual(['ERROR', 'SALDO_INSUFICIENTE'])
    await payer.page.goto(bankPage)
    expect(await balanceOnBankPage(payer)).toBe(0)

    // The application retries it two days later; the payer has funded their account by then.
    const retried = await clientOf(tributary).payments.retryAutomaticPixPayment(mandate.id, second.id, { date: day(11) })
    expect([retried.id, retried.status, retried.date]).toEqual([second.id, 'SCHEDULED', day(11)])
    await nextPaymentsAtBank(payer, bankPage, 'Settles at once')
    await toDay(11)
    expect((await clientOf(tributary).payments.fetchAutomaticPixPayment(mandate.id, second.id)).status).toBe('COMPLETED')
    await payer.page.goto(bankPage)
    expect(await balanceOnBankPage(payer)).toBe(opening - 2 * 5_990)

    // A third week's payment is pending when the application cancels the authorization.
    const third = await clientOf(tributary).payments.scheduleAutomaticPixPayment(mandate.id, { amount: 59.9, date: day(15) })
    await clientOf(tributary).payments.cancelAutomaticPixAuthorization(mandate.id)
    await tributary.clock.settle()
    expect((await clientOf(tributary).payments.fetchAutomaticPixPayment(mandate.id, third.id)).status).toBe('CANCELED')
    expect((await clientOf(tributary).payments.fetchPaymentRequest(mandate.id)).status).toBe('CANCELED')
    await toDay(15)
    await payer.page.goto(bankPage)
    expect(await balanceOnBankPage(payer)).toBe(opening - 2 * 5_990)

    await poll(() =>
      harness
        .payloadsOf(mandate.id)
        .slice(3)
        .map((p) => [p.event, p.automaticPixPaymentId ?? (p.data as { status?: string } | undefined)?.status]),
    ).toEqual([
      ['automatic_pix_payment/created', first.id],
      ['automatic_pix_payment/completed', first.id],
      ['automatic_pix_payment/created', second.id],
      ['automatic_pix_payment/error', second.id],
      ['automatic_pix_payment/created', second.id],
      ['automatic_pix_payment/completed', second.id],
      ['automatic_pix_payment/created', third.id],
      ['automatic_pix_payment/canceled', third.id],
      ['payment_request/updated', 'CANCELED'],
    ])
  })
})
