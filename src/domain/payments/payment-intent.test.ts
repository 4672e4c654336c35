import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { INTENT_LIFECYCLE } from './lifecycle-catalog.ts'
import {
  CONSENT_WINDOW_MINUTES,
  INTENT_KINDS,
  intentHasConsent,
  intentInvariantViolations,
  startedIntent,
  startedPixQrIntent,
  transitionIntent,
  type IntentKind,
  type PaymentIntentEvent,
  type PaymentIntentState,
} from './payment-intent.ts'
import { isFinalIntentStatus } from './statuses.ts'
import type { PaymentEffect } from './transition.ts'

const AT = '2026-03-02T12:00:00.000Z'
const URL = 'https://bank.example/consents/c-1'

function drive(events: PaymentIntentEvent[], from: PaymentIntentState = startedIntent('PAYMENT', 10_000)) {
  let state = from
  const effects: PaymentEffect[][] = []
  for (const event of events) {
    const result = transitionIntent(state, event)
    if (!result.ok) throw new Error(`${event.type} refused from ${state.status}: ${result.reason}`)
    expect(intentInvariantViolations(result.next)).toEqual([])
    state = result.next
    effects.push(result.effects)
  }
  return { state, effects, all: effects.flat() }
}

const emitted = (effects: PaymentEffect[]) => effects.flatMap((e) => (e.type === 'EMIT' ? [e.event] : []))
const funds = (effects: PaymentEffect[]) => effects.flatMap((e) => (e.type === 'MOVE_FUNDS' ? [`${e.movement} ${e.amountCents}`] : []))

const toConsent: PaymentIntentEvent[] = [{ type: 'CONSENT_CREATED', consentUrl: URL, at: AT }]
const settlement: PaymentIntentEvent[] = [
  { type: 'PAYER_AUTHORIZED' },
  { type: 'PAYMENT_INITIATED' },
  { type: 'SETTLEMENT_STARTED' },
  { type: 'DEBTOR_ACCOUNT_DEBITED' },
  { type: 'SETTLEMENT_CONFIRMED' },
]

