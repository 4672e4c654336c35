import { randomUUID } from 'node:crypto'
import type { Pool } from 'pg'
import { createAutomaticPixPayment, transitionAutomaticPixPayment, type AutomaticPixPaymentEvent } from '../../domain/payments/automatic-pix-payment.ts'
import { automaticPixPaymentProblems, automaticPixTermsProblems, type AutomaticPixInterval, type AutomaticPixTerms } from '../../domain/payments/automatic-pix.ts'
import { brasiliaDateOf, isCalendarDate } from '../../domain/payments/calendar-date.ts'
import type { FieldProblem } from '../../domain/payments/field-problem.ts'
import { toCents } from '../../domain/payments/money.ts'
import { AUTHORIZATION_IN_FORCE, isAutomaticPixAuthorization } from '../../domain/payments/payment-api-rules.ts'
import { createdRequest, transitionRequest } from '../../domain/payments/payment-request.ts'
import { Refusal } from '../../engine/refusal.ts'
import { withTransaction } from '../../store/database.ts'
import {
  automaticPixPaymentStateOf,
  findAutomaticPixPayment,
  insertAutomaticPixPayment,
  listAutomaticPixPayments,
  saveAutomaticPixPaymentTransitions,
  type AutomaticPixPaymentRow,
} from '../../store/payments/automatic-pix-payments.ts'
import { findPaymentRequest, insertPaymentRequest, requestStateOf, saveRequestTransition, type CallbackUrls, type PaymentRequestRow } from '../../store/payments/payment-requests.ts'
import type { Clock } from '../../time/clock.ts'
import { resourceId } from '../resource-id.ts'
import { checked, emittedEvents, engineEffects, refuseProblems, type ApplyPaymentEffects } from './payment-call.ts'
import { claimCreation } from './payment-idempotency.ts'
import { requestParties } from './payment-request-parties.ts'
import { requestViews, type PaymentRequestView } from './payment-request-views.ts'
import { requestOfPath } from './scheduled-payment-service.ts'

export type { AutomaticPixPaymentRow }

/** createPaymentRequestPixAutomatico's body (CreatePaymentRequestAutomaticPix), amounts in reais. */
export interface AutomaticPixAuthorizationBody {
  description?: string
  recipientId?: string
  customerId?: string
  callbackUrls?: CallbackUrls
  clientPaymentId?: string
  isSandbox: boolean
  interval: string
  startDate: string
  fixedAmount?: number
  minimumVariableAmount?: number
  maximumVariableAmount?: number
  expiresAt?: string
  isRetryAccepted?: boolean
  firstPayment?: { date?: string; amount: number; description?: string }
  schedulerConfiguration?: { enabled: boolean; description?: string; valueForVariableAmount?: number }
}

/** The authorization's terms, in centavos, from what the client gave (the request's `automaticPix`). */
export function termsOf(details: Record<string, unknown>): AutomaticPixTerms {
  const cents = (value: unknown) => (typeof value === 'number' ? Math.round(value * 100) : null)
  return {
    interval: details.interval as AutomaticPixInterval,
    startDate: String(details.startDate),
    fixedAmountCents: cents(details.fixedAmount),
    minimumVariableAmountCents: cents(details.minimumVariableAmount),
    maximumVariableAmountCents: cents(details.maximumVariableAmount),
    expiresAt: typeof details.expiresAt === 'string' ? details.expiresAt : null,
    isRetryAccepted: details.isRetryAccepted === true,
  }
}

const paymentNotFound = (requestId: string, id: string) =>
  new Refusal(
    'not_found',
    'AUTOMATIC_PIX_PAYMENT_NOT_FOUND',
    `Pix Automático authorization ${requestId} has no payment ${id}; list them with GET /payments/requests/${requestId}/automatic-pix/schedules.`,
  )

/**
 * Pix Automático (docs/payments.md, methods 28 and 33–38): the authorization (a payment request of
 * its own kind), and the payments the client schedules, retries and cancels under it.
 */
