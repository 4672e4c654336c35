import type { Pool } from 'pg'
import type { PaymentIntentRow } from '../../store/payments/payment-intents.ts'
import { pixAmount, pixCopyPaste } from '../../domain/payments/pix-qr-code.ts'
import { intentHasConsent } from '../../domain/payments/payment-intent.ts'
import { saveIntentStep } from '../../engine/payments/intent-steps.ts'
import { enqueuePaymentIntentWork } from '../../engine/payments/payment-work.ts'
import { Refusal } from '../../engine/refusal.ts'
import { findBulkPayment } from '../../store/payments/bulk-payments.ts'
import { findPaymentIntent } from '../../store/payments/payment-intents.ts'
import { findSmartAccount } from '../../store/payments/smart-accounts.ts'
import type { Clock } from '../../time/clock.ts'
import { resourceId } from '../resource-id.ts'
import { refuseProblems } from './payment-request-service.ts'

/** The city a Pix QR code names for its receiver: smart accounts keep no address. */
const RECEIVER_CITY = 'SAO PAULO'

/**
 * Pix QR top-ups of bulk payments (`createPaymentIntent({ bulkPaymentId, paymentMethod: 'PIX' })`):
 * the intent answers a BR Code anyone may pay into the bulk payment's smart account, and no bank is
 * asked for a consent. The engine settles it once the code is paid — in the sandbox, by
 * POST /sandbox/payments/intents/{id}/pay-pix.
 */

/** Who a Pix QR top-up's code pays: the bulk payment's smart account, as its BR Code names it. */
export interface PixQrReceiver {
  bulkPaymentId: string
  key: string
  name: string
}

/** The bulk payment a Pix QR top-up pays into, checked: the body names one of the client's, and no request. */
export async function pixQrReceiver(pool: Pool, clientId: string, body: { paymentMethod?: string; bulkPaymentId?: string; paymentRequestId?: string }): Promise<PixQrReceiver> {
  if (body.paymentMethod !== 'PIX') {
    throw new Refusal('bad_request', 'PAYMENT_METHOD_UNSUPPORTED', `paymentMethod ${JSON.stringify(body.paymentMethod)} is not served; the only one is PIX (a Pix QR top-up of a bulk payment).`)
  }
  if (body.bulkPaymentId === undefined || body.paymentRequestId !== undefined) {
    refuseProblems([{ field: 'bulkPaymentId', message: 'A Pix QR top-up (paymentMethod PIX) takes bulkPaymentId, and no paymentRequestId.' }])
  }
  const bulk = await findBulkPayment(pool, clientId, resourceId(body.bulkPaymentId, 'PAYMENT_BULK_NOT_FOUND', 'Bulk payment'))
  const account = bulk ? await findSmartAccount(pool, clientId, bulk.smartAccountId) : undefined
  if (!bulk || !account) throw new Refusal('not_found', 'PAYMENT_BULK_NOT_FOUND', `Bulk payment ${body.bulkPaymentId} does not exist for this client.`)
  // The smart account's CNPJ is its Pix key.
  return { bulkPaymentId: bulk.id, key: account.taxNumber.replace(/\D/g, ''), name: account.name }
}

/** The intent's `pixData`: its code (the intent's id as txid) and the amount in reais. */
export function pixQrData(receiver: PixQrReceiver, amountCents: number, intentId: string): NonNullable<PaymentIntentRow['pixData']> {
  const qr = pixCopyPaste({ key: receiver.key, amountCents, merchantName: receiver.name, merchantCity: RECEIVER_CITY, txid: intentId })
  return { qr, value: pixAmount(amountCents) }
}

/** Someone paid the intent's QR code: the intent moves on (saved with its bulk payment), and the engine settles it. */
export async function payPixQr(pool: Pool, clock: Clock, clientId: string, id: string): Promise<void> {
  const intent = await findPaymentIntent(pool, clientId, resourceId(id, 'PAYMENT_INTENT_NOT_FOUND', 'Payment intent'))
  if (!intent) throw new Refusal('not_found', 'PAYMENT_INTENT_NOT_FOUND', `Payment intent ${id} does not exist for this client.`)
  if (intentHasConsent(intent.kind)) {
    throw new Refusal('conflict', 'PAYMENT_INTENT_NOT_PIX_PAYABLE', `Payment intent ${id} is paid at the payer’s bank (its consentUrl), not by a Pix QR code.`)
  }
  const now = clock.now()
  const saved = await saveIntentStep({ pool }, intent, { type: 'PIX_QR_PAID' }, now)
  if (!saved.saved) {
    throw new Refusal('conflict', 'PAYMENT_INTENT_NOT_PIX_PAYABLE', `Payment intent ${id} is ${intent.status}; only a Pix QR top-up not yet paid, and not expired, can be paid (${saved.reason}).`)
  }
  await enqueuePaymentIntentWork(pool, intent.id, now)
}
