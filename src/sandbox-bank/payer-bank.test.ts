import { describe, expect, it } from 'vitest'
import { ManualClock } from '../time/manual-clock.ts'
import { SandboxPayerBank, type PayerBankConsentRequest } from './payer-bank.ts'

// The sandbox payer bank's standing consents: the payer changes the scenario of the next payments
// (out of money, then topped up) without touching the payments already made.

function bank() {
  const debited = new Map<string, number>()
  const payer = new SandboxPayerBank({
    clock: new ManualClock(new Date('2026-03-02T12:00:00Z')),
    debitedCents: async (accountId) => debited.get(accountId) ?? 0,
    settledDebits: async () => [],
    onChange: () => {},
  })
  return { payer, debit: (accountId: string, cents: number) => debited.set(accountId, (debited.get(accountId) ?? 0) + cents) }
}

const request = (kind: string, reference: string): PayerBankConsentRequest => ({
  reference,
  kind,
  amountCents: 5_000,
  payer: { cpf: '52998224725' },
  recipient: { name: 'Academia', taxNumber: '11222333000181' },
  description: null,
  redirectUrl: 'http://127.0.0.1/pay/x/return',
  expiresAt: '2026-03-02T13:00:00Z',
})

describe('a standing consent at the sandbox payer bank', () => {
  it('stays authorized across payments, and its next payments follow the scenario the payer chose', async () => {
    const { payer, debit } = bank()
    const consent = payer.createConsent(request('AUTOMATIC_PIX', 'mandate-1'))
    expect(payer.decide(consent.id, { csrf: consent.csrf, decision: 'approve' })).toHaveProperty('redirect')
    const first = await payer.initiate(consent.id, { reference: 'p1:0', amountCents: 5_000 })
    expect('refused' in first ? first : payer.paymentStatus(first.id)).toEqual({ status: 'ACCC', rejection: null })
    debit(consent.accountId, 5_000)

    expect(payer.changeScenario(consent.id, { csrf: consent.csrf, scenario: 'INSUFFICIENT_FUNDS' })).toEqual({ scenario: 'INSUFFICIENT_FUNDS' })
    expect(await payer.balanceOf(consent)).toBe(0)
    const poor = await payer.initiate(consent.id, { reference: 'p2:0', amountCents: 5_000 })
    expect('refused' in poor ? poor : payer.paymentStatus(poor.id)?.rejection?.code).toBe('SALDO_INSUFICIENTE')

    expect(payer.changeScenario(consent.id, { csrf: consent.csrf, scenario: 'SETTLES' })).toEqual({ scenario: 'SETTLES' })
    const retried = await payer.initiate(consent.id, { reference: 'p2:1', amountCents: 5_000 })
    expect('refused' in retried ? retried : payer.paymentStatus(retried.id)).toEqual({ status: 'ACCC', rejection: null })
    // The payment already refused stays refused.
    expect('refused' in poor ? poor : payer.paymentStatus(poor.id)?.status).toBe('RJCT')
  })

  it('refuses a change without the page’s token, to a one-off consent, or to an unknown scenario', async () => {
    const { payer } = bank()
    const oneOff = payer.createConsent(request('PAYMENT', 'intent-1'))
    payer.decide(oneOff.id, { csrf: oneOff.csrf, decision: 'approve' })
    expect(payer.changeScenario(oneOff.id, { csrf: oneOff.csrf, scenario: 'SETTLES' })).toHaveProperty('refused')
    const standing = payer.createConsent(request('SCHEDULE', 'intent-2'))
    expect(payer.changeScenario(standing.id, { csrf: standing.csrf, scenario: 'SETTLES' })).toHaveProperty('refused') // not authorized yet
    payer.decide(standing.id, { csrf: standing.csrf, decision: 'approve' })
    expect(payer.changeScenario(standing.id, { csrf: 'forged', scenario: 'SETTLES' })).toHaveProperty('refused')
    expect(payer.changeScenario(standing.id, { csrf: standing.csrf, scenario: 'BROKE' })).toHaveProperty('refused')
  })
})
