import type { FastifyRequest } from 'fastify'
import { z } from 'zod'
import { idempotencyKeyOf } from '../../services/payments/payment-idempotency.ts'
import { originOf } from '../connector-logos.ts'
import type { App, HttpServices } from '../http-types.ts'
import { page, pageWindow } from '../paging.ts'
import { presentPaymentIntent, presentPaymentRequest } from '../payment-request-presenters.ts'
import { presentConnector } from '../presenters.ts'
import { refusals } from '../schemas/error.ts'
import { CreatePaymentIntentBody, CreatePaymentRequestBody, PaymentIntent, PaymentIntentPage, PaymentRequest, PaymentRequestPage, PaymentRequestsQuery } from '../schemas/payment-request.ts'

const IdParams = z.object({ id: z.string().max(100) })
const IntentsQuery = PaymentRequestsQuery.extend({ paymentRequestId: z.string().max(100).optional() })
// pluggy-sdk takes any answer but 200 to a DELETE as a failure: a delete answers 200 with an empty object.
const Emptied = z.strictObject({}).describe('Deleted')
const requestNotFound = refusals({ 404: ['PAYMENT_REQUEST_NOT_FOUND'] })
const tags = ['payments']

/** Payment requests and intents (docs/payments.md, methods 1–7). */
export function registerPaymentRequestRoutes(app: App, services: HttpServices): void {
  const { paymentRequests, paymentIntents } = services
  const connectorOf = (request: FastifyRequest) => async (connectorId: number | null) => {
    const connector = connectorId === null ? undefined : services.connectors.get(connectorId)
    if (!connector) return null
    return presentConnector(connector, services.startedAt, { status: await services.connectorHealth.status(connector.id) }, originOf(request))
  }
  const bulkUrl = (id: string) => paymentRequests.paymentUrlOf(`bulk/${id}`)

  app.post(
    '/payments/requests',
    {
      schema: {
        tags,
        body: CreatePaymentRequestBody,
        response: {
          200: PaymentRequest.describe('The request created (or, for a repeated Idempotency-Key with the same body, the one created first)'),
          ...refusals({ 400: ['PAYMENT_RECIPIENT_REQUIRED', 'IDEMPOTENCY_KEY_INVALID'], 404: ['PAYMENT_RECIPIENT_NOT_FOUND', 'PAYMENT_CUSTOMER_NOT_FOUND'], 409: ['IDEMPOTENCY_KEY_REUSED'] }),
        },
      },
    },
    async (request) => presentPaymentRequest(await paymentRequests.create(request.principal!.clientId, request.body, idempotencyKeyOf(request.headers)), connectorOf(request)),
  )
  app.get(
    '/payments/requests',
    { schema: { tags, querystring: PaymentRequestsQuery, response: { 200: PaymentRequestPage.describe('The client’s payment requests, newest first') } } },
    async (request) => {
      const { rows, total } = await paymentRequests.list(request.principal!.clientId, { from: request.query.from, to: request.query.to, ...pageWindow(request.query) })
      return page(await Promise.all(rows.map((row) => presentPaymentRequest(row, connectorOf(request)))), total, request.query.page, request.query.pageSize)
    },
  )
  app.get('/payments/requests/:id', { schema: { tags, params: IdParams, response: { 200: PaymentRequest.describe('The payment request'), ...requestNotFound } } }, async (request) =>
    presentPaymentRequest(await paymentRequests.get(request.principal!.clientId, request.params.id), connectorOf(request)),
  )
  app.delete(
    '/payments/requests/:id',
    { schema: { tags, params: IdParams, response: { 200: Emptied, ...requestNotFound, ...refusals({ 409: ['PAYMENT_REQUEST_NOT_DELETABLE'] }) } } },
    async (request) => {
      await paymentRequests.delete(request.principal!.clientId, request.params.id)
      return {}
    },
  )

  app.post(
    '/payments/intents',
    {
      schema: {
        tags,
        body: CreatePaymentIntentBody,
        response: {
          200: PaymentIntent.describe(
            'The intent started: the engine now creates the consent at the payer’s bank (follow it with GET or the payment_intent/* webhooks); a Pix QR top-up answers its pixData instead',
          ),
          ...refusals({
            400: ['PAYMENT_CONNECTOR_UNSUPPORTED', 'PAYMENT_METHOD_UNSUPPORTED', 'IDEMPOTENCY_KEY_INVALID'],
            404: ['PAYMENT_REQUEST_NOT_FOUND', 'PAYMENT_BULK_NOT_FOUND'],
            409: ['PAYMENT_REQUEST_NOT_PAYABLE', 'IDEMPOTENCY_KEY_REUSED'],
          }),
        },
      },
    },
    async (request) => presentPaymentIntent(await paymentIntents.create(request.principal!.clientId, request.body, idempotencyKeyOf(request.headers)), connectorOf(request), bulkUrl),
  )
  app.get('/payments/intents', { schema: { tags, querystring: IntentsQuery, response: { 200: PaymentIntentPage.describe('The client’s payment intents, newest first') } } }, async (request) => {
    const { query } = request
    const { rows, total } = await paymentIntents.list(request.principal!.clientId, { from: query.from, to: query.to, paymentRequestId: query.paymentRequestId, ...pageWindow(query) })
    return page(await Promise.all(rows.map((row) => presentPaymentIntent(row, connectorOf(request), bulkUrl))), total, query.page, query.pageSize)
  })
  app.get(
    '/payments/intents/:id',
    { schema: { tags, params: IdParams, response: { 200: PaymentIntent.describe('The payment intent'), ...refusals({ 404: ['PAYMENT_INTENT_NOT_FOUND'] }) } } },
    async (request) => presentPaymentIntent(await paymentIntents.get(request.principal!.clientId, request.params.id), connectorOf(request), bulkUrl),
  )
}
