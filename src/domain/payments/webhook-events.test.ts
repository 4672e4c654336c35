import { describe, expect, it } from 'vitest'
import { PAYMENT_WEBHOOK_EVENTS, paymentEventFields } from './webhook-events.ts'

describe('payment webhook payloads', () => {
  const subject = {
    clientId: 'client-1',
    paymentRequestId: 'pr-1',
    paymentIntentId: 'pi-1',
    scheduledPaymentId: 'sp-1',
    automaticPixPaymentId: 'ap-1',
    smartTransferPreauthorizationId: 'stp-1',
    smartTransferPaymentId: 'st-1',
    status: 'COMPLETED',
  }

  it('carry the ids the reference’s payload type names for each event', () => {
    expect(paymentEventFields('payment_intent/completed', subject)).toEqual({ paymentIntentId: 'pi-1', paymentRequestId: 'pr-1' })
    expect(paymentEventFields('payment_intent/created', { clientId: 'c', paymentIntentId: 'pi-2', bulkPaymentId: 'b-1' })).toEqual({ paymentIntentId: 'pi-2', bulkPaymentId: 'b-1' })
    expect(paymentEventFields('scheduled_payment/canceled', subject)).toEqual({ paymentRequestId: 'pr-1', scheduledPaymentId: 'sp-1' })
    expect(paymentEventFields('scheduled_payment/all_created', subject)).toEqual({ paymentRequestId: 'pr-1' })
    expect(paymentEventFields('automatic_pix_payment/error', subject)).toEqual({ paymentRequestId: 'pr-1', automaticPixPaymentId: 'ap-1' })
    expect(paymentEventFields('payment_request/updated', subject)).toEqual({ paymentRequestId: 'pr-1', data: { status: 'COMPLETED' } })
    const error = { code: 'CONSENT_REVOKED', description: 'Revoked.' }
    expect(paymentEventFields('smart_transfer_preauthorization/error', { ...subject, status: 'REVOKED', error })).toEqual({
      smartTransferPreauthorizationId: 'stp-1',
      clientId: 'client-1',
      status: 'REVOKED',
      error,
    })
    expect(paymentEventFields('smart_transfer_payment/completed', subject)).toEqual({
      smartTransferPaymentId: 'st-1',
      smartTransferPreauthorizationId: 'stp-1',
      clientId: 'client-1',
      status: 'COMPLETED',
    })
  })

  it('every event but boleto/updated (no boleto methods in this client) has a payload; a missing id is a bug, thrown', () => {
    for (const event of PAYMENT_WEBHOOK_EVENTS.filter((e) => e !== 'boleto/updated')) expect(() => paymentEventFields(event, subject), event).not.toThrow()
    expect(() => paymentEventFields('boleto/updated', subject)).toThrow(/boleto/)
    expect(() => paymentEventFields('scheduled_payment/created', { clientId: 'c', paymentRequestId: 'pr-1' })).toThrow(/scheduledPaymentId/)
  })
})
