/**
 * A monthly schedule (Pix Agendado) authorized by the payer in a real browser (headless Chromium):
 * the payment page shows the dates before the payer goes to the sandbox bank, the payer authorizes
 * there, and then the engine's manual clock moves to each date: each payment settles on its day,
 * the payer's balance at the bank goes down, and the webhooks arrive at a real receiver in order.
 */
import { describe, expect, it } from 'vitest'
import { addDays, brasiliaDateOf } from '../../src/domain/payments/calendar-date.ts'
import { BROWSER_AVAILABLE, poll } from '../connect/connect-harness.ts'
import { balanceOnBankPage, heading, payerToTheBank, setUpPaymentBrowser } from './browser-support.ts'
import { clientOf, PAYERS } from './payment-support.ts'

const harness = setUpPaymentBrowser()

describe.skipIf(!BROWSER_AVAILABLE)('a monthly schedule paid through the payment page', () => {
  it('is authorized once at the bank, then each payment settles on its day as the clock moves', async () => {
    const { fixture, receiver } = harness
    const { tributary } = fixture
    const first = addDays(brasiliaDateOf(tributary.clock.now()), 3)
    const dayOfMonth = Number(first.slice(8, 10))
    const request = await fixture.client.payments.createPaymentRequest({
      amount: 120,
      description: 'Mensalidade',
      schedule: { type: 'MONTHLY', startDate: first, dayOfMonth, occurrences: 3 },
      callbackUrls: { success: receiver.url('schedule-authorized'), error: receiver.url('schedule-failed') },
      isSandbox: true,
    })

    // The payer sees the three dates on the payment page, and again at the bank.
    const payer = await harness.open(request.paymentUrl)
    await payer.page.goto(request.paymentUrl)
    await poll(() => heading(payer)).toBe('Pay with Pix')
    const dates = ((await payer.page.locator('#dates').textContent()) ?? '').split(', ')
    expect(dates).toHaveLength(3)
    expect(dates[0]).toBe(first)
    const bankPage = await payerToTheBank(payer, request.paymentUrl, PAYERS.settles, 'R$ 120,00')
    expect(await payer.page.getByText(dates.join(', ')).count()).toBe(1)
    const opening = await balanceOnBankPage(payer)
    await payer.page.getByRole('button', { name: 'Authorize' }).click()
    await poll(() => payer.page.url(), 15_000).toBe(receiver.url('schedule-authorized'))
    await tributary.clock.settle()

    const { client } = fixture
    expect((await client.payments.fetchPaymentRequest(request.id)).status).toBe('SCHEDULED')
    const scheduled = (await client.payments.fetchScheduledPayments(request.id)).results
    expect(scheduled.map((p) => [p.scheduledDate, p.status])).toEqual(dates.map((date) => [date, 'SCHEDULED']))
    await poll(() => harness.hooksOf(request.id)).toEqual([
      'payment_intent/created',
      'payment_intent/completed',
      'scheduled_payment/created',
      'scheduled_payment/created',
      'scheduled_payment/created',
      'scheduled_payment/all_created',
    ])
    // Authorizing moved no money.
    await payer.page.goto(bankPage)
    expect(await balanceOnBankPage(payer)).toBe(opening)

    for (const [index, date] of dates.entries()) {
      // Just before the day (00:00 in Brasília) nothing is paid; on the day the payment settles.
      // Settled before the clock jumps: a webhook in flight would time out on the engine's clock.
      await tributary.clock.settle()
      await tributary.clock.advanceTo(new Date(Date.parse(`${date}T00:00:00-03:00`) - 60_000))
      await tributary.clock.settle()
      const payments = clientOf(tributary).payments
      expect((await payments.fetchScheduledPayment(request.id, scheduled[index].id)).status).toBe('SCHEDULED')
      await tributary.clock.advance(2 * 60_000)
      await tributary.clock.settle()
      expect((await payments.fetchScheduledPayment(request.id, scheduled[index].id)).status).toBe('COMPLETED')
      await payer.page.goto(bankPage)
      expect(await balanceOnBankPage(payer)).toBe(opening - 12_000 * (index + 1))
      await poll(() =>
        harness
          .payloadsOf(request.id)
          .filter((p) => p.event === 'scheduled_payment/completed')
          .map((p) => p.scheduledPaymentId),
      ).toEqual(scheduled.slice(0, index + 1).map((p) => p.id))
    }

    expect((await clientOf(tributary).payments.fetchPaymentRequest(request.id)).status).toBe('COMPLETED')
    await poll(() => harness.hooksOf(request.id).slice(6)).toEqual([
      'scheduled_payment/completed',
      'scheduled_payment/completed',
      'scheduled_payment/completed',
      'scheduled_payment/all_completed',
      'payment_request/updated',
    ])
    expect(harness.payloadsOf(request.id).at(-1)).toMatchObject({ event: 'payment_request/updated', data: { status: 'COMPLETED' } })
  })
})
