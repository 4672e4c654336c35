import { randomUUID } from 'node:crypto'
import type { Pool } from 'pg'
import type { FieldProblem } from '../../domain/payments/field-problem.ts'
import { startIntent, type IntentOwner } from '../../domain/payments/intent-moves.ts'
import { intentHasConsent } from '../../domain/payments/payment-intent.ts'
import { isFinalIntentStatus } from '../../domain/payments/statuses.ts'
import { parseTaxNumber } from '../../domain/payments/tax-number.ts'
import type { ConnectorRegistry } from '../../engine/connector-registry.ts'
import { applyPaymentEffects } from '../../engine/payments/payment-effects.ts'
import { enqueuePaymentIntentWork } from '../../engine/payments/payment-work.ts'
import { Refusal } from '../../engine/refusal.ts'
import type { Cipher } from '../../store/cipher.ts'
import { withTransaction } from '../../store/database.ts'
import { bulkStateOf, findBulkPayment, type BulkPaymentRow } from '../../store/payments/bulk-payments.ts'
import { findPaymentIntent, listPaymentIntents, startPaymentIntent, type OwnerChange, type PaymentIntentRow } from '../../store/payments/payment-intents.ts'
import { requestStateOf } from '../../store/payments/payment-requests.ts'
import type { Clock } from '../../time/clock.ts'
import { resourceId } from '../resource-id.ts'
import { untilConsentCreated } from './consent-wait.ts'
import { payPixQr, pixQrData, pixQrReceiver } from './pix-qr-top-ups.ts'
import { claimCreation } from './payment-idempotency.ts'
import { dateRange, refuseProblems, type DateRange, type PaymentRequestService, type PaymentRequestView } from './payment-request-service.ts'

/** An intent with what its answer shows: the request it pays (or the bulk payment it tops up). */
export interface PaymentIntentView {
  row: PaymentIntentRow
  request: PaymentRequestView | null
  bulk: BulkPaymentRow | null
}

export interface CreatePaymentIntentFields {
  paymentRequestId?: string
  bulkPaymentId?: string
  connectorId?: number
  parameters?: { cpf?: string; cnpj?: string }
  paymentMethod?: string
}

/** What the payer gave to identify themselves at their bank: kept encrypted on the intent, as credentials are. */
export interface PayerParameters {
  cpf: string
  cnpj?: string
}

type Page = { limit: number; offset: number }

/**
 * Payment intents (methods 5–7): a payer starts one for a request (or a bulk payment's top-up) at
 * the bank they chose; the engine then drives it (src/engine/payments/payment-intent-runner.ts).
 */
export class PaymentIntentService {
  constructor(private readonly deps: { pool: Pool; clock: Clock; cipher: Cipher; connectors: ConnectorRegistry; requests: PaymentRequestService }) {}

  /** The sandbox pays a Pix QR top-up's code (POST /sandbox/payments/intents/{id}/pay-pix). */
  async payPixQr(clientId: string, id: string): Promise<PaymentIntentView> {
    await payPixQr(this.deps.pool, this.deps.clock, clientId, id)
    return this.get(clientId, id)
  }

  /** A Pix QR top-up of a bulk payment: its code is issued with the intent, and no bank is asked anything. */
  private async createPixQr(clientId: string, body: CreatePaymentIntentFields, key: string | undefined): Promise<PaymentIntentView> {
    const receiver = await pixQrReceiver(this.deps.pool, clientId, body)
    const owner = await this.ownerOf(clientId, { bulkPaymentId: receiver.bulkPaymentId })
    const id = randomUUID()
    return this.start(clientId, owner, { connectorId: null, parametersEnc: null, pixData: pixQrData(receiver, owner.amountCents, id), pixQrId: id }, body, key)
  }

  async view(row: PaymentIntentRow): Promise<PaymentIntentView> {
    const request = row.paymentRequestId ? await this.deps.requests.get(row.clientId, row.paymentRequestId).catch(() => null) : null
    const bulk = row.bulkPaymentId ? ((await findBulkPayment(this.deps.pool, row.clientId, row.bulkPaymentId)) ?? null) : null
    return { row, request, bulk }
  }

