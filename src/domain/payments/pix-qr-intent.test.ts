import { describe, expect, it } from 'vitest'
import { createdBulkPayment, type BulkPaymentState } from './bulk-payment.ts'
import { moveIntent, startIntent, type IntentOwner } from './intent-moves.ts'
import { intentBankStep, paidPixQrSettlementEvent } from './payment-execution.ts'
import { intentInvariantViolations, startedPixQrIntent, transitionIntent, type PaymentIntentEvent, type PaymentIntentState } from './payment-intent.ts'
import { isSettlementStatus } from './settlement.ts'
import type { PaymentEffect } from './transition.ts'

const AT = '2026-03-02T12:00:00.000Z'
const bulk = () =>
  createdBulkPayment([
    { paymentRequestId: 'r-1', amountCents: 1_000 },
    { paymentRequestId: 'r-2', amountCents: 2_500 },
  ])

/** Drives a bulk payment and its Pix QR intent together, as the engine saves them. */
function drive(events: PaymentIntentEvent[]) {
  const start = startIntent({ type: 'BULK', state: bulk() }, 3_500, AT)
  if (!start.ok) throw new Error(start.reason)
  let owner: IntentOwner = start.owner.next
  let intent: PaymentIntentState = start.intent.next
  const effects: PaymentEffect[] = [...start.intent.effects, ...start.owner.effects]
  for (const event of events) {
    const moved = moveIntent(owner, intent, event)
    if (!moved.ok) throw new Error(moved.reason)
    expect(intentInvariantViolations(moved.intent.next)).toEqual([])
    owner = moved.owner.next
    intent = moved.intent.next
    effects.push(...moved.intent.effects, ...moved.owner.effects)
  }
  return { intent, bulk: owner.state as BulkPaymentState, effects }
}

describe('a Pix QR top-up of a bulk payment', () => {
  it('starts with its QR window open (30 minutes) and a check when it closes, asking no bank for a consent', () => {
    const { intent, bulk: started, effects } = drive([])
    expect(intent).toMatchObject({ kind: 'BULK_PIX_QR', status: 'STARTED', consentUrl: null, consentExpiresAt: '2026-03-02T12:30:00.000Z' })
    expect(effects).toContainEqual({ type: 'CHECK_AT', check: 'CONSENT_EXPIRY', at: '2026-03-02T12:30:00.000Z' })
    expect(started.status).toBe('TOP_UP_STARTED')
    expect(intentBankStep('STARTED', 'BULK_PIX_QR')).toBe('NONE')
    for (const event of [{ type: 'QUEUED_AT_INSTITUTION' }, { type: 'CONSENT_CREATED', consentUrl: 'https://bank.example/c', at: AT }, { type: 'PAYER_AUTHORIZED' }] as const)
      expect(transitionIntent(intent, event)).toMatchObject({ ok: false, reason: expect.stringMatching(/no consent/) })
  })

  it('settles once paid: the smart account is credited, the bulk payment pays its requests', () => {
    const { intent, bulk: paid, effects } = drive([{ type: 'PIX_QR_PAID' }])
    expect(intent.status).toBe('PAYMENT_PENDING')
    expect(paid.status).toBe('TOP_UP_IN_PROGRESS')
    // The engine walks a paid QR through settlement on its own.
    const rest: PaymentIntentEvent[] = []
    let status = intent.status
    let state = intent
    while (isSettlementStatus(status) && intentBankStep(status, 'BULK_PIX_QR') === 'SETTLE_PAID_QR') {
      const next = paidPixQrSettlementEvent(status)!
      rest.push(next)
      const moved = transitionIntent(state, next)
      if (!moved.ok) throw new Error(moved.reason)
      state = moved.next
      status = state.status
    }
    const done = drive([{ type: 'PIX_QR_PAID' }, ...rest])
    expect(done.intent.status).toBe('PAYMENT_COMPLETED')
    expect(done.bulk.status).toBe('PAYMENT_IN_PROGRESS')
    const all = [...effects, ...done.effects]
    expect(all.filter((e) => e.type === 'MOVE_FUNDS' && e.movement === 'CREDIT_RECIPIENT')).toEqual([{ type: 'MOVE_FUNDS', movement: 'CREDIT_RECIPIENT', amountCents: 3_500 }])
    expect(done.effects).toContainEqual({ type: 'PAY_BULK_REQUESTS' })
  })

  it('expires when nobody paid it in time, and not before; a paid QR no longer expires', () => {
    const { intent } = drive([])
    expect(transitionIntent(intent, { type: 'CONSENT_EXPIRED', at: '2026-03-02T12:29:59.000Z' }).ok).toBe(false)
    const expired = drive([{ type: 'CONSENT_EXPIRED', at: '2026-03-02T12:31:00.000Z' }])
    expect(expired.intent).toMatchObject({ status: 'EXPIRED', error: { code: 'CONSENT_EXPIRED', description: 'Nobody paid the Pix QR code in time.' } })
    // As after a consent top-up that expired: the bulk payment may be topped up again.
    expect(expired.bulk).toMatchObject({ status: 'CREATED', intentInProgress: false })
    const paid = drive([{ type: 'PIX_QR_PAID' }])
    expect(transitionIntent(paid.intent, { type: 'CONSENT_EXPIRED', at: '2026-03-02T12:31:00.000Z' }).ok).toBe(false)
    expect(transitionIntent(paid.intent, { type: 'PIX_QR_PAID' }).ok).toBe(false)
  })

  it('is only for bulk payments, and a consent intent is never paid by a QR', () => {
    expect(startIntent({ type: 'REQUEST', state: { kind: 'ONE_OFF' } as never }, 100, AT)).toMatchObject({ ok: false })
    const consent = startIntent({ type: 'BULK', state: bulk() }, 3_500)
    expect(consent.ok && transitionIntent(consent.intent.next, { type: 'PIX_QR_PAID' }).ok).toBe(false)
  })

  it('the invariants catch a QR top-up with a consent URL, without its window, or in a consent status', () => {
    const qr = startedPixQrIntent(3_500, AT).next
    expect(intentInvariantViolations({ ...qr, consentUrl: 'https://x' })).toContain('a Pix QR top-up has no consentUrl')
    expect(intentInvariantViolations({ ...qr, consentExpiresAt: null })).toContain('a Pix QR top-up has its window (consentExpiresAt)')
    expect(intentInvariantViolations({ ...qr, status: 'CONSENT_AUTHORIZED' })).toContain('a Pix QR top-up cannot be CONSENT_AUTHORIZED')
  })
})
