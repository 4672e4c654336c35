import { z } from 'zod'
import type { BulkPaymentView } from '../../services/payments/bulk-payment-service.ts'
import { idempotencyKeyOf } from '../../services/payments/payment-idempotency.ts'
import { originOf } from '../connector-logos.ts'
import type { App, HttpServices } from '../http-types.ts'
import { PageQuery, page, pageWindow } from '../paging.ts'
import { connectorPresenter } from '../payment-customer-presenter.ts'
import { presentBulkPayment } from '../payment-flow-presenters.ts'
import { presentPaymentRequest } from '../payment-request-presenters.ts'
import { BulkPayment, BulkPaymentPage, CreateBulkPaymentBody } from '../schemas/bulk-payment.ts'
import { refusals } from '../schemas/error.ts'

const IdParams = z.object({ id: z.string().max(100) })
// pluggy-sdk takes any answer but 200 to a DELETE as a failure: a delete answers 200 with an empty object.
const Emptied = z.strictObject({}).describe('Deleted; its requests are free to be paid on their own again')
const notFound = refusals({ 404: ['PAYMENT_BULK_NOT_FOUND'] })
const tags = ['payments']

/** Bulk payments (docs/payments.md, methods 20–23). */
export function registerPaymentBulkRoutes(app: App, services: HttpServices): void {
  const bulk = services.bulkPayments
  const present = async (view: BulkPaymentView, origin: string) => {
    const connectorOf = connectorPresenter(services, origin)
    return presentBulkPayment(view, await Promise.all(view.requests.map((r) => presentPaymentRequest(r, connectorOf))))
  }

  app.post(
    '/payments/bulk',
    {
      schema: {
        tags,
        body: CreateBulkPaymentBody,
        response: {
          200: BulkPayment.describe('The bulk payment created (for a repeated Idempotency-Key with the same body, the one created first)'),
          ...refusals({ 400: ['IDEMPOTENCY_KEY_INVALID'], 409: ['IDEMPOTENCY_KEY_REUSED'] }),
        },
      },
    },
    async (request) => present(await bulk.create(request.principal!.clientId, request.body, idempotencyKeyOf(request.headers)), originOf(request)),
  )
  app.get('/payments/bulk', { schema: { tags, querystring: PageQuery, response: { 200: BulkPaymentPage.describe('The client’s bulk payments, newest first') } } }, async (request) => {
    const { rows, total } = await bulk.list(request.principal!.clientId, pageWindow(request.query))
    return page(await Promise.all(rows.map((view) => present(view, originOf(request)))), total, request.query.page, request.query.pageSize)
  })
  app.get('/payments/bulk/:id', { schema: { tags, params: IdParams, response: { 200: BulkPayment.describe('The bulk payment, with its requests'), ...notFound } } }, async (request) =>
    present(await bulk.get(request.principal!.clientId, request.params.id), originOf(request)),
  )
  app.delete('/payments/bulk/:id', { schema: { tags, params: IdParams, response: { 200: Emptied, ...notFound, ...refusals({ 409: ['BULK_PAYMENT_NOT_DELETABLE'] }) } } }, async (request) => {
    await bulk.delete(request.principal!.clientId, request.params.id)
    return {}
  })
}