export class AutomaticPixService {
  constructor(
    private readonly db: Pool,
    private readonly clock: Clock,
    private readonly applyEffects: ApplyPaymentEffects,
    private readonly publicUrl: () => string,
  ) {}

  async createAuthorization(clientId: string, body: AutomaticPixAuthorizationBody, idempotencyKey: string | undefined): Promise<PaymentRequestView> {
    const now = this.clock.now()
    const today = brasiliaDateOf(now)
    const problems: FieldProblem[] = []
    const amount = (field: string, value: number | undefined) => (value === undefined ? null : (checked(toCents(field, value), problems) ?? null))
    const terms: AutomaticPixTerms = {
      interval: body.interval as AutomaticPixInterval,
      startDate: body.startDate,
      fixedAmountCents: amount('fixedAmount', body.fixedAmount),
      minimumVariableAmountCents: amount('minimumVariableAmount', body.minimumVariableAmount),
      maximumVariableAmountCents: amount('maximumVariableAmount', body.maximumVariableAmount),
      expiresAt: body.expiresAt ?? null,
      isRetryAccepted: body.isRetryAccepted ?? false,
    }
    problems.push(...automaticPixTermsProblems(terms, today))
    if (body.firstPayment) {
      amount('firstPayment.amount', body.firstPayment.amount)
      const date = body.firstPayment.date
      if (date !== undefined && (!isCalendarDate(date) || date < today))
        problems.push({ field: 'firstPayment.date', message: `firstPayment.date is a day written YYYY-MM-DD, today (${today} in Brasília) or later.` })
    }
    if (body.schedulerConfiguration?.valueForVariableAmount !== undefined) amount('schedulerConfiguration.valueForVariableAmount', body.schedulerConfiguration.valueForVariableAmount)
    const parties = await requestParties(this.db, clientId, body, problems)
    if (problems.length > 0) refuseProblems(problems)
    const id = randomUUID()
    const createdId = await withTransaction(this.db, async (tx) => {
      const first = await claimCreation(tx, { clientId, operation: 'createPaymentRequestPixAutomatico', key: idempotencyKey, body, resourceId: id, at: now })
      if (first) return first
      const { description, callbackUrls, clientPaymentId, isSandbox, schedulerConfiguration, recipientId: _r, customerId: _c, ...details } = body
      const created = await insertPaymentRequest(tx, {
        id,
        clientId,
        kind: 'AUTOMATIC_PIX',
        status: createdRequest('AUTOMATIC_PIX').status,
        amountCents: null,
        description: description ?? null,
        recipientId: parties.recipientId,
        customerId: parties.customerId,
        callbackUrls: callbackUrls ?? null,
        schedule: null,
        // An expiry given as an instant is kept as its day: the answer's expiresAt is a date.
        automaticPix: { ...details, ...(details.expiresAt !== undefined ? { expiresAt: details.expiresAt.slice(0, 10) } : {}) },
        schedulerConfiguration: schedulerConfiguration ?? null,
        smartAccountId: null,
        clientPaymentId: clientPaymentId ?? null,
        isSandbox,
        at: now,
      })
      return created.id
    })
    const request = await findPaymentRequest(this.db, clientId, createdId)
    if (!request) throw new Refusal('not_found', 'PAYMENT_REQUEST_NOT_FOUND', `Payment request ${createdId}, created with this Idempotency-Key, was deleted since.`)
    return (await requestViews(this.db, clientId, [request], this.publicUrl()))[0]
  }

  async list(clientId: string, requestId: string, page: { limit: number; offset: number }): Promise<{ rows: AutomaticPixPaymentRow[]; total: number }> {
    const request = await requestOfPath(this.db, clientId, requestId)
    return listAutomaticPixPayments(this.db, clientId, request.id, page)
  }

  async get(clientId: string, requestId: string, id: string): Promise<AutomaticPixPaymentRow> {
    const request = await requestOfPath(this.db, clientId, requestId)
    const found = await findAutomaticPixPayment(this.db, clientId, request.id, resourceId(id, 'AUTOMATIC_PIX_PAYMENT_NOT_FOUND', 'Pix Automático payment'))
    if (!found) throw paymentNotFound(requestId, id)
    return found
  }

