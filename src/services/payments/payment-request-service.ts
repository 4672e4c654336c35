import { randomUUID } from 'node:crypto'
import type { Pool } from 'pg'
import { brasiliaDateOf } from '../../domain/payments/calendar-date.ts'
import type { FieldProblem } from '../../domain/payments/field-problem.ts'
import { toCents } from '../../domain/payments/money.ts'
import { createdRequest, requestDeletionRefusal } from '../../domain/payments/payment-request.ts'
import { validateSchedule, type PaymentSchedule } from '../../domain/payments/schedule-dates.ts'
import { Refusal } from '../../engine/refusal.ts'
import { withTransaction } from '../../store/database.ts'
import { findPaymentCustomer, type PaymentCustomerRow } from '../../store/payments/payment-parties.ts'
import { paymentEvent } from '../../store/payments/payment-events.ts'
import { findLatestIntentOfRequest } from '../../store/payments/payment-intents.ts'
import { findDefaultPaymentRecipient, findPaymentRecipient, type PaymentRecipientRow } from '../../store/payments/payment-recipients.ts'
import {
  deletePaymentRequest,
  findPaymentRequest,
  findPaymentRequestForPage,
  insertPaymentRequest,
  listPaymentRequests,
  requestStateOf,
  type PaymentRequestRow,
} from '../../store/payments/payment-requests.ts'
import { findSmartAccount } from '../../store/payments/smart-accounts.ts'
import type { Clock } from '../../time/clock.ts'
import { resourceId } from '../resource-id.ts'
import { claimCreation } from './payment-idempotency.ts'

/** A request with what its answer shows: its recipient, its customer and its payment page. */
export interface PaymentRequestView {
  row: PaymentRequestRow
  recipient: PaymentRecipientRow | null
  customer: PaymentCustomerRow | null
  paymentUrl: string
}

export interface CreatePaymentRequestFields {
  amount: number
  callbackUrls?: { success?: string; error?: string; pending?: string }
  description?: string
  recipientId?: string
  customerId?: string
  schedule?: Record<string, unknown> & { type: string }
  smartAccountId?: string
  clientPaymentId?: string
  isSandbox?: boolean
}

export type DateRange = { from?: string; to?: string }
type Page = { limit: number; offset: number }

/** Refuses a body whose fields the payment validators refused, naming each one. */
export function refuseProblems(problems: FieldProblem[]): never {
  throw new Refusal('bad_request', 'VALIDATION_ERROR', `The request is not valid: ${problems.map((p) => p.message).join(' ')}`, {
    details: problems.map((p) => ({ parameter: `body.${p.field}`, message: p.message })),
  })
}

/** `from` / `to` of a list, as instants: a date is its whole day (UTC); anything unreadable is a 400. */
export function dateRange(range: DateRange): { from?: Date; to?: Date } {
  const parse = (field: 'from' | 'to', text: string | undefined): Date | undefined => {
    if (text === undefined || text === '') return undefined
    const dayOnly = /^\d{4}-\d{2}-\d{2}$/.test(text)
    const at = new Date(dayOnly ? `${text}T${field === 'from' ? '00:00:00.000' : '23:59:59.999'}Z` : text)
    if (Number.isNaN(at.getTime())) {
      throw new Refusal('bad_request', 'VALIDATION_ERROR', `${field} must be a date (YYYY-MM-DD) or an ISO-8601 instant.`, { details: [{ parameter: `query.${field}`, message: 'not a date' }] })
    }
    return at
  }
  return { from: parse('from', range.from), to: parse('to', range.to) }
}

/**
 * Payment requests (methods 1–4 of docs/payments.md): created one-off or scheduled, read, listed,
 * deleted while no money can move for them. The payer pays one on Tributary's payment page,
 * `${publicUrl}/pay/{id}`.
 */
export class PaymentRequestService {
  constructor(private readonly deps: { pool: Pool; clock: Clock; publicUrl: () => string }) {}

  paymentUrlOf(id: string): string {
    return `${this.deps.publicUrl()}/pay/${id}`
  }

  async view(row: PaymentRequestRow): Promise<PaymentRequestView> {
    const { pool } = this.deps
    const [recipient, customer] = await Promise.all([
      row.recipientId ? findPaymentRecipient(pool, row.clientId, row.recipientId) : undefined,
      row.customerId ? findPaymentCustomer(pool, row.clientId, row.customerId) : undefined,
    ])
    return { row, recipient: recipient ?? null, customer: customer ?? null, paymentUrl: this.paymentUrlOf(row.id) }
  }

