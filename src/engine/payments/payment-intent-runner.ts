import type pino from 'pino'
import type { PaymentConsentRequest, PaymentContext, PaymentInitiation } from '../../connectors/sdk/index.ts'
import { addMinutes } from '../../domain/payments/calendar-date.ts'
import { intentBankStep, mayQueueConsent, nextSettlementEvent, paidPixQrSettlementEvent } from '../../domain/payments/payment-execution.ts'
import { CONSENT_WINDOW_MINUTES, type PaymentIntentEvent } from '../../domain/payments/payment-intent.ts'
import { scheduleDates } from '../../domain/payments/schedule-dates.ts'
import { isSettlementStatus } from '../../domain/payments/settlement.ts'
import type { Cipher } from '../../store/cipher.ts'
import type { Database } from '../../store/database.ts'
import { findBulkPayment } from '../../store/payments/bulk-payments.ts'
import { findBankLink, saveBankLink, type PaymentBankLink } from '../../store/payments/payment-execution.ts'
import { findPaymentIntentForWork, type PaymentIntentRow } from '../../store/payments/payment-intents.ts'
import { findPaymentRecipient } from '../../store/payments/payment-recipients.ts'
import { consentRecipientOf } from './consent-recipient.ts'
import { findPaymentRequest } from '../../store/payments/payment-requests.ts'
import { findSmartAccount } from '../../store/payments/smart-accounts.ts'
import type { Clock } from '../../time/clock.ts'
import type { ConnectorRegistry } from '../connector-registry.ts'
import { saveIntentStep } from './intent-steps.ts'

/** At most this many steps per run: a run that keeps moving hands over to the next one (the queue fairly interleaves). */
const MAX_STEPS = 12

export interface PaymentRunnerDeps {
  db: Database
  clock: Clock
  cipher: Cipher
  connectors: ConnectorRegistry
  logger: pino.Logger
  /** Where payers' browsers reach this server: the bank sends the payer back there. */
  publicUrl: () => string
}

/** Where the payer's bank sends the payer back once they answered (the payment page's return). */
export function paymentReturnUrl(publicUrl: string, intent: Pick<PaymentIntentRow, 'id' | 'paymentRequestId' | 'bulkPaymentId'>): string {
  const owner = intent.paymentRequestId ?? `bulk/${intent.bulkPaymentId}`
  return `${publicUrl}/pay/${owner}/return?intent=${intent.id}`
}

/**
 * Drives one payment intent, a step at a time: asks the payer's bank (the connector's payment
 * initiation) what happened since the saved status, saves the next step with its effects, and
 * goes on until the intent finishes or waits (for the payer, or for the bank's settlement): the
 * run then ends, and the bank's answer (the payer coming back), or the payments pass, queues the
 * next one. Every call to the bank is idempotent on Tributary's ids, every save is guarded: a run
 * that died halfway, replayed from the top, repeats nothing.
 */
export class PaymentIntentRunner {
  constructor(private readonly deps: PaymentRunnerDeps) {}

  async run(intentId: string, signal: AbortSignal = new AbortController().signal): Promise<void> {
    for (let step = 0; step < MAX_STEPS; step++) {
      const intent = await findPaymentIntentForWork(this.deps.db.pool, intentId)
      if (!intent || intent.finishedAt !== null) return
      const event = await this.nextEvent(intent, signal)
      if (!event) return
      const result = await saveIntentStep(this.deps.db, intent, event, this.deps.clock.now())
      if (!result.saved) {
        this.deps.logger.info({ paymentIntentId: intent.id, event: event.type, reason: result.reason }, 'payment intent step not saved')
        return
      }
    }
  }

  private context(intentId: string, signal: AbortSignal): PaymentContext {
    const log = this.deps.logger.child({ paymentIntentId: intentId })
    return { signal, now: () => this.deps.clock.now(), log: (message, fields) => log.info(fields ?? {}, message) }
  }

