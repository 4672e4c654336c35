import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../store/database.ts'
import { openMigratedDatabase } from '../store/open-migrated.ts'
import { ManualClock } from '../time/manual-clock.ts'
import { SandboxPayerBank, type PayerBankConsentRequest } from './payer-bank.ts'

// The sandbox payer bank's standing consents: the payer changes the scenario of the next payments
// (out of money, then topped up) without touching the payments already made.

let db: Database
beforeAll(async () => {
  db = await openMigratedDatabase({ databaseUrl: null, dataDir: ':memory:' })
})
afterAll(async () => {
  await db?.close()
})

function bank(clock = new ManualClock(new Date('2026-03-02T12:00:00Z'))) {
  const debited = new Map<string, number>()
  const payer = new SandboxPayerBank({
    db: db.pool,
    clock,
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
    const consent = await payer.createConsent(request('AUTOMATIC_PIX', 'mandate-1'))
    expect(await payer.decide(consent.id, { csrf: consent.csrf, decision: 'approve' })).toHaveProperty('redirect')
    const first = await payer.initiate(consent.id, { reference: 'p1:0', amountCents: 5_000 })
    expect('refused' in first ? first : await payer.paymentStatus(first.id)).toEqual({ status: 'ACCC', rejection: null })
    debit(consent.accountId, 5_000)

    expect(await payer.changeScenario(consent.id, { csrf: consent.csrf, scenario: 'INSUFFICIENT_FUNDS' })).toEqual({ scenario: 'INSUFFICIENT_FUNDS' })
    expect(await payer.balanceOf((await payer.consent(consent.id))!)).toBe(0)
    const poor = await payer.initiate(consent.id, { reference: 'p2:0', amountCents: 5_000 })
    expect('refused' in poor ? poor : (await payer.paymentStatus(poor.id))?.rejection?.code).toBe('SALDO_INSUFICIENTE')

    expect(await payer.changeScenario(consent.id, { csrf: consent.csrf, scenario: 'SETTLES' })).toEqual({ scenario: 'SETTLES' })
    const retried = await payer.initiate(consent.id, { reference: 'p2:1', amountCents: 5_000 })
    expect('refused' in retried ? retried : await payer.paymentStatus(retried.id)).toEqual({ status: 'ACCC', rejection: null })
    // The payment already refused stays refused.
    expect('refused' in poor ? poor : (await payer.paymentStatus(poor.id))?.status).toBe('RJCT')
  })

  it('refuses a change without the page’s token, to a one-off consent, or to an unknown scenario', async () => {
    const { payer } = bank()
    const oneOff = await payer.createConsent(request('PAYMENT', 'intent-1'))
    await payer.decide(oneOff.id, { csrf: oneOff.csrf, decision: 'approve' })
    expect(await payer.changeScenario(oneOff.id, { csrf: oneOff.csrf, scenario: 'SETTLES' })).toHaveProperty('refused')
    const standing = await payer.createConsent(request('SCHEDULE', 'intent-2'))
    expect(await payer.changeScenario(standing.id, { csrf: standing.csrf, scenario: 'SETTLES' })).toHaveProperty('refused') // not authorized yet
    await payer.decide(standing.id, { csrf: standing.csrf, decision: 'approve' })
    expect(await payer.changeScenario(standing.id, { csrf: 'forged', scenario: 'SETTLES' })).toHaveProperty('refused')
    expect(await payer.changeScenario(standing.id, { csrf: standing.csrf, scenario: 'BROKE' })).toHaveProperty('refused')
  })
})

describe('the sandbox payer bank’s records', () => {
  it('outlive the bank that made them: another bank on the same database answers the consent page, and settles a delayed payment when the clock moves', async () => {
    const clock = new ManualClock(new Date('2026-03-02T12:00:00Z'))
    const before = bank(clock).payer
    const consent = await before.createConsent({ ...request('PAYMENT', 'intent-delayed'), payer: { cpf: '00000000272' } })
    expect(consent.scenario).toBe('SETTLEMENT_DELAYED')
    // The same reference answers the same consent, from any bank on this database.
    const after = bank(clock).payer
    expect((await after.createConsent(request('PAYMENT', 'intent-delayed'))).id).toBe(consent.id)

    expect(await after.decide(consent.id, { csrf: consent.csrf, decision: 'approve' })).toHaveProperty('redirect')
    expect(await before.decide(consent.id, { csrf: consent.csrf, decision: 'reject' })).toEqual({ refused: 'This consent was already answered.' })
    const payment = await after.initiate(consent.id, { reference: 'intent-delayed:0', amountCents: 5_000 })
    if ('refused' in payment) throw new Error(payment.refused)
    expect((await after.consent(consent.id))?.status).toBe('CONSUMED')
    // A retry of the same payment gets it back, though the one-off consent is used up.
    expect(await before.initiate(consent.id, { reference: 'intent-delayed:0', amountCents: 5_000 })).toEqual(payment)

    const restarted = bank(clock).payer
    expect(await restarted.paymentStatus(payment.id)).toEqual({ status: 'ACCP', rejection: null })
    await clock.advance(10 * 60_000)
    expect(await restarted.paymentStatus(payment.id)).toEqual({ status: 'ACCC', rejection: null })
  })

  it('keeps the payments waiting for a second approver until one approves', async () => {
    const { payer } = bank()
    const consent = await payer.createConsent({ ...request('PAYMENT', 'intent-second'), payer: { cpf: '00000000434' } })
    await payer.decide(consent.id, { csrf: consent.csrf, decision: 'approve' })
    const payment = await payer.initiate(consent.id, { reference: 'intent-second:0', amountCents: 5_000 })
    if ('refused' in payment) throw new Error(payment.refused)
    const page = await bank().payer.page(consent.id)
    expect('refused' in page ? page : page.awaitingSecondApproval.map((p) => p.id)).toEqual([payment.id])
    expect(await payer.paymentStatus(payment.id)).toEqual({ status: 'PATC', rejection: null })
    expect(await bank().payer.approveSecond(consent.id, { csrf: consent.csrf })).toEqual({ approved: 1 })
    expect(await payer.paymentStatus(payment.id)).toEqual({ status: 'ACCC', rejection: null })
  })
})
