import { nextSettlementEvent, PREAUTHORIZATION_AWAITING_PAYER } from '../../domain/payments/payment-execution.ts'
import { isSettlementStatus } from '../../domain/payments/settlement.ts'
import { transitionSmartTransferPayment, type SmartTransferPaymentEvent } from '../../domain/payments/smart-transfer-payment.ts'
import { transitionPreauthorization, type SmartTransferPreauthorizationEvent } from '../../domain/payments/smart-transfer-preauthorization.ts'
import { withTransaction } from '../../store/database.ts'
import { findBankLink, saveBankLink } from '../../store/payments/payment-execution.ts'
import { findPaymentRecipient } from '../../store/payments/payment-recipients.ts'
import { consentRecipientOf } from './consent-recipient.ts'
import { findSmartTransferClient, setPreauthorizationConsentUrl } from '../../store/payments/smart-transfer-execution.ts'
import {
  findPreauthorization,
  findSmartTransferPayment,
  preauthorizationStateOf,
  savePreauthorizationTransition,
  saveSmartTransferPaymentTransition,
  smartTransferPaymentStateOf,
  type PreauthorizationRow,
} from '../../store/payments/smart-transfers.ts'
import { applyPaymentEffects } from './payment-effects.ts'
import type { PaymentRunnerDeps } from './payment-intent-runner.ts'

/**
 * Drives smart transfers at the payer's bank: a preauthorization's consent (created, then the
 * payer's answer read), and each transfer under a preauthorization in force, through settlement
 * as an intent's payment goes. One saved step at a time, every bank call idempotent on Tributary's
 * ids, every save guarded: a replayed run repeats nothing.
 */
export class SmartTransferRunner {
  constructor(private readonly deps: PaymentRunnerDeps) {}

  private context(id: string) {
    const log = this.deps.logger.child({ smartTransfer: id })
    return { signal: new AbortController().signal, now: () => this.deps.clock.now(), log: (message: string, fields?: Record<string, unknown>) => log.info(fields ?? {}, message) }
  }

  async runPreauthorization(id: string): Promise<void> {
    const { pool } = this.deps.db
    const clientId = await findSmartTransferClient(pool, 'PREAUTHORIZATION', id)
    const row = clientId ? await findPreauthorization(pool, clientId, id) : undefined
    if (!row || row.status !== PREAUTHORIZATION_AWAITING_PAYER) return
    const bank = this.deps.connectors.get(row.connectorId)?.payments
    if (!bank)
      return this.savePreauthorization(row, { type: 'FAILED', error: { code: 'PAYMENT_INSTITUTION_UNAVAILABLE', description: 'The payer’s bank does not initiate payments through Tributary.' } })
    const ctx = this.context(id)
    const link = await findBankLink(pool, 'SMART_TRANSFER_PREAUTHORIZATION', id)
    const now = this.deps.clock.now()
    if (!link?.consentId) {
      const payer = JSON.parse(this.deps.cipher.decrypt(row.parametersEnc)) as { cpf: string; cnpj?: string }
      const recipient = row.recipientIds[0] ? await findPaymentRecipient(pool, row.clientId, row.recipientIds[0]) : undefined
      if (!recipient) return this.savePreauthorization(row, { type: 'FAILED', error: { code: 'PAYMENT_RECIPIENT_NOT_FOUND', description: 'The preauthorization’s recipients are gone.' } })
      const consent = await bank.createConsent(ctx, {
        reference: row.id,
        kind: 'SMART_TRANSFER',
        amountCents: null,
        payer: { cpf: payer.cpf.replace(/\D/g, ''), ...(payer.cnpj ? { cnpj: payer.cnpj } : {}) },
        recipient: consentRecipientOf(recipient),
        description: 'Smart transfers between your own accounts',
        redirectUrl: row.callbackUrls?.success ?? `${this.deps.publicUrl()}/`,
        expiresAt: row.consentExpiresAt,
      })
      await saveBankLink(
        pool,
        {
          subjectKind: 'SMART_TRANSFER_PREAUTHORIZATION',
          subjectId: row.id,
          clientId: row.clientId,
          connectorId: row.connectorId,
          consentId: consent.consentId,
          paymentId: null,
          debtorAccountId: null,
        },
        now,
      )
      if (consent.authorizationUrl) await setPreauthorizationConsentUrl(pool, row.id, consent.authorizationUrl, PREAUTHORIZATION_AWAITING_PAYER, now)
      return
    }
    const consent = await bank.consentStatus(ctx, link.consentId)
    if (consent.status === 'AUTHORISED') {
      await saveBankLink(pool, { ...link, debtorAccountId: consent.debtorAccountId }, now)
      return this.savePreauthorization(row, { type: 'PAYER_AUTHORIZED' })
    }
    if (consent.status === 'REJECTED') return this.savePreauthorization(row, { type: 'PAYER_REJECTED', ...(consent.reason ? { detail: consent.reason } : {}) })
  }