  /** Schedules a payment under an authorization in force, 2 to 10 days ahead, one per interval. */
  async schedule(clientId: string, requestId: string, body: { amount: number; description?: string; date: string }, idempotencyKey: string | undefined): Promise<AutomaticPixPaymentRow> {
    const now = this.clock.now()
    const problems: FieldProblem[] = []
    const amountCents = checked(toCents('amount', body.amount), problems)
    if (problems.length > 0) refuseProblems(problems)
    const id = randomUUID()
    return withTransaction(this.db, async (tx) => {
      // Locked: two payments scheduled at once cannot both take the same interval.
      const request = this.authorization(await requestOfPath(tx, clientId, requestId, true))
      const first = await claimCreation(tx, { clientId, operation: 'scheduleAutomaticPixPayment', key: idempotencyKey, body: { requestId: request.id, ...body }, resourceId: id, at: now })
      if (first) return (await findAutomaticPixPayment(tx, clientId, request.id, first))!
      if (request.status !== AUTHORIZATION_IN_FORCE) {
        throw new Refusal(
          'bad_request',
          'AUTOMATIC_PIX_AUTHORIZATION_NOT_ACTIVE',
          `Pix Automático authorization ${requestId} is ${request.status}; payments are scheduled only while it is ${AUTHORIZATION_IN_FORCE}.`,
        )
      }
      const others = (await listAutomaticPixPayments(tx, clientId, request.id, { limit: 10_000, offset: 0 })).rows.filter((p) => !p.isFirstPayment)
      const refused = automaticPixPaymentProblems(termsOf(request.automaticPix ?? {}), { amountCents: amountCents!, date: body.date }, brasiliaDateOf(now), others)
      if (refused.length > 0) refuseProblems(refused)
      const created = createAutomaticPixPayment(body.date, amountCents!)
      const subject = { clientId, paymentRequestId: request.id, automaticPixPaymentId: id, entity: 'AUTOMATIC_PIX_PAYMENT' } as const
      const inserted = await insertAutomaticPixPayment(tx, {
        id,
        clientId,
        paymentRequestId: request.id,
        authorizationStatus: AUTHORIZATION_IN_FORCE,
        state: created.state,
        description: body.description ?? null,
        isFirstPayment: false,
        events: emittedEvents(created.effects, subject, now),
        at: now,
      })
      if (!inserted) throw new Refusal('bad_request', 'AUTOMATIC_PIX_AUTHORIZATION_NOT_ACTIVE', `Pix Automático authorization ${requestId} ended just now; it takes no more payments.`)
      await this.applyEffects(tx, subject, engineEffects(created.effects), now)
      return inserted
    })
  }

  /** Retries a failed payment on a new date (the same payment, moved), when the authorization accepts retries. */
  retry(clientId: string, requestId: string, id: string, body: { date: string }, idempotencyKey: string | undefined): Promise<AutomaticPixPaymentRow> {
    if (!isCalendarDate(body.date)) refuseProblems([{ field: 'date', message: 'date is a day written YYYY-MM-DD.' }])
    return this.move(clientId, requestId, id, (request, today) => ({ type: 'RETRY_SCHEDULED', date: body.date, today, retryAccepted: termsOf(request.automaticPix ?? {}).isRetryAccepted }), {
      operation: 'retry',
      key: idempotencyKey,
      body,
    })
  }

  async cancel(clientId: string, requestId: string, id: string): Promise<void> {
    await this.move(clientId, requestId, id, (_request, today) => ({ type: 'CANCELED_BY_CLIENT', today }))
  }

