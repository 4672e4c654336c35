import { describe, expect, it } from 'vitest'
import { choosePage, waitingPage, type PaymentSummary } from './payment-page.ts'

// What the payer reads on the payment page before going to their bank.

const base: PaymentSummary = { amountCents: 12_000, description: 'Mensalidade <3', recipientName: 'Loja', dates: [], mandate: null }
const render = (s: Partial<PaymentSummary>) => choosePage({ ...base, ...s, csrf: 'token', banks: [{ id: 8, name: 'Sandbox' }] })
const text = (html: string, id: string) => new RegExp(`id="${id}">([^<]*)<`).exec(html)?.[1]

describe('the payment page’s summary', () => {
  it('a one-off payment: its amount, nothing about dates', () => {
    const html = render({})
    expect(text(html, 'amount')).toBe('R$ 120,00')
    expect(html).toContain('<dt>Amount</dt>')
    expect(text(html, 'dates')).toBeUndefined()
    expect(html).toContain('Mensalidade &#60;3')
  })

  it('a schedule: the amount of each payment and every date', () => {
    const html = render({ dates: ['2027-01-05', '2027-02-05', '2027-03-05'] })
    expect(html).toContain('<dt>Amount of each payment</dt>')
    expect(text(html, 'dates')).toBe('2027-01-05, 2027-02-05, 2027-03-05')
  })

  it('a Pix Automático mandate: its interval, period, amounts and retries', () => {
    const mandate = {
      interval: 'MONTHLY' as const,
      startDate: '2027-01-01',
      expiresAt: '2027-12-31',
      fixedAmountCents: null,
      minimumVariableAmountCents: 1_000,
      maximumVariableAmountCents: 25_050,
      isRetryAccepted: false,
    }
    expect(text(render({ amountCents: null, mandate }), 'mandate')).toBe('Monthly, from 2027-01-01 until 2027-12-31, from R$ 10,00 to R$ 250,50 each time')
    expect(text(render({ amountCents: null, mandate: { ...mandate, fixedAmountCents: 5_990, expiresAt: null, isRetryAccepted: true } }), 'mandate')).toBe(
      'Monthly, from 2027-01-01, R$ 59,90 each time; a failed payment may be retried',
    )
  })
})

describe('the waiting page', () => {
  it('a Pix QR top-up shows its copia e cola instead of a way back to a bank', () => {
    const html = waitingPage({ ...base, consentUrl: null, pixQr: '000201…6304ABCD' })
    expect(text(html, 'pix-qr')).toBe('000201…6304ABCD')
    expect(html).not.toContain('id="bank-page"')
    expect(waitingPage({ ...base, consentUrl: 'https://bank.example/c' })).not.toContain('id="pix-qr"')
  })
})
