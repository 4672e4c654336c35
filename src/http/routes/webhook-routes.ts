import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { Refusal } from '../../engine/refusal.ts'
import { EVENT_TYPES } from '../../events/item-events.ts'
import { webhookTargetProblem } from '../../events/webhook-url.ts'
import { formatEventCursor, listEvents, parseEventCursor, START_OF_FEED } from '../../store/events.ts'
import { findItem } from '../../store/items.ts'
import { deleteWebhook, findWebhook, insertWebhook, listDeliveries, listWebhooks, resetDelivery, updateWebhook, type WebhookRow } from '../../store/webhooks.ts'
import { TASKS, enqueue } from '../../store/queue.ts'
import type { App, HttpServices } from '../app.ts'
import { page } from '../presenters.ts'

/** At most this many webhooks per event per client. */
export const MAX_WEBHOOKS_PER_EVENT = 5
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const WebhookEvent = z.enum(['all', ...EVENT_TYPES])
const Headers = z
  .record(z.string().min(1).max(100).regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'must be a valid header name'), z.string().max(2000))
  .refine((h) => Object.keys(h).length <= 20, 'at most 20 headers')
const Url = z.string().max(2000)
const CreateBody = z.object({ event: WebhookEvent, url: Url, headers: Headers.optional() })
const UpdateBody = z.object({ event: WebhookEvent.optional(), url: Url.optional(), headers: Headers.nullish(), enabled: z.boolean().optional() })
const IdParams = z.object({ id: z.string().max(200) })

function presentWebhook(webhook: WebhookRow) {
  return {
    id: webhook.id,
    event: webhook.event,
    url: webhook.url,
    headers: webhook.headers,
    createdAt: webhook.createdAt.toISOString(),
    updatedAt: webhook.updatedAt.toISOString(),
    disabledAt: webhook.disabledAt?.toISOString() ?? null,
  }
}

/** Refuses a URL that cannot receive webhooks: registered webhooks, items' webhookUrl, connect-token options. */
export async function assertWebhookTarget(url: string, allowPrivate: boolean): Promise<void> {
  const problem = await webhookTargetProblem(url, allowPrivate)
  if (problem) throw new Refusal('bad_request', 'WEBHOOK_URL_INVALID', `The webhook url ${problem}.`)
}

const notFound = (id: string) => new Refusal('not_found', 'WEBHOOK_NOT_FOUND', `Webhook ${id} was not found.`)