  /** Cancels the authorization: its pending payments are canceled with it. */
  async cancelAuthorization(clientId: string, requestId: string): Promise<void> {
    const now = this.clock.now()
    await withTransaction(this.db, async (tx) => {
      const request = this.authorization(await requestOfPath(tx, clientId, requestId, true))
      const state = requestStateOf(request)
      const moved = transitionRequest(state, { type: 'AUTHORIZATION_CANCELED' })
      if (!moved.ok) {
        throw new Refusal(
          'bad_request',
          'PAYMENT_REQUEST_NOT_CANCELABLE',
          `Pix Automático authorization ${requestId} cannot be canceled while it is ${request.status}${state.intentInProgress ? ' with the payer at their bank' : ''}: ${moved.reason}.`,
        )
      }
      const subject = { clientId, paymentRequestId: request.id, entity: 'PAYMENT_REQUEST' } as const
      // As for a schedule's cancellation: the request's event follows its payments' cancellations.
      if (await saveRequestTransition(tx, { clientId, id: request.id, expected: state, next: moved.next, events: [], at: now })) {
        await this.applyEffects(tx, subject, moved.effects, now)
      }
    })
  }

  private authorization(request: PaymentRequestRow): PaymentRequestRow {
    if (!isAutomaticPixAuthorization(request.kind)) {
      throw new Refusal(
        'bad_request',
        'AUTOMATIC_PIX_AUTHORIZATION_NOT_ACTIVE',
        `Payment request ${request.id} is a ${request.kind} request, not a Pix Automático authorization (create those with POST /payments/requests/automatic-pix).`,
      )
    }
    return request
  }

  /** One client-driven move of a payment (retry, cancel), under the locked authorization. */
  private async move(
    clientId: string,
    requestId: string,
    id: string,
    eventOf: (request: PaymentRequestRow, today: string) => AutomaticPixPaymentEvent,
    idempotency?: { operation: 'retry'; key: string | undefined; body: unknown },
  ): Promise<AutomaticPixPaymentRow> {
    const now = this.clock.now()
    const today = brasiliaDateOf(now)
    return withTransaction(this.db, async (tx) => {
      const request = this.authorization(await requestOfPath(tx, clientId, requestId, true))
      const paymentId = resourceId(id, 'AUTOMATIC_PIX_PAYMENT_NOT_FOUND', 'Pix Automático payment')
      if (idempotency) {
        const first = await claimCreation(tx, {
          clientId,
          operation: 'retryAutomaticPixPayment',
          key: idempotency.key,
          body: { paymentId, ...(idempotency.body as object) },
          resourceId: paymentId,
          at: now,
        })
        if (first) return (await findAutomaticPixPayment(tx, clientId, request.id, first))!
      }
      const payment = await findAutomaticPixPayment(tx, clientId, request.id, paymentId)
      if (!payment) throw paymentNotFound(requestId, id)
      const event = eventOf(request, today)
      const moved = transitionAutomaticPixPayment(automaticPixPaymentStateOf(payment), event)
      const verb = event.type === 'RETRY_SCHEDULED' ? 'retried' : 'canceled'
      if (!moved.ok)
        throw new Refusal(
          'bad_request',
          'AUTOMATIC_PIX_PAYMENT_REFUSED',
          `Pix Automático payment ${id} (${payment.status}, dated ${payment.date}; today is ${today} in Brasília) cannot be ${verb}: ${moved.reason}.`,
        )
      const subject = { clientId, paymentRequestId: request.id, automaticPixPaymentId: payment.id, entity: 'AUTOMATIC_PIX_PAYMENT' } as const
      const expected = automaticPixPaymentStateOf(payment)
      const saved = await saveAutomaticPixPaymentTransitions(tx, clientId, [{ id: payment.id, expected, next: moved.next }], emittedEvents(moved.effects, subject, now), now)
      if (!saved.has(payment.id))
        throw new Refusal(
          'bad_request',
          'AUTOMATIC_PIX_PAYMENT_REFUSED',
          `Pix Automático payment ${id} moved just now; read it again before you ${event.type === 'RETRY_SCHEDULED' ? 'retry' : 'cancel'} it.`,
        )
      await this.applyEffects(tx, subject, engineEffects(moved.effects), now)
      return (await findAutomaticPixPayment(tx, clientId, request.id, payment.id))!
    })
  }
}