  async create(clientId: string, body: CreatePaymentIntentFields, key: string | undefined): Promise<PaymentIntentView> {
    const { cipher, connectors } = this.deps
    if (body.paymentMethod !== undefined) return this.createPixQr(clientId, body, key)
    const problems: FieldProblem[] = []
    if ((body.paymentRequestId === undefined) === (body.bulkPaymentId === undefined)) problems.push({ field: 'paymentRequestId', message: 'Pass exactly one of paymentRequestId and bulkPaymentId.' })
    if (body.connectorId === undefined) problems.push({ field: 'connectorId', message: 'connectorId (the payer’s bank) is required.' })
    const cpf = body.parameters?.cpf === undefined ? undefined : parseTaxNumber('parameters.cpf', body.parameters.cpf)
    if (!cpf) problems.push({ field: 'parameters.cpf', message: 'parameters.cpf (the payer’s CPF) is required.' })
    else if (!cpf.ok) problems.push(...cpf.problems)
    else if (cpf.value.type !== 'CPF') problems.push({ field: 'parameters.cpf', message: 'parameters.cpf must be a CPF (11 digits).' })
    const cnpj = body.parameters?.cnpj ? parseTaxNumber('parameters.cnpj', body.parameters.cnpj) : undefined
    if (cnpj && !cnpj.ok) problems.push(...cnpj.problems)
    if (problems.length > 0 || !cpf?.ok || (cnpj && !cnpj.ok)) refuseProblems(problems)
    const connector = connectors.get(body.connectorId!)
    if (!connector?.payments) {
      throw new Refusal(
        'bad_request',
        'PAYMENT_CONNECTOR_UNSUPPORTED',
        `Connector ${body.connectorId} does not initiate payments; use a payment institution's connector (the sandbox Open Finance bank is connector 8).`,
      )
    }
    const payer: PayerParameters = { cpf: cpf.value.value, ...(cnpj?.ok ? { cnpj: cnpj.value.value } : {}) }
    const { owner, ownerId, amountCents } = await this.ownerOf(clientId, body)
    return this.start(clientId, { owner, ownerId, amountCents }, { connectorId: connector.id, parametersEnc: cipher.encrypt(JSON.stringify(payer)), pixData: null }, body, key)
  }

  /**
   * Starts an intent for `owner` in one transaction (claiming the idempotency key, moving the owner,
   * queuing the engine's work), then answers it once its consent exists (a Pix QR top-up, at once).
   */
  private async start(
    clientId: string,
    { owner, ownerId, amountCents }: { owner: IntentOwner; ownerId: string; amountCents: number },
    fields: { connectorId: number | null; parametersEnc: string | null; pixData: PaymentIntentRow['pixData']; pixQrId?: string },
    body: CreatePaymentIntentFields,
    key: string | undefined,
  ): Promise<PaymentIntentView> {
    const { pool, clock } = this.deps
    const now = clock.now()
    const started = startIntent(owner, amountCents, fields.pixData ? now.toISOString() : undefined)
    if (!started.ok) throw new Refusal('conflict', 'PAYMENT_REQUEST_NOT_PAYABLE', `It cannot be paid now: ${started.reason}.`)
    const id = fields.pixQrId ?? randomUUID()
    const change: OwnerChange =
      owner.type === 'REQUEST' && started.owner.next.type === 'REQUEST'
        ? { type: 'REQUEST', id: ownerId, expected: owner.state, next: started.owner.next.state }
        : { type: 'BULK', id: ownerId, expected: owner.state as Extract<IntentOwner, { type: 'BULK' }>['state'], next: started.owner.next.state as Extract<IntentOwner, { type: 'BULK' }>['state'] }
    const row = await withTransaction(pool, async (tx) => {
      const existing = await claimCreation(tx, { clientId, operation: 'createPaymentIntent', key, body, resourceId: id, at: now })
      if (existing) return findPaymentIntent(tx, clientId, existing)
      const inserted = await startPaymentIntent(tx, {
        id,
        clientId,
        state: started.intent.next,
        connectorId: fields.connectorId,
        parametersEnc: fields.parametersEnc,
        pixData: fields.pixData,
        owner: change,
        events: [],
        at: now,
      })
      if (!inserted) throw new Refusal('conflict', 'PAYMENT_REQUEST_NOT_PAYABLE', 'It cannot be paid now: another intent started for it a moment ago.')
      const subject = owner.type === 'REQUEST' ? { clientId, entity: 'PAYMENT_REQUEST' as const, paymentRequestId: ownerId } : { clientId, entity: 'BULK_PAYMENT' as const, bulkPaymentId: ownerId }
      await applyPaymentEffects(tx, subject, started.owner.effects, now)
      await applyPaymentEffects(
        tx,
        { clientId, entity: 'PAYMENT_INTENT', paymentIntentId: id, paymentRequestId: null, bulkPaymentId: owner.type === 'BULK' ? ownerId : null },
        started.intent.effects,
        now,
      )
      await enqueuePaymentIntentWork(tx, id, now)
      return inserted
    })
    if (!row) throw new Error(`the intent an idempotency key names is gone (${key})`)
    const answered = await untilConsentCreated(
      row,
      () => findPaymentIntent(pool, clientId, row.id),
      (intent) => intentHasConsent(intent.kind) && intent.consentUrl === null && !isFinalIntentStatus(intent.status),
    )
    return this.view(answered)
  }

