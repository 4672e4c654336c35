import { fromCents } from '../domain/payments/money.ts'
import type { PaymentIntentView } from '../services/payments/payment-intent-service.ts'
import type { PaymentRequestView } from '../services/payments/payment-request-service.ts'
import { presentPaymentCustomer, presentPaymentRecipient } from './payment-presenters.ts'
import type { Connector } from './schemas/connector.ts'
import type { AutomaticPixDetails, BulkPaymentSummary, PaymentIntent, PaymentRequest, PaymentRequestSchedule } from './schemas/payment-request.ts'

type CustomerConnector = (connectorId: number | null) => Promise<Connector | null>

/** A request as pluggy-sdk's PaymentRequest declares it (a Pix Automático one has no amount but carries it as 0 here). */
export async function presentPaymentRequest(view: PaymentRequestView, connectorOf: CustomerConnector): Promise<PaymentRequest> {
  const { row } = view
  return {
    id: row.id,
    paymentUrl: view.paymentUrl,
    amount: row.amountCents === null ? 0 : fromCents(row.amountCents),
    description: row.description,
    status: row.status,
    callbackUrls: row.callbackUrls ? { ...(row.callbackUrls.success ? { success: row.callbackUrls.success } : {}), ...(row.callbackUrls.error ? { error: row.callbackUrls.error } : {}) } : null,
    bulkPaymentId: row.bulkPaymentId,
    recipient: view.recipient ? presentPaymentRecipient(view.recipient) : null,
    customer: view.customer ? presentPaymentCustomer(view.customer, await connectorOf(view.customer.connectorId)) : null,
    fees: null,
    schedule: (row.schedule as PaymentRequestSchedule | null) ?? null,
    automaticPix: (row.automaticPix as AutomaticPixDetails | null) ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    clientPaymentId: row.clientPaymentId,
    isSandbox: row.isSandbox,
  }
}

export async function presentPaymentIntent(view: PaymentIntentView, connectorOf: CustomerConnector, paymentUrlOfBulk: (id: string) => string): Promise<PaymentIntent> {
  const { row, bulk } = view
  const bulkPayment: BulkPaymentSummary | null = bulk
    ? {
        id: bulk.id,
        status: bulk.status,
        referenceId: bulk.referenceId,
        createdAt: bulk.createdAt.toISOString(),
        updatedAt: bulk.updatedAt.toISOString(),
        totalAmount: fromCents(bulk.totalCents),
        paymentUrl: paymentUrlOfBulk(bulk.id),
        feesAmount: fromCents(bulk.feesCents),
        grossAmount: fromCents(bulk.totalCents + bulk.feesCents),
        callbackUrls: bulk.callbackUrls,
      }
    : null
  return {
    id: row.id,
    connector: await connectorOf(row.connectorId),
    consentUrl: row.consentUrl,
    pixData: row.pixData,
    paymentRequest: view.request ? await presentPaymentRequest(view.request, connectorOf) : null,
    bulkPayment,
    status: row.status,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}
