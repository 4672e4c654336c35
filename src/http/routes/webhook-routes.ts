import { z } from 'zod'
import type { App, HttpServices } from '../http-types.ts'
import { PageQuery, page, pageWindow } from '../paging.ts'
import { refusals } from '../schemas/error.ts'
import { Deleted } from '../schemas/page.ts'
import { DELIVERY_STATUSES, DeliveryPage, DeliveryRetry, Webhook, WebhookEvent, WebhookPage } from '../schemas/webhook.ts'
import { presentDelivery, presentWebhook } from '../webhook-presenters.ts'

const Headers = z
  .record(
    z
      .string()
      .min(1)
      .max(100)
      .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'must be a valid header name'),
    z.string().max(2000),
  )
  .refine((h) => Object.keys(h).length <= 20, 'at most 20 headers')
const Url = z.string().max(2000)
const CreateBody = z.object({ event: WebhookEvent, url: Url, headers: Headers.optional() })
const UpdateBody = z.object({ event: WebhookEvent.optional(), url: Url.optional(), headers: Headers.nullish(), enabled: z.boolean().optional() })
const IdParams = z.object({ id: z.string().max(200) })
const DeliveriesQuery = PageQuery.extend({ itemId: z.string().max(200).optional(), status: z.enum(DELIVERY_STATUSES).optional(), event: z.string().max(100).optional() })

const webhookNotFound = refusals({ 404: ['WEBHOOK_NOT_FOUND'] })
/** What creating or changing a webhook may refuse. */
const WEBHOOK_TARGET = ['WEBHOOK_URL_INVALID', 'WEBHOOK_DUPLICATED', 'WEBHOOK_LIMIT_REACHED'] as const

/** SPEC §3.5: webhooks and their delivery log. */
export function registerWebhookRoutes(app: App, services: HttpServices): void {
  const { webhooks } = services

  app.post(
    '/webhooks',
    { config: { idempotent: true }, schema: { tags: ['webhooks'], body: CreateBody, response: { 200: Webhook.describe('The webhook created'), ...refusals({ 400: WEBHOOK_TARGET }) } } },
    async (request) => presentWebhook(await webhooks.create(request.principal!.clientId, request.body)),
  )

  app.get('/webhooks', { schema: { tags: ['webhooks'], response: { 200: WebhookPage } } }, async (request) => {
    const results = (await webhooks.list(request.principal!.clientId)).map(presentWebhook)
    return page(results, results.length, 1, Math.max(1, results.length))
  })

  app.get('/webhooks/:id', { schema: { tags: ['webhooks'], params: IdParams, response: { 200: Webhook.describe('The webhook'), ...webhookNotFound } } }, async (request) =>
    presentWebhook(await webhooks.get(request.principal!.clientId, request.params.id)),
  )

  app.patch(
    '/webhooks/:id',
    {
      config: { idempotent: true },
      schema: { tags: ['webhooks'], params: IdParams, body: UpdateBody, response: { 200: Webhook.describe('The webhook changed'), ...refusals({ 400: WEBHOOK_TARGET, 404: ['WEBHOOK_NOT_FOUND'] }) } },
    },
    async (request) => presentWebhook(await webhooks.update(request.principal!.clientId, request.params.id, request.body)),
  )

  app.delete('/webhooks/:id', { schema: { tags: ['webhooks'], params: IdParams, response: { 200: Deleted, ...webhookNotFound } } }, async (request) => ({
    count: await webhooks.delete(request.principal!.clientId, request.params.id),
  }))

  app.get('/webhook-deliveries', { schema: { tags: ['webhooks'], querystring: DeliveriesQuery, response: { 200: DeliveryPage, ...refusals({ 404: ['ITEM_NOT_FOUND'] }) } } }, async (request) => {
    const { itemId, status, event } = request.query
    const { rows, total } = await webhooks.deliveries(request.principal!.clientId, { itemId, status, event, ...pageWindow(request.query) })
    return page(rows.map(presentDelivery), total, request.query.page, request.query.pageSize)
  })

  app.post(
    '/webhook-deliveries/:id/retry',
    { schema: { tags: ['webhooks'], params: IdParams, response: { 200: DeliveryRetry, ...refusals({ 404: ['WEBHOOK_DELIVERY_NOT_FOUND'] }) } } },
    async (request) => {
      const delivery = await webhooks.retryDelivery(request.principal!.clientId, request.params.id)
      return { id: delivery.id, status: delivery.status, attempts: delivery.attempts }
    },
  )
}