  /** The owner an intent would pay (a request, or a bulk payment's top-up) and the amount it pays. */
  private async ownerOf(clientId: string, body: CreatePaymentIntentFields): Promise<{ owner: IntentOwner; ownerId: string; amountCents: number }> {
    if (body.paymentRequestId !== undefined) {
      const request = await this.deps.requests.find(clientId, body.paymentRequestId)
      const terms = request.automaticPix as { fixedAmount?: number } | null
      const amountCents = request.amountCents ?? (terms?.fixedAmount ? Math.round(terms.fixedAmount * 100) : 0)
      return { owner: { type: 'REQUEST', state: requestStateOf(request) }, ownerId: request.id, amountCents }
    }
    const bulk = await findBulkPayment(this.deps.pool, clientId, resourceId(body.bulkPaymentId!, 'PAYMENT_BULK_NOT_FOUND', 'Bulk payment'))
    if (!bulk) throw new Refusal('not_found', 'PAYMENT_BULK_NOT_FOUND', `Bulk payment ${body.bulkPaymentId} does not exist for this client.`)
    return { owner: { type: 'BULK', state: bulkStateOf(bulk) }, ownerId: bulk.id, amountCents: bulk.totalCents + bulk.feesCents }
  }

  /** The institutions a payer may pay from: the connectors that initiate payments. */
  payerBanks(): { id: number; name: string }[] {
    return this.deps.connectors.list().flatMap((c) => (c.payments ? [{ id: c.id, name: c.name }] : []))
  }

  async get(clientId: string, id: string): Promise<PaymentIntentView> {
    const found = await findPaymentIntent(this.deps.pool, clientId, resourceId(id, 'PAYMENT_INTENT_NOT_FOUND', 'Payment intent'))
    if (!found) throw new Refusal('not_found', 'PAYMENT_INTENT_NOT_FOUND', `Payment intent ${id} does not exist for this client.`)
    return this.view(found)
  }

  async list(clientId: string, filter: DateRange & Page & { paymentRequestId?: string }): Promise<{ rows: PaymentIntentView[]; total: number }> {
    const paymentRequestId = filter.paymentRequestId ? resourceId(filter.paymentRequestId, 'PAYMENT_REQUEST_NOT_FOUND', 'Payment request') : undefined
    const { rows, total } = await listPaymentIntents(this.deps.pool, clientId, { ...dateRange(filter), paymentRequestId, limit: filter.limit, offset: filter.offset })
    return { rows: await Promise.all(rows.map((row) => this.view(row))), total }
  }
}
