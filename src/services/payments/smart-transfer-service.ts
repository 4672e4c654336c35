import { randomUUID } from 'node:crypto'
import type { Pool } from 'pg'
import type { FieldProblem } from '../../domain/payments/field-problem.ts'
import { toCents } from '../../domain/payments/money.ts'
import { createSmartTransferPayment } from '../../domain/payments/smart-transfer-payment.ts'
import { createPreauthorization, PREAUTHORIZATION_IN_FORCE } from '../../domain/payments/smart-transfer-preauthorization.ts'
import { isSameOwner, parseTaxNumber } from '../../domain/payments/tax-number.ts'
import type { ConnectorRegistry } from '../../engine/connector-registry.ts'
import { enqueueSmartTransferPaymentWork } from '../../engine/payments/payment-work.ts'
import { Refusal } from '../../engine/refusal.ts'
import type { Cipher } from '../../store/cipher.ts'
import { withTransaction } from '../../store/database.ts'
import { findPaymentRecipient, type PaymentRecipientRow } from '../../store/payments/payment-recipients.ts'
import {
  findPreauthorization,
  findSmartTransferPayment,
  insertPreauthorization,
  insertSmartTransferPayment,
  listPreauthorizations,
  type PreauthorizationRow,
  type SmartTransferPaymentRow,
} from '../../store/payments/smart-transfers.ts'
import { enqueue, TASKS } from '../../store/queue.ts'
import type { Clock } from '../../time/clock.ts'
import { resourceId } from '../resource-id.ts'
import { checked, engineEffects, refuseProblems, type ApplyPaymentEffects } from './payment-call.ts'
import { untilConsentCreated } from './consent-wait.ts'
import { claimCreation } from './payment-idempotency.ts'

export interface PreauthorizationBody {
  connectorId: number
  parameters: Record<string, string>
  recipientIds: string[]
  callbackUrls?: { success?: string; error?: string }
  clientPreauthorizationId?: string
}

export interface SmartTransferPaymentBody {
  preauthorizationId: string
  recipientId: string
  amount: number
  description?: string
  clientPaymentId?: string
}

export interface PreauthorizationView {
  preauthorization: PreauthorizationRow
  recipients: PaymentRecipientRow[]
}

export interface SmartTransferPaymentView {
  payment: SmartTransferPaymentRow
  recipient: PaymentRecipientRow
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * No consent exists at the payer's bank yet: the preauthorization's consentUrl is this (answered
 * as null) until the engine has created the consent there (the creating call waits for that).
 */
export const NO_CONSENT_URL = ''

/**
 * Smart transfers (docs/payments.md, methods 39–43): the payer's standing preauthorization to move
 * money to recipients of their own, and the transfers made under it, which the engine settles.
 */
export class SmartTransferService {
  constructor(
    private readonly db: Pool,
    private readonly clock: Clock,
    private readonly cipher: Cipher,
    private readonly connectors: ConnectorRegistry,
    private readonly applyEffects: ApplyPaymentEffects,
  ) {}

  async createPreauthorization(clientId: string, body: PreauthorizationBody, idempotencyKey: string | undefined): Promise<PreauthorizationView> {
    const now = this.clock.now()
    const problems: FieldProblem[] = []
    const connector = this.connectors.get(body.connectorId)
    if (!connector) throw new Refusal('bad_request', 'CONNECTOR_NOT_FOUND', `Connector ${body.connectorId} does not exist; list the payer's banks with GET /connectors.`)
    if (!connector.payments)
      problems.push({ field: 'connectorId', message: `Connector ${body.connectorId} (${connector.name}) does not initiate payments; choose a bank with supportsPaymentInitiation.` })
    const payerText = body.parameters.cnpj ?? body.parameters.cpf
    const payer = payerText === undefined ? undefined : checked(parseTaxNumber(body.parameters.cnpj ? 'parameters.cnpj' : 'parameters.cpf', payerText), problems)
    if (payerText === undefined) problems.push({ field: 'parameters.cpf', message: 'parameters.cpf is required: the payer’s CPF (and parameters.cnpj for a company’s account).' })
    const recipients: PaymentRecipientRow[] = []
    for (const [i, id] of body.recipientIds.entries()) {
      const recipient = UUID.test(id) ? await findPaymentRecipient(this.db, clientId, id.toLowerCase()) : undefined
      if (!recipient) problems.push({ field: `recipientIds.${i}`, message: `recipientIds holds ${id}, which is not a payment recipient of this client.` })
      else if (payer && !isSameOwner(payer.value, recipient.taxNumber)) {
        problems.push({ field: `recipientIds.${i}`, message: `Recipient ${id} belongs to ${recipient.taxNumber}, not to the payer: smart transfers move money between the payer’s own accounts.` })
      } else recipients.push(recipient)
    }
    if (new Set(recipients.map((r) => r.id)).size !== recipients.length) problems.push({ field: 'recipientIds', message: 'recipientIds names a recipient more than once; list each once.' })
    if (problems.length > 0) refuseProblems(problems)
    const id = randomUUID()
    const createdId = await withTransaction(this.db, async (tx) => {
      const first = await claimCreation(tx, { clientId, operation: 'createSmartTransferPreauthorization', key: idempotencyKey, body, resourceId: id, at: now })
      if (first) return first
      const created = createPreauthorization(NO_CONSENT_URL, now.toISOString())
      const inserted = await insertPreauthorization(tx, {
        id,
        clientId,
        connectorId: body.connectorId,
        clientPreauthorizationId: body.clientPreauthorizationId ?? null,
        callbackUrls: body.callbackUrls ?? null,
        parametersEnc: this.cipher.encrypt(JSON.stringify(body.parameters)),
        recipientIds: recipients.map((r) => r.id),
        state: created.state,
        at: now,
      })
      if (!inserted) refuseProblems([{ field: 'recipientIds', message: 'A recipient was deleted while the preauthorization was created; send the request again.' }])
      await this.applyEffects(tx, { clientId, smartTransferPreauthorizationId: id, entity: 'SMART_TRANSFER_PREAUTHORIZATION' }, engineEffects(created.effects), now)
      // The engine asks the payer's bank for the consent: its job is queued in this transaction, so it exists exactly when the preauthorization does.
      await enqueue(tx, TASKS.runSmartTransferPreauthorization, { preauthorizationId: inserted.id })
      return inserted.id
    })
    const created = await this.preauthorization(clientId, createdId)
    const answered = await untilConsentCreated(
      created.preauthorization,
      () => findPreauthorization(this.db, clientId, createdId),
      (row) => row.consentUrl === NO_CONSENT_URL && row.error === null,
    )
    return this.preauthorizationView(answered)
  }

