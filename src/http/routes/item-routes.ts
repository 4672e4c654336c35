import { z } from 'zod'
import { PRODUCTS } from '../../domain/statuses.ts'
import type { Actor } from '../../engine/item-service.ts'
import { Refusal } from '../../engine/refusal.ts'
import type { ItemRow } from '../../store/items.ts'
import type { App, HttpServices } from '../app.ts'
import type { Principal } from '../auth.ts'
import { assertWebhookTarget } from './webhook-routes.ts'
import { connectorStatuses } from './connector-routes.ts'
import { page, presentConnector, presentExecution, presentItem } from '../presenters.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const Parameters = z.record(z.string().max(200), z.union([z.string().max(4096), z.number()])).refine((p) => Object.keys(p).length <= 50, 'at most 50 parameters')
const WebhookUrl = z.url({ protocol: /^https?$/ }).max(2000)
const Products = z.array(z.enum(PRODUCTS)).min(1).max(PRODUCTS.length)
const CreateBody = z.object({
  connectorId: z.coerce.number().int().min(0),
  parameters: Parameters,
  webhookUrl: WebhookUrl.nullish(),
  clientUserId: z.string().max(500).nullish(),
  products: Products.nullish(),
  avoidDuplicates: z.boolean().optional(),
})
const UpdateBody = z
  .object({
    parameters: Parameters.optional(),
    webhookUrl: WebhookUrl.nullish(),
    clientUserId: z.string().max(500).nullish(),
    products: Products.nullish(),
  })
  .nullish()
const IdParams = z.object({ id: z.string().max(200) })
const PageQuery = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(20),
})

function actorOf(principal: Principal): Actor {
  return { clientId: principal.clientId, connectTokenId: principal.kind === 'connect' ? principal.tokenId : null }
}

/** Ids that cannot exist are answered like unknown ones, before they reach the database. */
function itemId(raw: string): string {
  if (!UUID.test(raw)) throw new Refusal('not_found', 'ITEM_NOT_FOUND', `Item ${raw} was not found.`)
  return raw.toLowerCase()
}

/** A connect token reaches only the item it names, or the items it created (SPEC §4a.5). */
function assertInScope(principal: Principal, item: ItemRow): void {
  if (principal.kind !== 'connect') return
  const allowed = principal.itemId ? principal.itemId === item.id : item.createdByToken === principal.tokenId
  if (!allowed) throw new Refusal('forbidden', 'FORBIDDEN_FOR_CONNECT_TOKEN', 'This connect token cannot act on this item.')
}

export function registerItemRoutes(app: App, services: HttpServices): void {
  const { items } = services
  const present = async (item: ItemRow) => {
    const connector = services.connectors.get(item.connectorId)
    return presentItem(item, connector ? presentConnector(connector, services.startedAt, { status: (await connectorStatuses(services)).get(connector.id) ?? 'ONLINE' }) : null)
  }
  const scopedItem = async (principal: Principal, rawId: string) => {
    const item = await items.get(actorOf(principal), itemId(rawId))
    assertInScope(principal, item)
    return item
  }

  app.post('/items', { config: { access: 'connect' }, schema: { tags: ['items'], body: CreateBody } }, async (request, reply) => {
    const principal = request.principal!
    await services.limits.itemCreate.take(principal.clientId, reply, 'item creations for this client')
    const body = request.body
    if (principal.kind === 'connect' && principal.itemId) {
      throw new Refusal('forbidden', 'FORBIDDEN_FOR_CONNECT_TOKEN', 'This connect token is bound to an item; it can update that item but not create others.')
    }
    const options = principal.kind === 'connect' ? principal.options : {}
    if (body.webhookUrl) await assertWebhookTarget(body.webhookUrl, services.webhookAllowPrivate)
    const item = await items.create(actorOf(principal), {
      connectorId: body.connectorId,
      parameters: body.parameters,
      webhookUrl: options.webhookUrl ?? body.webhookUrl ?? null,
      clientUserId: options.clientUserId ?? body.clientUserId ?? null,
      products: body.products ?? null,
      avoidDuplicates: options.avoidDuplicates ?? body.avoidDuplicates ?? false,
    })
    return present(item)
  })

  app.get('/items', { schema: { tags: ['items'], querystring: PageQuery.extend({ clientUserId: z.string().max(500).optional() }) } }, async (request) => {
    const { page: pageNumber, pageSize, clientUserId } = request.query
    const { rows, total } = await items.list(actorOf(request.principal!), { clientUserId, limit: pageSize, offset: (pageNumber - 1) * pageSize })
    return page(await Promise.all(rows.map(present)), total, pageNumber, pageSize)
  })

  app.get('/items/:id', { config: { access: 'connect' }, schema: { tags: ['items'], params: IdParams } }, async (request) =>
    present(await scopedItem(request.principal!, request.params.id)),
  )

  app.patch('/items/:id', { config: { access: 'connect' }, schema: { tags: ['items'], params: IdParams, body: UpdateBody } }, async (request, reply) => {
    const principal = request.principal!
    const item = await scopedItem(principal, request.params.id)
    await services.limits.itemUpdate.take(`${request.ip}|${item.id}`, reply, 'updates of this item from this address')
    const body = request.body ?? {}
    if (body.webhookUrl) await assertWebhookTarget(body.webhookUrl, services.webhookAllowPrivate)
    const updated = await items.update(actorOf(principal), item, {
      parameters: body.parameters,
      ...(body.webhookUrl !== undefined ? { webhookUrl: body.webhookUrl } : {}),
      ...(body.clientUserId !== undefined ? { clientUserId: body.clientUserId } : {}),
      ...(body.products !== undefined ? { products: body.products } : {}),
    })
    return present(updated)
  })

  app.post(
    '/items/:id/mfa',
    { config: { access: 'connect' }, schema: { tags: ['items'], params: IdParams, body: z.record(z.string().max(200), z.union([z.string().max(4096), z.number()])) } },
    async (request) => {
      const principal = request.principal!
      const item = await scopedItem(principal, request.params.id)
      return present(await items.submitMfa(actorOf(principal), item, request.body))
    },
  )

  app.delete('/items/:id', { config: { access: 'connect' }, schema: { tags: ['items'], params: IdParams } }, async (request) => {
    const principal = request.principal!
    const item = await scopedItem(principal, request.params.id)
    await items.delete(actorOf(principal), item.id)
    return { count: 1 }
  })

  app.patch('/items/:id/disable-auto-sync', { schema: { tags: ['items'], params: IdParams } }, async (request) =>
    present(await items.disableAutoSync(actorOf(request.principal!), itemId(request.params.id))),
  )

  app.get('/items/:id/executions', { schema: { tags: ['items'], params: IdParams, querystring: PageQuery } }, async (request) => {
    const { page: pageNumber, pageSize } = request.query
    const { rows, total } = await items.executions(actorOf(request.principal!), itemId(request.params.id), { limit: pageSize, offset: (pageNumber - 1) * pageSize })
    return page(rows.map(presentExecution), total, pageNumber, pageSize)
  })
}