describe('a payment intent', () => {
  it('pays: consent awaited, authorized, pending, settling, debited, completed — with the reference’s webhooks', () => {
    const { state, effects, all } = drive([{ type: 'QUEUED_AT_INSTITUTION' }, ...toConsent, ...settlement])
    expect(state.status).toBe('PAYMENT_COMPLETED')
    expect(emitted(all)).toEqual(['payment_intent/created', 'payment_intent/completed'])
    expect(emitted(effects[1])).toEqual(['payment_intent/created'])
    expect(funds(all)).toEqual(['DEBIT_PAYER 10000', 'CREDIT_RECIPIENT 10000'])
  })

  it('asks the engine to check the consent when its window closes: 30 minutes, 60 for Pix Automático', () => {
    for (const kind of INTENT_KINDS.filter(intentHasConsent)) {
      const { state, effects } = drive(toConsent, startedIntent(kind, kind === 'AUTOMATIC_PIX' ? 0 : 500))
      const at = new Date(Date.parse(AT) + CONSENT_WINDOW_MINUTES[kind] * 60_000).toISOString()
      expect(state.consentExpiresAt).toBe(at)
      expect(effects[0]).toContainEqual({ type: 'CHECK_AT', check: 'CONSENT_EXPIRY', at })
    }
    expect(CONSENT_WINDOW_MINUTES).toEqual({ PAYMENT: 30, SCHEDULE: 30, AUTOMATIC_PIX: 60, BULK_TOP_UP: 30, BULK_PIX_QR: 30 })
  })

  it('expires when the window closed first, and not before it closes', () => {
    const { state } = drive(toConsent)
    expect(transitionIntent(state, { type: 'CONSENT_EXPIRED', at: '2026-03-02T12:29:59.999Z' }).ok).toBe(false)
    const expired = drive([{ type: 'CONSENT_EXPIRED', at: '2026-03-02T12:30:00.000Z' }], state)
    expect(expired.state.status).toBe('EXPIRED')
    expect(expired.state.error?.code).toBe('CONSENT_EXPIRED')
    expect(emitted(expired.all)).toEqual(['payment_intent/error'])
  })

  it('a late expiry check after the payer authorized changes nothing', () => {
    const { state } = drive([...toConsent, { type: 'PAYER_AUTHORIZED' }])
    expect(transitionIntent(state, { type: 'CONSENT_EXPIRED', at: '2026-03-02T13:00:00.000Z' }).ok).toBe(false)
  })

  it('waits for more approvers when partially accepted, telling the application', () => {
    const { state, all } = drive([...toConsent, { type: 'PAYER_AUTHORIZED' }, { type: 'PAYMENT_INITIATED' }, { type: 'ADDITIONAL_AUTHORIZATION_REQUIRED' }])
    expect(state.status).toBe('PAYMENT_PARTIALLY_ACCEPTED')
    expect(emitted(all)).toEqual(['payment_intent/created', 'payment_intent/waiting_payer_authorization'])
    expect(drive([{ type: 'SETTLEMENT_STARTED' }], state).state.status).toBe('PAYMENT_SETTLEMENT_PROCESSING')
  })

  it('is rejected by the payer, or by the bank before the debit — never after it', () => {
    expect(drive([...toConsent, { type: 'PAYER_REJECTED', detail: 'Recusado' }]).state).toMatchObject({ status: 'CONSENT_REJECTED', error: { code: 'CONSENT_REJECTED', detail: 'Recusado' } })
    const error = { code: 'INSUFFICIENT_FUNDS', description: 'Not enough funds.' }
    const rejected = drive([...toConsent, ...settlement.slice(0, 3), { type: 'BANK_REJECTED', error }])
    expect(rejected.state).toMatchObject({ status: 'PAYMENT_REJECTED', error })
    expect(funds(rejected.all)).toEqual([])
    const debited = drive([...toConsent, ...settlement.slice(0, 4)]).state
    expect(transitionIntent(debited, { type: 'BANK_REJECTED', error }).ok).toBe(false)
    expect(transitionIntent(debited, { type: 'FAILED', error }).ok).toBe(false)
    expect(transitionIntent(debited, { type: 'CANCELED' }).ok).toBe(false)
  })

  it('can be canceled until it goes to settlement', () => {
    expect(drive([...toConsent, { type: 'PAYER_AUTHORIZED' }, { type: 'PAYMENT_INITIATED' }, { type: 'CANCELED' }]).state.status).toBe('CANCELED')
    const settling = drive([...toConsent, ...settlement.slice(0, 3)]).state
    expect(transitionIntent(settling, { type: 'CANCELED' }).ok).toBe(false)
  })

  it.each(['SCHEDULE', 'AUTOMATIC_PIX'] as const)('a %s intent completes when the bank confirms the consent, moving no money', (kind) => {
    const { state, all } = drive([...toConsent, { type: 'PAYER_AUTHORIZED' }, { type: 'CONSENT_CONFIRMED' }], startedIntent(kind, 0))
    expect(state.status).toBe('PAYMENT_COMPLETED')
    expect(funds(all)).toEqual([])
    const authorized = drive([...toConsent, { type: 'PAYER_AUTHORIZED' }], startedIntent(kind, 0)).state
    expect(transitionIntent(authorized, { type: 'PAYMENT_INITIATED' }).ok).toBe(false)
  })

  it('a paying intent does not complete on a consent confirmation alone', () => {
    const authorized = drive([...toConsent, { type: 'PAYER_AUTHORIZED' }]).state
    expect(transitionIntent(authorized, { type: 'CONSENT_CONFIRMED' }).ok).toBe(false)
  })

  const broken: [string, Partial<PaymentIntentState>, RegExp][] = [
    ['an error outside the error statuses', { status: 'PAYMENT_PENDING', consentUrl: URL, consentExpiresAt: AT, error: { code: 'X', description: 'x' } }, /error present/],
    ['an error status without its error', { status: 'CONSENT_REJECTED', consentUrl: URL, consentExpiresAt: AT }, /error missing/],
    ['a consent URL before the consent exists', { status: 'STARTED', consentUrl: URL, consentExpiresAt: AT }, /consentUrl present/],
    ['an awaited consent without its URL', { status: 'CONSENT_AWAITING_AUTHORIZATION' }, /consentUrl missing/],
    ['a URL without its window', { status: 'CONSENT_AWAITING_AUTHORIZATION', consentUrl: URL }, /set together/],
    ['a schedule consent settling money', { kind: 'SCHEDULE', status: 'PAYMENT_PENDING', consentUrl: URL, consentExpiresAt: AT }, /cannot be PAYMENT_PENDING/],
    ['a payment of nothing', { amountCents: 0 }, /positive amount/],
    ['a fraction of a centavo', { amountCents: 10.5 }, /whole number/],
  ]
  it.each(broken)('the invariants catch %s', (_name, patch, pattern) => {
    const violations = intentInvariantViolations({ ...startedIntent('PAYMENT', 10_000), ...patch })
    expect(
      violations.some((v) => pattern.test(v)),
      violations.join('; '),
    ).toBe(true)
  })
})

