import { z } from 'zod'
import { idempotencyKeyOf } from '../../services/payments/payment-idempotency.ts'
import { originOf } from '../connector-logos.ts'
import type { App, HttpServices } from '../http-types.ts'
import { PageQuery, page, pageWindow } from '../paging.ts'
import { connectorPresenter } from '../payment-customer-presenter.ts'
import { presentAutomaticPixPayment, presentSchedulePayment } from '../payment-flow-presenters.ts'
import { presentPaymentRequest } from '../payment-request-presenters.ts'
import { AutomaticPixPayment, AutomaticPixPaymentPage, RetryAutomaticPixBody, ScheduleAutomaticPixBody, SchedulePayment, SchedulePaymentPage } from '../schemas/dated-payment.ts'
import { refusals } from '../schemas/error.ts'
import { CreateAutomaticPixBody, PaymentRequestAutomaticPix } from '../schemas/automatic-pix-request.ts'

const RequestParams = z.object({ id: z.string().max(100) })
const ScheduleParams = RequestParams.extend({ scheduleId: z.string().max(100) })
const PaymentParams = RequestParams.extend({ paymentId: z.string().max(100) })
// pluggy-sdk takes any answer but 200 to a POST as a failure: a cancellation answers 200 with an empty object.
const Done = z.strictObject({})
const requestNotFound = refusals({ 404: ['PAYMENT_REQUEST_NOT_FOUND'] })
const creation = refusals({ 400: ['IDEMPOTENCY_KEY_INVALID'], 409: ['IDEMPOTENCY_KEY_REUSED'] })
const tags = ['payments']

/**
 * The payments that settle on a date (docs/payments.md): a scheduled request's payments (methods
 * 29–32), and Pix Automático — the authorization and the payments under it (methods 28, 33–38).
 */
