import { randomUUID } from 'node:crypto'
import { PluggyClient } from 'pluggy-sdk'
import { brasiliaDateOf } from '../../src/domain/payments/calendar-date.ts'
import { transitionAutomaticPixPayment } from '../../src/domain/payments/automatic-pix-payment.ts'
import { createdRequest, transitionRequest, type RequestKind } from '../../src/domain/payments/payment-request.ts'
import type { PaymentSchedule } from '../../src/domain/payments/schedule-dates.ts'
import type { PaymentEffect } from '../../src/domain/payments/transition.ts'
import { applyPaymentEffects } from '../../src/engine/payments/payment-effects.ts'
import type { Tributary } from '../../src/main.ts'
import { withTransaction } from '../../src/store/database.ts'
import { automaticPixPaymentStateOf, findAutomaticPixPayment, saveAutomaticPixPaymentTransitions } from '../../src/store/payments/automatic-pix-payments.ts'
import { paymentEvent } from '../../src/store/payments/payment-events.ts'
import { findPaymentRequest, insertPaymentRequest, requestStateOf, saveRequestTransition } from '../../src/store/payments/payment-requests.ts'
import { startTributary } from '../../src/testing/start-tributary.ts'
import { OTHER_CLIENT } from '../support/harness.ts'

/**
 * The parts of a payment's life that happen at the payer's bank — the payer authorizing a
 * schedule's or a Pix Automático mandate's consent, the bank failing a payment — played through
 * the domain's transitions, the store's guarded writes and the engine's applyPaymentEffects: what
 * the engine does when the bank answers so, for tests that need many such states quickly (the
 * bank's own pages are used in through-the-bank.test.ts and smart-transfers.test.ts). Requests
 * are inserted as createPaymentRequest stores them.
 */
export function paymentFixtures(tributary: Tributary) {
  const pool = tributary.db.pool
  const now = () => tributary.clock.now()

  async function request(
    clientId: string,
    fields: { kind?: RequestKind; amountCents?: number | null; recipientId: string; schedule?: PaymentSchedule; automaticPix?: Record<string, unknown>; description?: string },
  ): Promise<string> {
    const kind = fields.kind ?? 'ONE_OFF'
    const row = await insertPaymentRequest(pool, {
      id: randomUUID(),
      clientId,
      kind,
      status: createdRequest(kind).status,
      amountCents: fields.amountCents === undefined ? 1000 : fields.amountCents,
      description: fields.description ?? 'Pedido de teste',
      recipientId: fields.recipientId,
      customerId: null,
      callbackUrls: null,
      schedule: fields.schedule ?? null,
      automaticPix: fields.automaticPix ?? null,
      schedulerConfiguration: null,
      smartAccountId: null,
      clientPaymentId: null,
      isSandbox: true,
      at: now(),
    })
    return row.id
  }

  /** The payer authorized the request's consent and the bank confirmed it: its intent completed, the request follows, its payments start. */
  async function consented(clientId: string, requestId: string): Promise<void> {
    await withTransaction(pool, async (tx) => {
      let row = (await findPaymentRequest(tx, clientId, requestId))!
      for (const event of [{ type: 'INTENT_STARTED' } as const, { type: 'INTENT_MOVED', status: 'PAYMENT_COMPLETED' } as const]) {
        const state = requestStateOf(row)
        const moved = transitionRequest(state, event)
        if (!moved.ok) throw new Error(moved.reason)
        const subject = { clientId, paymentRequestId: requestId, entity: 'PAYMENT_REQUEST' } as const
        const events = moved.effects.flatMap((e: PaymentEffect) => (e.type === 'EMIT' ? [paymentEvent(e.event, { ...subject, status: e.status }, now())] : []))
        if (!(await saveRequestTransition(tx, { clientId, id: requestId, expected: state, next: moved.next, events, at: now() }))) throw new Error('request moved')
        await applyPaymentEffects(
          tx,
          subject,
          moved.effects.filter((e) => e.type !== 'EMIT'),
          now(),
        )
        row = (await findPaymentRequest(tx, clientId, requestId))!
      }
    })
  }

  /** The payer's bank failed a Pix Automático payment (insufficient funds: a retry can cure it; `retriable: false` for one it cannot). */
  async function failAutomaticPixPayment(clientId: string, requestId: string, paymentId: string, retriable = true): Promise<void> {
    const row = (await findAutomaticPixPayment(pool, clientId, requestId, paymentId))!
    const state = automaticPixPaymentStateOf(row)
    const error = retriable ? { code: 'INSUFFICIENT_FUNDS', description: 'The payer’s account had not enough funds.' } : { code: 'ACCOUNT_CLOSED', description: 'The payer’s account is closed.' }
    const moved = transitionAutomaticPixPayment(state, { type: 'FAILED', error, retriable })
    if (!moved.ok) throw new Error(moved.reason)
    const events = [paymentEvent('automatic_pix_payment/error', { clientId, paymentRequestId: requestId, automaticPixPaymentId: paymentId }, now())]
    await saveAutomaticPixPaymentTransitions(pool, clientId, [{ id: paymentId, expected: state, next: moved.next }], events, now())
  }

  const requestStatus = async (clientId: string, id: string) => (await findPaymentRequest(pool, clientId, id))?.status
  const today = () => brasiliaDateOf(now())

  return { request, consented, failAutomaticPixPayment, requestStatus, today }
}

/**
 * An engine on a manual clock (`tributary.clock.settle()` waits for its jobs), with pluggy-sdk
 * clients of its client and of another one, and the fixtures above.
 */
export async function startPaymentsApi() {
  const tributary = await startTributary({ clock: 'manual', env: { TRIBUTARY_CLIENTS: `${OTHER_CLIENT.clientId}:${OTHER_CLIENT.clientSecret}` } })
  // pluggy-sdk reads the server address from PLUGGY_API_URL when a client is built.
  const previous = process.env.PLUGGY_API_URL
  process.env.PLUGGY_API_URL = tributary.url
  const client = new PluggyClient(tributary.credentials)
  const other = new PluggyClient(OTHER_CLIENT)
  if (previous === undefined) delete process.env.PLUGGY_API_URL
  else process.env.PLUGGY_API_URL = previous
  return { tributary, client, other, clientId: tributary.credentials.clientId, fixtures: paymentFixtures(tributary.engine) }
}