export function registerWebhookRoutes(app: App, services: HttpServices): void {
  const { db, clock } = services

  const checkUrl = (url: string) => assertWebhookTarget(url, services.webhookAllowPrivate)

  async function checkRoom(clientId: string, event: string, url: string, exceptId?: string): Promise<void> {
    const others = (await listWebhooks(db.pool, clientId)).filter((w) => w.id !== exceptId && w.event === event)
    if (others.some((w) => w.url === url)) {
      throw new Refusal('bad_request', 'WEBHOOK_DUPLICATED', `A webhook for ${event} to ${url} already exists; update it instead.`)
    }
    if (others.length >= MAX_WEBHOOKS_PER_EVENT) {
      throw new Refusal('bad_request', 'WEBHOOK_LIMIT_REACHED', `A client may have at most ${MAX_WEBHOOKS_PER_EVENT} webhooks for ${event}; delete one first.`)
    }
  }

  async function ownWebhook(clientId: string, id: string): Promise<WebhookRow> {
    const webhook = UUID.test(id) ? await findWebhook(db.pool, clientId, id) : undefined
    if (!webhook) throw notFound(id)
    return webhook
  }

  app.post('/webhooks', { schema: { tags: ['webhooks'], body: CreateBody } }, async (request) => {
    const { clientId } = request.principal!
    const { event, url, headers } = request.body
    await checkUrl(url)
    await checkRoom(clientId, event, url)
    return presentWebhook(await insertWebhook(db.pool, { id: randomUUID(), clientId, event, url, headers: headers ?? {}, at: clock.now() }))
  })

  app.get('/webhooks', { schema: { tags: ['webhooks'] } }, async (request) => {
    const webhooks = (await listWebhooks(db.pool, request.principal!.clientId)).map(presentWebhook)
    return page(webhooks, webhooks.length, 1, Math.max(1, webhooks.length))
  })

  app.get('/webhooks/:id', { schema: { tags: ['webhooks'], params: IdParams } }, async (request) =>
    presentWebhook(await ownWebhook(request.principal!.clientId, request.params.id)),
  )

  app.patch('/webhooks/:id', { schema: { tags: ['webhooks'], params: IdParams, body: UpdateBody } }, async (request) => {
    const { clientId } = request.principal!
    const webhook = await ownWebhook(clientId, request.params.id)
    const body = request.body
    const event = body.event ?? webhook.event
    const url = body.url ?? webhook.url
    if (body.url !== undefined) await checkUrl(url)
    if (event !== webhook.event || url !== webhook.url) await checkRoom(clientId, event, url, webhook.id)
    const disabledAt = body.enabled === undefined ? webhook.disabledAt : body.enabled ? null : (webhook.disabledAt ?? clock.now())
    const headers = body.headers === null ? {} : (body.headers ?? webhook.headers)
    const updated = await updateWebhook(db.pool, clientId, webhook.id, { event, url, headers, disabledAt, at: clock.now() })
    if (!updated) throw notFound(webhook.id)
    return presentWebhook(updated)
  })

  app.delete('/webhooks/:id', { schema: { tags: ['webhooks'], params: IdParams } }, async (request) => {
    const { clientId } = request.principal!
    const webhook = await ownWebhook(clientId, request.params.id)
    return { count: await deleteWebhook(db.pool, clientId, webhook.id) }
  })

  const PageQuery = z.object({
    page: z.coerce.number().int().min(1).max(1_000_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(500).default(20),
  })

  async function checkItemFilter(clientId: string, itemId: string | undefined): Promise<void> {
    if (itemId === undefined) return
    if (!UUID.test(itemId) || !(await findItem(db.pool, clientId, itemId))) {
      throw new Refusal('not_found', 'ITEM_NOT_FOUND', `Item ${itemId} was not found.`)
    }
  }

  app.get(
    '/webhook-deliveries',
    {
      schema: {
        tags: ['webhooks'],
        querystring: PageQuery.extend({ itemId: z.string().max(200).optional(), status: z.enum(['PENDING', 'DELIVERED', 'FAILED']).optional(), event: z.string().max(100).optional() }),
      },
    },
    async (request) => {
      const { clientId } = request.principal!
      const { page: pageNumber, pageSize, itemId, status, event } = request.query
      await checkItemFilter(clientId, itemId)
      const { rows, total } = await listDeliveries(db.pool, clientId, { itemId, status, event, limit: pageSize, offset: (pageNumber - 1) * pageSize })
      const results = rows.map((d) => ({
        id: d.id,
        eventId: d.eventId,
        event: d.eventType,
        itemId: d.itemId,
        webhookId: d.webhookId,
        url: d.url,
        status: d.status,
        attempts: d.attempts,
        nextAttemptAt: d.status === 'PENDING' ? d.nextAttemptAt.toISOString() : null,
        lastResponseCode: d.lastResponseCode,
        lastError: d.lastError,
        lastLatencyMs: d.lastLatencyMs,
        createdAt: d.createdAt.toISOString(),
        deliveredAt: d.deliveredAt?.toISOString() ?? null,
      }))
      return page(results, total, pageNumber, pageSize)
    },
  )

  app.post('/webhook-deliveries/:id/retry', { schema: { tags: ['webhooks'], params: IdParams } }, async (request) => {
    const { clientId } = request.principal!
    const id = request.params.id
    const delivery = UUID.test(id) ? await resetDelivery(db.pool, clientId, id, clock.now()) : undefined
    if (!delivery) throw new Refusal('not_found', 'WEBHOOK_DELIVERY_NOT_FOUND', `Webhook delivery ${id} was not found.`)
    await enqueue(db.pool, TASKS.deliverWebhooks, {})
    return { id: delivery.id, status: delivery.status, attempts: delivery.attempts }
  })

  app.get(
    '/events',
    { schema: { tags: ['events'], querystring: z.object({ itemId: z.string().max(200).optional(), after: z.string().max(40).optional(), pageSize: z.coerce.number().int().min(1).max(500).default(100) }) } },
    async (request) => {
      const { clientId } = request.principal!
      const { itemId, after, pageSize } = request.query
      await checkItemFilter(clientId, itemId)
      const cursor = after === undefined ? (itemId ? START_OF_FEED.item : START_OF_FEED.client) : parseEventCursor(after)
      if (!cursor) throw new Refusal('bad_request', 'INVALID_CURSOR', 'The `after` cursor is not one this API returned; pass the `next` value of a previous page.')
      const events = await listEvents(db.pool, clientId, { itemId, after: cursor, limit: pageSize })
      const last = events.at(-1)
      return {
        results: events.map((e) => ({ cursor: formatEventCursor(e.cursor), ...e.payload, createdAt: e.createdAt.toISOString() })),
        next: last ? formatEventCursor(last.cursor) : (after ?? null),
      }
    },
  )
}