export function registerPaymentScheduleRoutes(app: App, services: HttpServices): void {
  const schedules = services.scheduledPayments
  const pix = services.automaticPix

  // Static beside /payments/requests/:id (methods 1–7): the static route wins.
  app.post(
    '/payments/requests/automatic-pix',
    {
      schema: {
        tags,
        body: CreateAutomaticPixBody,
        response: { 200: PaymentRequestAutomaticPix.describe('The Pix Automático authorization created (for a repeated Idempotency-Key with the same body, the one created first)'), ...creation },
      },
    },
    async (request) => {
      const view = await pix.createAuthorization(request.principal!.clientId, request.body, idempotencyKeyOf(request.headers))
      const { amount: _none, ...answer } = await presentPaymentRequest(view, connectorPresenter(services, originOf(request)))
      return answer
    },
  )

  app.get(
    '/payments/requests/:id/schedules',
    { schema: { tags, params: RequestParams, response: { 200: SchedulePaymentPage.describe('The scheduled payments of the request, by date (one page holds them all)'), ...requestNotFound } } },
    async (request) => {
      const rows = await schedules.list(request.principal!.clientId, request.params.id)
      return page(rows.map(presentSchedulePayment), rows.length, 1, Math.max(rows.length, 1))
    },
  )
  app.post(
    '/payments/requests/:id/schedules/cancel',
    {
      schema: {
        tags,
        params: RequestParams,
        response: { 200: Done.describe('Every pending payment of the schedule was canceled'), ...requestNotFound, ...refusals({ 400: ['PAYMENT_REQUEST_NOT_CANCELABLE'] }) },
      },
    },
    async (request) => {
      await schedules.cancelAll(request.principal!.clientId, request.params.id)
      return {}
    },
  )
  app.get(
    '/payments/requests/:id/schedules/:scheduleId',
    {
      schema: {
        tags,
        params: ScheduleParams,
        response: { 200: SchedulePayment.describe('The scheduled payment'), ...refusals({ 404: ['PAYMENT_REQUEST_NOT_FOUND', 'SCHEDULED_PAYMENT_NOT_FOUND'] }) },
      },
    },
    async (request) => presentSchedulePayment(await schedules.get(request.principal!.clientId, request.params.id, request.params.scheduleId)),
  )
  app.post(
    '/payments/requests/:id/schedules/:scheduleId/cancel',
    {
      schema: {
        tags,
        params: ScheduleParams,
        response: {
          200: Done.describe('The scheduled payment was canceled'),
          ...refusals({ 404: ['PAYMENT_REQUEST_NOT_FOUND', 'SCHEDULED_PAYMENT_NOT_FOUND'], 400: ['SCHEDULED_PAYMENT_NOT_CANCELABLE'] }),
        },
      },
    },
    async (request) => {
      await schedules.cancel(request.principal!.clientId, request.params.id, request.params.scheduleId)
      return {}
    },
  )

  const pixPaymentNotFound = refusals({ 404: ['PAYMENT_REQUEST_NOT_FOUND', 'AUTOMATIC_PIX_PAYMENT_NOT_FOUND'], 400: ['AUTOMATIC_PIX_AUTHORIZATION_NOT_ACTIVE'] })
  app.post(
    '/payments/requests/:id/automatic-pix/schedule',
    {
      schema: {
        tags,
        params: RequestParams,
        body: ScheduleAutomaticPixBody,
        response: {
          200: AutomaticPixPayment.describe('The payment scheduled (for a repeated Idempotency-Key with the same body, the one scheduled first)'),
          ...refusals({ 404: ['PAYMENT_REQUEST_NOT_FOUND'], 400: ['AUTOMATIC_PIX_AUTHORIZATION_NOT_ACTIVE', 'IDEMPOTENCY_KEY_INVALID'], 409: ['IDEMPOTENCY_KEY_REUSED'] }),
        },
      },
    },
    async (request) => presentAutomaticPixPayment(await pix.schedule(request.principal!.clientId, request.params.id, request.body, idempotencyKeyOf(request.headers))),
  )
  app.post(
    '/payments/requests/:id/automatic-pix/cancel',
    {
      schema: {
        tags,
        params: RequestParams,
        response: {
          200: Done.describe('The authorization was canceled, with its pending payments'),
          ...refusals({ 404: ['PAYMENT_REQUEST_NOT_FOUND'], 400: ['AUTOMATIC_PIX_AUTHORIZATION_NOT_ACTIVE', 'PAYMENT_REQUEST_NOT_CANCELABLE'] }),
        },
      },
    },
    async (request) => {
      await pix.cancelAuthorization(request.principal!.clientId, request.params.id)
      return {}
    },
  )
  app.get(
    '/payments/requests/:id/automatic-pix/schedules',
    {
      schema: {
        tags,
        params: RequestParams,
        querystring: PageQuery,
        response: { 200: AutomaticPixPaymentPage.describe('The payments under the authorization, by date'), ...requestNotFound },
      },
    },
    async (request) => {
      const { rows, total } = await pix.list(request.principal!.clientId, request.params.id, pageWindow(request.query))
      return page(rows.map(presentAutomaticPixPayment), total, request.query.page, request.query.pageSize)
    },
  )
  app.get(
    '/payments/requests/:id/automatic-pix/schedules/:paymentId',
    {
      schema: {
        tags,
        params: PaymentParams,
        response: { 200: AutomaticPixPayment.describe('The Pix Automático payment'), ...refusals({ 404: ['PAYMENT_REQUEST_NOT_FOUND', 'AUTOMATIC_PIX_PAYMENT_NOT_FOUND'] }) },
      },
    },
    async (request) => presentAutomaticPixPayment(await pix.get(request.principal!.clientId, request.params.id, request.params.paymentId)),
  )
  app.post(
    '/payments/requests/:id/automatic-pix/schedules/:paymentId/retry',
    {
      schema: {
        tags,
        params: PaymentParams,
        body: RetryAutomaticPixBody,
        response: {
          200: AutomaticPixPayment.describe('The failed payment, scheduled again on the new date'),
          ...pixPaymentNotFound,
          ...refusals({ 400: ['AUTOMATIC_PIX_AUTHORIZATION_NOT_ACTIVE', 'AUTOMATIC_PIX_PAYMENT_REFUSED', 'IDEMPOTENCY_KEY_INVALID'], 409: ['IDEMPOTENCY_KEY_REUSED'] }),
        },
      },
    },
    async (request) => presentAutomaticPixPayment(await pix.retry(request.principal!.clientId, request.params.id, request.params.paymentId, request.body, idempotencyKeyOf(request.headers))),
  )
  app.post(
    '/payments/requests/:id/automatic-pix/schedules/:paymentId/cancel',
    {
      schema: {
        tags,
        params: PaymentParams,
        response: {
          200: Done.describe('The Pix Automático payment was canceled'),
          ...refusals({ 404: ['PAYMENT_REQUEST_NOT_FOUND', 'AUTOMATIC_PIX_PAYMENT_NOT_FOUND'], 400: ['AUTOMATIC_PIX_AUTHORIZATION_NOT_ACTIVE', 'AUTOMATIC_PIX_PAYMENT_REFUSED'] }),
        },
      },
    },
    async (request) => {
      await pix.cancel(request.principal!.clientId, request.params.id, request.params.paymentId)
      return {}
    },
  )
}
