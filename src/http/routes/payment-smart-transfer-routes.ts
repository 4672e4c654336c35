import { z } from 'zod'
import { idempotencyKeyOf } from '../../services/payments/payment-idempotency.ts'
import type { PreauthorizationView } from '../../services/payments/smart-transfer-service.ts'
import { originOf } from '../connector-logos.ts'
import type { App, HttpServices } from '../http-types.ts'
import { PageQuery, page, pageWindow } from '../paging.ts'
import { connectorPresenter } from '../payment-customer-presenter.ts'
import { presentPreauthorization, presentSmartTransferPayment } from '../payment-flow-presenters.ts'
import { refusals } from '../schemas/error.ts'
import { CreatePreauthorizationBody, CreateSmartTransferPaymentBody, SmartTransferPayment, SmartTransferPreauthorization, SmartTransferPreauthorizationPage } from '../schemas/smart-transfer.ts'

const IdParams = z.object({ id: z.string().max(100) })
const creation = { 400: ['IDEMPOTENCY_KEY_INVALID'], 409: ['IDEMPOTENCY_KEY_REUSED'] } as const
const tags = ['payments']

/** Smart-transfer preauthorizations and the transfers under them (docs/payments.md, methods 39–43). */
export function registerPaymentSmartTransferRoutes(app: App, services: HttpServices): void {
  const transfers = services.smartTransfers
  const present = async (view: PreauthorizationView, origin: string) => {
    return presentPreauthorization(view, (await connectorPresenter(services, origin)(view.preauthorization.connectorId))!)
  }

  app.get(
    '/smart-transfers/preauthorizations',
    { schema: { tags, querystring: PageQuery, response: { 200: SmartTransferPreauthorizationPage.describe('The client’s smart-transfer preauthorizations, newest first') } } },
    async (request) => {
      const { rows, total } = await transfers.preauthorizations(request.principal!.clientId, pageWindow(request.query))
      return page(await Promise.all(rows.map((view) => present(view, originOf(request)))), total, request.query.page, request.query.pageSize)
    },
  )
  app.post(
    '/smart-transfers/preauthorizations',
    {
      schema: {
        tags,
        body: CreatePreauthorizationBody,
        response: {
          200: SmartTransferPreauthorization.describe(
            'The preauthorization created, CREATED until the payer answers at their bank (for a repeated Idempotency-Key with the same body, the one created first)',
          ),
          ...refusals({ 400: [...creation[400], 'CONNECTOR_NOT_FOUND'], 409: creation[409] }),
        },
      },
    },
    async (request) => present(await transfers.createPreauthorization(request.principal!.clientId, request.body, idempotencyKeyOf(request.headers)), originOf(request)),
  )
  app.get(
    '/smart-transfers/preauthorizations/:id',
    { schema: { tags, params: IdParams, response: { 200: SmartTransferPreauthorization.describe('The preauthorization'), ...refusals({ 404: ['SMART_TRANSFER_PREAUTHORIZATION_NOT_FOUND'] }) } } },
    async (request) => present(await transfers.preauthorization(request.principal!.clientId, request.params.id), originOf(request)),
  )
  app.post(
    '/smart-transfers/payments',
    {
      schema: {
        tags,
        body: CreateSmartTransferPaymentBody,
        response: {
          200: SmartTransferPayment.describe('The transfer created, CONSENT_AUTHORIZED until the engine settles it (for a repeated Idempotency-Key with the same body, the one created first)'),
          ...refusals({ 400: [...creation[400], 'SMART_TRANSFER_PREAUTHORIZATION_NOT_COMPLETED'], 409: creation[409] }),
        },
      },
    },
    async (request) => presentSmartTransferPayment(await transfers.createPayment(request.principal!.clientId, request.body, idempotencyKeyOf(request.headers))),
  )
  app.get(
    '/smart-transfers/payments/:id',
    { schema: { tags, params: IdParams, response: { 200: SmartTransferPayment.describe('The transfer'), ...refusals({ 404: ['SMART_TRANSFER_PAYMENT_NOT_FOUND'] }) } } },
    async (request) => presentSmartTransferPayment(await transfers.payment(request.principal!.clientId, request.params.id)),
  )
}