  /** Saves one step of a preauthorization with its effects (also the CONSENT_EXPIRY check's). */
  async savePreauthorization(row: PreauthorizationRow, event: SmartTransferPreauthorizationEvent): Promise<void> {
    const now = this.deps.clock.now()
    await withTransaction(this.deps.db.pool, async (tx) => {
      const moved = transitionPreauthorization(preauthorizationStateOf(row), event)
      if (!moved.ok) return
      if (!(await savePreauthorizationTransition(tx, { clientId: row.clientId, id: row.id, expected: row.status, next: moved.next, events: [], at: now }))) return
      const subject = { clientId: row.clientId, entity: 'SMART_TRANSFER_PREAUTHORIZATION' as const, smartTransferPreauthorizationId: row.id, status: moved.next.status, error: moved.next.error }
      await applyPaymentEffects(tx, subject, moved.effects, now)
    })
  }

  async runPayment(id: string): Promise<void> {
    const { pool } = this.deps.db
    const clientId = await findSmartTransferClient(pool, 'PAYMENT', id)
    for (let step = 0; step < 8 && clientId; step++) {
      const payment = await findSmartTransferPayment(pool, clientId, id)
      if (!payment || !isSettlementStatus(payment.status)) return
      const preauthorization = await findPreauthorization(pool, clientId, payment.preauthorizationId)
      const link = await findBankLink(pool, 'SMART_TRANSFER_PREAUTHORIZATION', payment.preauthorizationId)
      const bank = preauthorization ? this.deps.connectors.get(preauthorization.connectorId)?.payments : undefined
      let event: SmartTransferPaymentEvent | null
      if (!bank || !link?.consentId) {
        event = { type: 'FAILED', error: { code: 'CONSENT_UNAVAILABLE', description: 'The preauthorization’s consent at the payer’s bank could not be found.' } }
      } else {
        const ctx = this.context(id)
        const own = await findBankLink(pool, 'SMART_TRANSFER_PAYMENT', id)
        let paymentId = own?.paymentId ?? null
        if (!paymentId) {
          paymentId = (await bank.initiatePayment(ctx, link.consentId, { reference: id, amountCents: payment.amountCents })).paymentId
          await saveBankLink(
            pool,
            { subjectKind: 'SMART_TRANSFER_PAYMENT', subjectId: id, clientId, connectorId: link.connectorId, consentId: link.consentId, paymentId, debtorAccountId: link.debtorAccountId },
            this.deps.clock.now(),
          )
        }
        const status = await bank.paymentStatus(ctx, paymentId)
        event = nextSettlementEvent(payment.status, { status: status.status, rejection: status.rejection ?? null })
      }
      if (!event) return
      const now = this.deps.clock.now()
      const chosen = event
      const saved = await withTransaction(pool, async (tx) => {
        const moved = transitionSmartTransferPayment(smartTransferPaymentStateOf(payment), chosen)
        if (!moved.ok) return false
        if (!(await saveSmartTransferPaymentTransition(tx, { clientId, id, expected: payment.status, next: moved.next, events: [], at: now }))) return false
        const subject = {
          clientId,
          entity: 'SMART_TRANSFER_PAYMENT' as const,
          smartTransferPaymentId: id,
          smartTransferPreauthorizationId: payment.preauthorizationId,
          status: moved.next.status,
          error: moved.next.error,
        }
        await applyPaymentEffects(tx, subject, moved.effects, now)
        return true
      })
      if (!saved) return
    }
  }
}