  async preauthorization(clientId: string, id: string): Promise<PreauthorizationView> {
    const found = await findPreauthorization(this.db, clientId, resourceId(id, 'SMART_TRANSFER_PREAUTHORIZATION_NOT_FOUND', 'Smart-transfer preauthorization'))
    if (!found)
      throw new Refusal(
        'not_found',
        'SMART_TRANSFER_PREAUTHORIZATION_NOT_FOUND',
        `Smart-transfer preauthorization ${id} does not exist for this client; list them with GET /smart-transfers/preauthorizations.`,
      )
    return this.preauthorizationView(found)
  }

  async preauthorizations(clientId: string, page: { limit: number; offset: number }): Promise<{ rows: PreauthorizationView[]; total: number }> {
    const { rows, total } = await listPreauthorizations(this.db, clientId, page)
    return { rows: await Promise.all(rows.map((row) => this.preauthorizationView(row))), total }
  }

  async createPayment(clientId: string, body: SmartTransferPaymentBody, idempotencyKey: string | undefined): Promise<SmartTransferPaymentView> {
    const now = this.clock.now()
    const problems: FieldProblem[] = []
    const amountCents = checked(toCents('amount', body.amount), problems)
    const preauthorization = UUID.test(body.preauthorizationId) ? await findPreauthorization(this.db, clientId, body.preauthorizationId.toLowerCase()) : undefined
    if (!preauthorization) problems.push({ field: 'preauthorizationId', message: `preauthorizationId ${body.preauthorizationId} is not a smart-transfer preauthorization of this client.` })
    const recipientId = body.recipientId.toLowerCase()
    if (preauthorization && !preauthorization.recipientIds.includes(recipientId)) {
      problems.push({ field: 'recipientId', message: `recipientId ${body.recipientId} is not among the recipients preauthorization ${preauthorization.id} covers.` })
    }
    if (problems.length > 0) refuseProblems(problems)
    if (preauthorization!.status !== PREAUTHORIZATION_IN_FORCE) {
      throw new Refusal(
        'bad_request',
        'SMART_TRANSFER_PREAUTHORIZATION_NOT_COMPLETED',
        `Preauthorization ${preauthorization!.id} is ${preauthorization!.status}; transfers are made only under one in force (${PREAUTHORIZATION_IN_FORCE}).`,
      )
    }
    const id = randomUUID()
    const createdId = await withTransaction(this.db, async (tx) => {
      const first = await claimCreation(tx, { clientId, operation: 'createSmartTransferPayment', key: idempotencyKey, body, resourceId: id, at: now })
      if (first) return first
      const inserted = await insertSmartTransferPayment(tx, {
        id,
        clientId,
        preauthorizationId: preauthorization!.id,
        recipientId,
        description: body.description ?? null,
        clientPaymentId: body.clientPaymentId ?? null,
        preauthorizationStatus: PREAUTHORIZATION_IN_FORCE,
        state: createSmartTransferPayment(amountCents!),
        at: now,
      })
      if (!inserted)
        throw new Refusal('bad_request', 'SMART_TRANSFER_PREAUTHORIZATION_NOT_COMPLETED', `Preauthorization ${preauthorization!.id} ended just now; transfers are made only under one in force.`)
      // The engine settles it: its job is queued in this transaction, so it exists exactly when the transfer does.
      await enqueueSmartTransferPaymentWork(tx, inserted.id, now)
      return inserted.id
    })
    return this.payment(clientId, createdId)
  }

  async payment(clientId: string, id: string): Promise<SmartTransferPaymentView> {
    const found = await findSmartTransferPayment(this.db, clientId, resourceId(id, 'SMART_TRANSFER_PAYMENT_NOT_FOUND', 'Smart-transfer payment'))
    if (!found) throw new Refusal('not_found', 'SMART_TRANSFER_PAYMENT_NOT_FOUND', `Smart-transfer payment ${id} does not exist for this client.`)
    const recipient = await findPaymentRecipient(this.db, clientId, found.recipientId)
    return { payment: found, recipient: recipient! }
  }

  private async preauthorizationView(preauthorization: PreauthorizationRow): Promise<PreauthorizationView> {
    const recipients = await Promise.all(preauthorization.recipientIds.map((id) => findPaymentRecipient(this.db, preauthorization.clientId, id)))
    return { preauthorization, recipients: recipients.filter((r): r is PaymentRecipientRow => r !== undefined) }
  }
}
