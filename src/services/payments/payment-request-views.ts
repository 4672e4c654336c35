import type { Queryable } from '../../store/database.ts'
import { findPaymentCustomer, type PaymentCustomerRow } from '../../store/payments/payment-parties.ts'
import { findPaymentRecipient, type PaymentRecipientRow } from '../../store/payments/payment-recipients.ts'
import type { PaymentRequestRow } from '../../store/payments/payment-requests.ts'
import type { PaymentRequestView } from './payment-request-service.ts'

export type { PaymentRequestRow, PaymentRequestView }

/** Where a payer pays a request (`/pay/{id}`) or tops up a bulk payment (`/pay/bulk/{id}`), on Tributary's payment page. */
export function paymentPageUrl(publicUrl: string, what: { requestId: string } | { bulkPaymentId: string }): string {
  return 'requestId' in what ? `${publicUrl}/pay/${what.requestId}` : `${publicUrl}/pay/bulk/${what.bulkPaymentId}`
}

/** The requests with their recipients and customers, each party read once. */
export async function requestViews(db: Queryable, clientId: string, requests: readonly PaymentRequestRow[], publicUrl: string): Promise<PaymentRequestView[]> {
  const recipients = new Map<string, Promise<PaymentRecipientRow | undefined>>()
  const customers = new Map<string, Promise<PaymentCustomerRow | undefined>>()
  for (const r of requests) {
    if (r.recipientId && !recipients.has(r.recipientId)) recipients.set(r.recipientId, findPaymentRecipient(db, clientId, r.recipientId))
    if (r.customerId && !customers.has(r.customerId)) customers.set(r.customerId, findPaymentCustomer(db, clientId, r.customerId))
  }
  return Promise.all(
    requests.map(async (request) => ({
      row: request,
      paymentUrl: paymentPageUrl(publicUrl, { requestId: request.id }),
      recipient: (request.recipientId ? await recipients.get(request.recipientId) : undefined) ?? null,
      customer: (request.customerId ? await customers.get(request.customerId) : undefined) ?? null,
    })),
  )
}
