import { randomUUID } from 'node:crypto'
import type { Clock } from '../time/clock.ts'
import { Refusal } from '../engine/refusal.ts'
import { webhookTargetProblem } from '../events/webhook-url.ts'
import type { Queryable } from '../store/database.ts'
import { TASKS, enqueue } from '../store/queue.ts'
import {
  deleteWebhook,
  findWebhook,
  insertWebhook,
  listDeliveries,
  listDeliveryAttempts,
  listWebhooks,
  resetDelivery,
  updateWebhook,
  type DeliveryAttemptRow,
  type DeliveryRow,
  type DeliveryStatus,
  type WebhookRow,
} from '../store/webhooks.ts'
import { ownedItem } from './owned-item.ts'
import { resourceId } from './resource-id.ts'

/** At most this many webhooks per event per client. */
export const MAX_WEBHOOKS_PER_EVENT = 5

export interface WebhookChange {
  event?: string
  url?: string
  /** null: no custom headers any more. */
  headers?: Record<string, string> | null
  enabled?: boolean
}

/** A client's webhooks and their delivery log (SPEC §3.5). Every call is scoped to the client named. */
export class WebhookService {
  constructor(
    private readonly db: Queryable,
    private readonly clock: Clock,
    /** Loopback and private targets are accepted (TRIBUTARY_WEBHOOK_ALLOW_PRIVATE). */
    private readonly allowPrivate: boolean,
  ) {}

  /** Refuses a URL that cannot receive webhooks: registered webhooks, items' webhookUrl, connect-token options. */
  async assertTarget(url: string): Promise<void> {
    const problem = await webhookTargetProblem(url, this.allowPrivate)
    if (problem) throw new Refusal('bad_request', 'WEBHOOK_URL_INVALID', `The webhook url ${problem}.`)
  }

  list(clientId: string): Promise<WebhookRow[]> {
    return listWebhooks(this.db, clientId)
  }

  async get(clientId: string, rawId: string): Promise<WebhookRow> {
    const webhook = await findWebhook(this.db, clientId, resourceId(rawId, 'WEBHOOK_NOT_FOUND', 'Webhook'))
    if (!webhook) throw notFound(rawId)
    return webhook
  }

  async create(clientId: string, input: { event: string; url: string; headers?: Record<string, string> }): Promise<WebhookRow> {
    await this.assertTarget(input.url)
    await this.assertRoom(clientId, input.event, input.url)
    return insertWebhook(this.db, { id: randomUUID(), clientId, event: input.event, url: input.url, headers: input.headers ?? {}, at: this.clock.now() })
  }

  async update(clientId: string, rawId: string, change: WebhookChange): Promise<WebhookRow> {
    const webhook = await this.get(clientId, rawId)
    const event = change.event ?? webhook.event
    const url = change.url ?? webhook.url
    if (change.url !== undefined) await this.assertTarget(url)
    if (event !== webhook.event || url !== webhook.url) await this.assertRoom(clientId, event, url, webhook.id)
    const disabledAt = change.enabled === undefined ? webhook.disabledAt : change.enabled ? null : (webhook.disabledAt ?? this.clock.now())
    const headers = change.headers === null ? {} : (change.headers ?? webhook.headers)
    const updated = await updateWebhook(this.db, clientId, webhook.id, { event, url, headers, disabledAt, at: this.clock.now() })
    if (!updated) throw notFound(webhook.id)
    return updated
  }

  /** How many webhooks were deleted (1, or 0 when a concurrent call deleted it first). */
  async delete(clientId: string, rawId: string): Promise<number> {
    const webhook = await this.get(clientId, rawId)
    return deleteWebhook(this.db, clientId, webhook.id)
  }

  async deliveries(clientId: string, filter: { itemId?: string; status?: DeliveryStatus; event?: string; limit: number; offset: number }): Promise<{ rows: DeliveryRow[]; total: number }> {
    const itemId = filter.itemId === undefined ? undefined : (await ownedItem(this.db, clientId, filter.itemId)).id
    return listDeliveries(this.db, clientId, { ...filter, itemId })
  }

  /** The logged attempts of the client's deliveries (each with its status code and response time), by delivery. */
  async attempts(clientId: string, deliveryIds: string[]): Promise<Map<string, DeliveryAttemptRow[]>> {
    const byDelivery = new Map<string, DeliveryAttemptRow[]>()
    if (deliveryIds.length === 0) return byDelivery
    for (const row of await listDeliveryAttempts(this.db, clientId, deliveryIds)) byDelivery.set(row.deliveryId, [...(byDelivery.get(row.deliveryId) ?? []), row])
    return byDelivery
  }

  /** Makes a delivery due now, from its first attempt again, and wakes the sender. */
  async retryDelivery(clientId: string, rawId: string): Promise<DeliveryRow> {
    const delivery = await resetDelivery(this.db, clientId, resourceId(rawId, 'WEBHOOK_DELIVERY_NOT_FOUND', 'Webhook delivery'), this.clock.now())
    if (!delivery) throw new Refusal('not_found', 'WEBHOOK_DELIVERY_NOT_FOUND', `Webhook delivery ${rawId} was not found.`)
    await enqueue(this.db, TASKS.deliverWebhooks, {})
    return delivery
  }

  private async assertRoom(clientId: string, event: string, url: string, exceptId?: string): Promise<void> {
    const others = (await listWebhooks(this.db, clientId)).filter((w) => w.id !== exceptId && w.event === event)
    if (others.some((w) => w.url === url)) {
      throw new Refusal('bad_request', 'WEBHOOK_DUPLICATED', `A webhook for ${event} to ${url} already exists; update it instead.`)
    }
    if (others.length >= MAX_WEBHOOKS_PER_EVENT) {
      throw new Refusal('bad_request', 'WEBHOOK_LIMIT_REACHED', `A client may have at most ${MAX_WEBHOOKS_PER_EVENT} webhooks for ${event}; delete one first.`)
    }
  }
}

const notFound = (id: string) => new Refusal('not_found', 'WEBHOOK_NOT_FOUND', `Webhook ${id} was not found.`)
