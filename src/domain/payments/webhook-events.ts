import { assertNever } from '../statuses.ts'

/**
 * The payment webhook events, named as the reference client declares them (pluggy-sdk 0.90.0,
 * WEBHOOK_EVENTS in dist/types/webhook.d.ts), and the fields each one's payload carries beside
 * `event`, `eventId` and `id` (which the outbox adds).
 */
export const PAYMENT_WEBHOOK_EVENTS = [
  'payment_intent/created',
  'payment_intent/completed',
  'payment_intent/waiting_payer_authorization',
  'payment_intent/error',
  'scheduled_payment/created',
  'scheduled_payment/completed',
  'scheduled_payment/error',
  'scheduled_payment/canceled',
  'scheduled_payment/all_completed',
  'scheduled_payment/all_created',
  'boleto/updated',
  'automatic_pix_payment/created',
  'automatic_pix_payment/completed',
  'automatic_pix_payment/error',
  'automatic_pix_payment/canceled',
  'payment_request/updated',
  'smart_transfer_preauthorization/completed',
  'smart_transfer_preauthorization/error',
  'smart_transfer_payment/completed',
  'smart_transfer_payment/error',
] as const
export type PaymentWebhookEvent = (typeof PAYMENT_WEBHOOK_EVENTS)[number]

/** The request statuses `payment_request/updated` reports (its `data.status` in the reference's payload type). */
export const NOTIFIED_REQUEST_STATUSES = ['AUTHORIZED', 'CANCELED', 'COMPLETED', 'ERROR'] as const

/** The ids (and status) an event is about; each event takes the ones its payload names. */
export interface PaymentEventSubject {
  clientId: string
  paymentRequestId?: string | null
  paymentIntentId?: string
  bulkPaymentId?: string | null
  scheduledPaymentId?: string
  automaticPixPaymentId?: string
  smartTransferPreauthorizationId?: string
  smartTransferPaymentId?: string
  status?: string
  error?: { code: string; description: string; detail?: string } | null
}

function required<K extends keyof PaymentEventSubject>(subject: PaymentEventSubject, key: K, event: PaymentWebhookEvent): NonNullable<PaymentEventSubject[K]> {
  const value = subject[key]
  if (value === undefined || value === null) throw new Error(`${event} needs ${String(key)}`)
  return value as NonNullable<PaymentEventSubject[K]>
}

/**
 * The payload fields of a payment event beyond `event`, `eventId` and `id`. Throws when the subject
 * lacks an id the event needs: that is a bug of the caller, not an outcome.
 */
export function paymentEventFields(event: PaymentWebhookEvent, subject: PaymentEventSubject): Record<string, unknown> {
  switch (event) {
    case 'payment_intent/created':
    case 'payment_intent/completed':
    case 'payment_intent/waiting_payer_authorization':
    case 'payment_intent/error':
      // An intent pays a request, or tops up a bulk payment: the reference names whichever it is.
      return {
        paymentIntentId: required(subject, 'paymentIntentId', event),
        ...(subject.paymentRequestId ? { paymentRequestId: subject.paymentRequestId } : {}),
        ...(subject.bulkPaymentId ? { bulkPaymentId: subject.bulkPaymentId } : {}),
      }
    case 'scheduled_payment/created':
    case 'scheduled_payment/completed':
    case 'scheduled_payment/error':
    case 'scheduled_payment/canceled':
      return { paymentRequestId: required(subject, 'paymentRequestId', event), scheduledPaymentId: required(subject, 'scheduledPaymentId', event) }
    case 'scheduled_payment/all_completed':
    case 'scheduled_payment/all_created':
      return { paymentRequestId: required(subject, 'paymentRequestId', event) }
    case 'automatic_pix_payment/created':
    case 'automatic_pix_payment/completed':
    case 'automatic_pix_payment/error':
    case 'automatic_pix_payment/canceled':
      return { paymentRequestId: required(subject, 'paymentRequestId', event), automaticPixPaymentId: required(subject, 'automaticPixPaymentId', event) }
    case 'payment_request/updated':
      return { paymentRequestId: required(subject, 'paymentRequestId', event), data: { status: required(subject, 'status', event) } }
    case 'smart_transfer_preauthorization/completed':
    case 'smart_transfer_preauthorization/error':
      return {
        smartTransferPreauthorizationId: required(subject, 'smartTransferPreauthorizationId', event),
        clientId: subject.clientId,
        status: required(subject, 'status', event),
        ...(subject.error ? { error: subject.error } : {}),
      }
    case 'smart_transfer_payment/completed':
    case 'smart_transfer_payment/error':
      return {
        smartTransferPaymentId: required(subject, 'smartTransferPaymentId', event),
        smartTransferPreauthorizationId: required(subject, 'smartTransferPreauthorizationId', event),
        clientId: subject.clientId,
        status: required(subject, 'status', event),
        ...(subject.error ? { error: subject.error } : {}),
      }
    case 'boleto/updated':
      // The reference client of this version has no boleto methods: nothing here creates one.
      throw new Error('boleto/updated has no subject in this version of the API')
    default:
      return assertNever(event)
  }
}