describe('property: random event sequences', () => {
  const eventArb = fc.constantFrom(...INTENT_LIFECYCLE.events)
  const kindArb = fc.constantFrom<IntentKind>(...INTENT_KINDS)
  // Chunks of the happy path (any prefix of it) between random events, so that sequences also
  // reach settlement and fail at every step of it.
  const happy = [...toConsent, ...settlement]
  const prefixArb = fc.integer({ min: 1, max: happy.length }).map((n) => happy.slice(0, n))
  const sequenceArb = fc
    .array(
      fc.oneof(
        eventArb.map((e) => [e]),
        prefixArb,
      ),
      { maxLength: 12 },
    )
    .map((chunks) => chunks.flat())

  it('keep the invariants, freeze finished intents, move money at most once per leg and only when paying now', () => {
    const reached = new Set<string>()
    fc.assert(
      fc.property(kindArb, fc.integer({ min: 1, max: 10_000_000 }), sequenceArb, (kind, amount, events) => {
        let state = intentHasConsent(kind) ? startedIntent(kind, kind === 'AUTOMATIC_PIX' ? 0 : amount) : startedPixQrIntent(amount, AT).next
        const all: PaymentEffect[] = []
        for (const event of events) {
          const result = transitionIntent(state, event)
          if (isFinalIntentStatus(state.status)) expect(result.ok).toBe(false)
          if (!result.ok) continue
          expect(intentInvariantViolations(result.next)).toEqual([])
          state = result.next
          all.push(...result.effects)
        }
        reached.add(state.status)
        const moves = funds(all)
        const paysNow = kind === 'PAYMENT' || kind === 'BULK_TOP_UP' || kind === 'BULK_PIX_QR'
        if (!paysNow) expect(moves).toEqual([])
        else if (state.status === 'PAYMENT_COMPLETED') expect(moves).toEqual([`DEBIT_PAYER ${amount}`, `CREDIT_RECIPIENT ${amount}`])
        else if (state.status === 'PAYMENT_SETTLEMENT_DEBTOR_ACCOUNT') expect(moves).toEqual([`DEBIT_PAYER ${amount}`])
        else expect(moves).toEqual([])
        // One closing webhook exactly when the intent is finished, after its created one.
        const events_ = emitted(all)
        const closing = events_.filter((e) => e === 'payment_intent/completed' || e === 'payment_intent/error')
        expect(closing.length).toBe(isFinalIntentStatus(state.status) ? 1 : 0)
        expect(events_.filter((e) => e === 'payment_intent/created').length).toBe(state.consentUrl ? 1 : 0)
      }),
      { seed: 22, numRuns: 1500 },
    )
    for (const status of ['PAYMENT_COMPLETED', 'PAYMENT_REJECTED', 'EXPIRED', 'CONSENT_REJECTED', 'CANCELED', 'ERROR']) expect(reached.has(status), status).toBe(true)
  })
})