  async create(clientId: string, body: CreatePaymentRequestFields, key: string | undefined): Promise<PaymentRequestView> {
    const { pool, clock } = this.deps
    const now = clock.now()
    const problems: FieldProblem[] = []
    const amount = toCents('amount', body.amount)
    if (!amount.ok) problems.push(...amount.problems)
    let schedule: PaymentSchedule | null = null
    if (body.schedule) {
      const checked = validateSchedule(body.schedule as unknown as PaymentSchedule, brasiliaDateOf(now))
      if (checked.ok) schedule = body.schedule as unknown as PaymentSchedule
      else problems.push(...checked.problems.map((p) => ({ ...p, field: p.field.startsWith('schedule') ? p.field : `schedule.${p.field}` })))
    }
    if (problems.length > 0 || !amount.ok) refuseProblems(problems)
    const recipient = body.recipientId
      ? await findPaymentRecipient(pool, clientId, resourceId(body.recipientId, 'PAYMENT_RECIPIENT_NOT_FOUND', 'Payment recipient'))
      : await findDefaultPaymentRecipient(pool, clientId)
    if (!recipient) {
      if (body.recipientId) throw new Refusal('not_found', 'PAYMENT_RECIPIENT_NOT_FOUND', `Payment recipient ${body.recipientId} does not exist for this client.`)
      throw new Refusal('bad_request', 'PAYMENT_RECIPIENT_REQUIRED', 'Pass recipientId, or make one of your recipients the default (isDefault: true) first.')
    }
    if (body.customerId && !(await findPaymentCustomer(pool, clientId, resourceId(body.customerId, 'PAYMENT_CUSTOMER_NOT_FOUND', 'Payment customer')))) {
      throw new Refusal('not_found', 'PAYMENT_CUSTOMER_NOT_FOUND', `Payment customer ${body.customerId} does not exist for this client.`)
    }
    if (body.smartAccountId && !(/^[0-9a-f-]{36}$/i.test(body.smartAccountId) && (await findSmartAccount(pool, clientId, body.smartAccountId.toLowerCase())))) {
      refuseProblems([{ field: 'smartAccountId', message: `smartAccountId ${body.smartAccountId} is not one of your smart accounts.` }])
    }
    const id = randomUUID()
    const state = createdRequest(schedule ? 'SCHEDULED' : 'ONE_OFF')
    const row = await withTransaction(pool, async (tx) => {
      const existing = await claimCreation(tx, { clientId, operation: 'createPaymentRequest', key, body, resourceId: id, at: now })
      if (existing) return findPaymentRequest(tx, clientId, existing)
      const { success, error } = body.callbackUrls ?? {}
      return insertPaymentRequest(tx, {
        id,
        clientId,
        kind: state.kind,
        status: state.status,
        amountCents: amount.value,
        description: body.description ?? null,
        recipientId: recipient.id,
        customerId: body.customerId?.toLowerCase() ?? null,
        callbackUrls: body.callbackUrls ? { ...(success ? { success } : {}), ...(error ? { error } : {}) } : null,
        schedule,
        automaticPix: null,
        schedulerConfiguration: null,
        smartAccountId: body.smartAccountId?.toLowerCase() ?? null,
        clientPaymentId: body.clientPaymentId ?? null,
        isSandbox: body.isSandbox ?? true,
        at: now,
      })
    })
    if (!row) throw new Error(`the request an idempotency key names is gone (${key})`)
    return this.view(row)
  }

  async find(clientId: string, id: string): Promise<PaymentRequestRow> {
    const found = await findPaymentRequest(this.deps.pool, clientId, resourceId(id, 'PAYMENT_REQUEST_NOT_FOUND', 'Payment request'))
    if (!found) throw new Refusal('not_found', 'PAYMENT_REQUEST_NOT_FOUND', `Payment request ${id} does not exist for this client.`)
    return found
  }

  /** The request a payment page shows (public: the request's id is what the payer was given), or undefined. */
  async forPage(id: string): Promise<PaymentRequestView | undefined> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return undefined
    const row = await findPaymentRequestForPage(this.deps.pool, id.toLowerCase())
    return row && this.view(row)
  }

  async get(clientId: string, id: string): Promise<PaymentRequestView> {
    return this.view(await this.find(clientId, id))
  }

  async list(clientId: string, filter: DateRange & Page): Promise<{ rows: PaymentRequestView[]; total: number }> {
    const { rows, total } = await listPaymentRequests(this.deps.pool, clientId, { ...dateRange(filter), limit: filter.limit, offset: filter.offset })
    return { rows: await Promise.all(rows.map((row) => this.view(row))), total }
  }

  /**
   * Deletes a request while no money can move for it; an intent still waiting for the payer is
   * canceled with it (payment_intent/error). A request that moved meanwhile is read again.
   */
  async delete(clientId: string, id: string): Promise<void> {
    const { pool, clock } = this.deps
    for (let attempt = 0; attempt < 3; attempt++) {
      const row = await this.find(clientId, id)
      const intent = await findLatestIntentOfRequest(pool, clientId, row.id)
      const state = requestStateOf(row)
      const running = state.intentInProgress && intent && intent.finishedAt === null ? intent : null
      const refusal = requestDeletionRefusal(state, running?.status ?? null)
      if (refusal) throw new Refusal('conflict', 'PAYMENT_REQUEST_NOT_DELETABLE', `Payment request ${id} cannot be deleted now. ${refusal}`)
      const now = clock.now()
      const events = running ? [paymentEvent('payment_intent/error', { clientId, paymentIntentId: running.id, paymentRequestId: row.id }, now)] : []
      if (await deletePaymentRequest(pool, clientId, row.id, state, events)) return
    }
    throw new Refusal('conflict', 'PAYMENT_REQUEST_NOT_DELETABLE', `Payment request ${id} is changing right now; send the delete again.`)
  }
}