  /** The next step the bank's answers call for, or null when the intent must wait. */
  private async nextEvent(intent: PaymentIntentRow, signal: AbortSignal): Promise<PaymentIntentEvent | null> {
    const step = intentBankStep(intent.status, intent.kind)
    if (step === 'SETTLE_PAID_QR') return isSettlementStatus(intent.status) ? paidPixQrSettlementEvent(intent.status) : null
    if (step === 'NONE') return null
    const bank = intent.connectorId === null ? undefined : this.deps.connectors.get(intent.connectorId)?.payments
    if (!bank) return { type: 'FAILED', error: { code: 'PAYMENT_INSTITUTION_UNAVAILABLE', description: 'The payer’s bank does not initiate payments through Tributary.' } }
    const ctx = this.context(intent.id, signal)
    const link = await findBankLink(this.deps.db.pool, 'PAYMENT_INTENT', intent.id)
    const now = this.deps.clock.now()
    switch (step) {
      case 'CREATE_CONSENT': {
        const request = await this.consentRequest(intent, now)
        if (!request) return { type: 'FAILED', error: { code: 'PAYMENT_REQUEST_INVALID', description: 'What the intent pays has no recipient the bank can pay.' } }
        const consent = await bank.createConsent(ctx, request)
        await this.link(intent, { consentId: consent.consentId })
        if (consent.authorizationUrl === null) return mayQueueConsent(intent.status) ? { type: 'QUEUED_AT_INSTITUTION' } : null
        return { type: 'CONSENT_CREATED', consentUrl: consent.authorizationUrl, at: now.toISOString() }
      }
      case 'READ_CONSENT': {
        if (!link?.consentId) return null
        const consent = await bank.consentStatus(ctx, link.consentId)
        if (consent.status === 'AUTHORISED') {
          await this.link(intent, { debtorAccountId: consent.debtorAccountId })
          return { type: 'PAYER_AUTHORIZED' }
        }
        if (consent.status === 'REJECTED') return { type: 'PAYER_REJECTED', ...(consent.reason ? { detail: consent.reason } : {}) }
        return null
      }
      case 'CONFIRM_CONSENT':
        return { type: 'CONSENT_CONFIRMED' }
      case 'FOLLOW_SETTLEMENT':
        return this.settlementEvent(bank, ctx, intent, link)
    }
  }

  private async settlementEvent(bank: PaymentInitiation, ctx: PaymentContext, intent: PaymentIntentRow, link: PaymentBankLink | undefined): Promise<PaymentIntentEvent | null> {
    if (!link?.consentId || !isSettlementStatus(intent.status)) return null
    let paymentId = link.paymentId
    if (!paymentId) {
      paymentId = (await bank.initiatePayment(ctx, link.consentId, { reference: intent.id, amountCents: intent.amountCents })).paymentId
      await this.link(intent, { paymentId })
    }
    const status = await bank.paymentStatus(ctx, paymentId)
    return nextSettlementEvent(intent.status, { status: status.status, rejection: status.rejection ?? null })
  }

  private async link(intent: PaymentIntentRow, fields: Partial<Pick<PaymentBankLink, 'consentId' | 'paymentId' | 'debtorAccountId'>>): Promise<void> {
    await saveBankLink(
      this.deps.db.pool,
      {
        subjectKind: 'PAYMENT_INTENT',
        subjectId: intent.id,
        clientId: intent.clientId,
        connectorId: intent.connectorId!,
        consentId: fields.consentId ?? null,
        paymentId: fields.paymentId ?? null,
        debtorAccountId: fields.debtorAccountId ?? null,
      },
      this.deps.clock.now(),
    )
  }

  /** What the bank is asked to consent to: the payer, the recipient, the amount (and a schedule's dates). */
  private async consentRequest(intent: PaymentIntentRow, now: Date): Promise<PaymentConsentRequest | undefined> {
    const { pool } = this.deps.db
    const payer = intent.parametersEnc ? (JSON.parse(this.deps.cipher.decrypt(intent.parametersEnc)) as { cpf: string; cnpj?: string }) : undefined
    if (!payer) return undefined
    const base = {
      reference: intent.id,
      payer,
      redirectUrl: paymentReturnUrl(this.deps.publicUrl(), intent),
      expiresAt: new Date(addMinutes(now.toISOString(), CONSENT_WINDOW_MINUTES[intent.kind])),
    }
    if (intent.paymentRequestId) {
      const request = await findPaymentRequest(pool, intent.clientId, intent.paymentRequestId)
      const recipient = request?.recipientId ? await findPaymentRecipient(pool, intent.clientId, request.recipientId) : undefined
      if (!request || !recipient) return undefined
      const schedule = request.schedule
      if (intent.kind === 'BULK_PIX_QR') return undefined
      return {
        ...base,
        kind: intent.kind,
        amountCents: intent.amountCents > 0 ? intent.amountCents : null,
        recipient: consentRecipientOf(recipient),
        description: request.description,
        ...(schedule ? { dates: scheduleDates(schedule) } : {}),
      }
    }
    const bulk = intent.bulkPaymentId ? await findBulkPayment(pool, intent.clientId, intent.bulkPaymentId) : undefined
    const account = bulk ? await findSmartAccount(pool, intent.clientId, bulk.smartAccountId) : undefined
    if (!bulk || !account) return undefined
    return {
      ...base,
      kind: 'BULK_TOP_UP',
      amountCents: intent.amountCents,
      recipient: {
        name: account.name,
        taxNumber: account.taxNumber,
        ispb: '00000000',
        branch: account.agency,
        accountNumber: `${account.number}-${account.verifyingDigit}`,
        accountType: 'CHECKING_ACCOUNT',
      },
      description: 'Top-up of a bulk payment',
    }
  }
}
