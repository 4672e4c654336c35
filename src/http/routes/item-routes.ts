import { z } from 'zod'
import { PRODUCTS } from '../../domain/statuses.ts'
import { Refusal } from '../../engine/refusal.ts'
import { resourceId } from '../../services/resource-id.ts'
import { actorOf } from '../actor.ts'
import type { Principal } from '../auth.ts'
import { assertReaches } from '../connect-scope.ts'
import type { App, HttpServices } from '../http-types.ts'
import { PageQuery, page, pageWindow } from '../paging.ts'
import { originOf } from '../connector-logos.ts'
import { presentConnector, presentExecution, presentItem } from '../presenters.ts'
import { refusals } from '../schemas/error.ts'
import { ExecutionPage } from '../schemas/execution.ts'
import { Item, ItemPage } from '../schemas/item.ts'
import { Deleted } from '../schemas/page.ts'
import { redirectUriOrRefuse } from '../redirect-uri.ts'

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
  oauthRedirectUri: z.string().max(2000).nullish(),
})
const UpdateBody = z
  .object({
    parameters: Parameters.optional(),
    webhookUrl: WebhookUrl.nullish(),
    clientUserId: z.string().max(500).nullish(),
    products: Products.nullish(),
    oauthRedirectUri: z.string().max(2000).nullish(),
  })
  .nullish()
const IdParams = z.object({ id: z.string().max(200) })

/** Ids that cannot exist are answered like unknown ones, before they reach the database. */
const itemId = (raw: string) => resourceId(raw, 'ITEM_NOT_FOUND', 'Item')

type StoredItem = Parameters<typeof presentItem>[0]

/** What a route acting on one item may refuse, besides its own refusals. */
const ON_ITEM = { 403: ['FORBIDDEN_FOR_CONNECT_TOKEN'], 404: ['ITEM_NOT_FOUND'] } as const

export function registerItemRoutes(app: App, services: HttpServices): void {
  const { items } = services
  const present = async (item: StoredItem, origin: string) => {
    const connector = services.connectors.get(item.connectorId)
    return presentItem(item, connector ? presentConnector(connector, services.startedAt, { status: await services.connectorHealth.status(connector.id) }, origin) : null)
  }
  const scopedItem = async (principal: Principal, rawId: string) => {
    const item = await items.get(actorOf(principal), itemId(rawId))
    assertReaches(principal, item)
    return item
  }

  app.post(
    '/items',
    {
      config: { access: 'connect', idempotent: true },
      schema: {
        tags: ['items'],
        body: CreateBody,
        response: {
          200: Item.describe('The item created; its first execution has started'),
          ...refusals({
            400: ['CONNECTOR_NOT_FOUND', 'CONNECTOR_VALIDATION_ERROR', 'ITEM_USER_ALREADY_EXISTS', 'WEBHOOK_URL_INVALID', 'OAUTH_REDIRECT_URI_INVALID'],
            403: ['FORBIDDEN_FOR_CONNECT_TOKEN'],
            429: ['RATE_LIMIT_EXCEEDED'],
          }),
        },
      },
    },
    async (request, reply) => {
      const principal = request.principal!
      await services.limits.itemCreate.take(principal.clientId, reply, 'item creations for this client')
      const body = request.body
      if (principal.kind === 'connect' && principal.itemId) {
        throw new Refusal('forbidden', 'FORBIDDEN_FOR_CONNECT_TOKEN', 'This connect token is bound to an item; it can update that item but not create others.')
      }
      const options = principal.kind === 'connect' ? principal.options : {}
      if (body.webhookUrl) await services.webhooks.assertTarget(body.webhookUrl)
      const item = await items.create(actorOf(principal), {
        connectorId: body.connectorId,
        parameters: body.parameters,
        webhookUrl: options.webhookUrl ?? body.webhookUrl ?? null,
        clientUserId: options.clientUserId ?? body.clientUserId ?? null,
        products: body.products ?? null,
        avoidDuplicates: options.avoidDuplicates ?? body.avoidDuplicates ?? false,
        oauthRedirectUri: redirectUriOrRefuse(body.oauthRedirectUri, options.oauthRedirectUri),
      })
      return present(item, originOf(request))
    },
  )

  app.get('/items', { schema: { tags: ['items'], querystring: PageQuery.extend({ clientUserId: z.string().max(500).optional() }), response: { 200: ItemPage } } }, async (request) => {
    const { rows, total } = await items.list(actorOf(request.principal!), { clientUserId: request.query.clientUserId, ...pageWindow(request.query) })
    return page(await Promise.all(rows.map((row) => present(row, originOf(request)))), total, request.query.page, request.query.pageSize)
  })

  app.get('/items/:id', { config: { access: 'connect' }, schema: { tags: ['items'], params: IdParams, response: { 200: Item.describe('The item'), ...refusals(ON_ITEM) } } }, async (request) => {
    const item = await items.view(actorOf(request.principal!), itemId(request.params.id))
    assertReaches(request.principal!, item)
    return present(item, originOf(request))
  })

  app.patch(
    '/items/:id',
    {
      config: { access: 'connect', idempotent: true },
      schema: {
        tags: ['items'],
        params: IdParams,
        body: UpdateBody,
        response: {
          200: Item.describe('The item; a new execution has started'),
          ...refusals({
            ...ON_ITEM,
            400: [
              'CONNECTOR_NOT_FOUND',
              'CONNECTOR_REQUIRED_PARAMETER_VALIDATION_ERROR',
              'CONNECTOR_VALIDATION_ERROR',
              'MFA_PARAMERTER_WAS_ALREADY_USED_ERROR',
              'PARAMETERS_NOT_PROVIDED',
              'TOO_MANY_CONSECUTIVE_LOGIN_FAILURES',
              'WEBHOOK_URL_INVALID',
              'OAUTH_REDIRECT_URI_INVALID',
            ],
            409: ['ITEM_ALREADY_UPDATING'],
            429: ['RATE_LIMIT_EXCEEDED'],
          }),
        },
      },
    },
    async (request, reply) => {
      const principal = request.principal!
      const item = await scopedItem(principal, request.params.id)
      await services.limits.itemUpdate.take(`${request.ip}|${item.id}`, reply, 'updates of this item from this address')
      const body = request.body ?? {}
      if (body.webhookUrl) await services.webhooks.assertTarget(body.webhookUrl)
      const updated = await items.update(actorOf(principal), item, {
        parameters: body.parameters,
        ...(body.webhookUrl !== undefined ? { webhookUrl: body.webhookUrl } : {}),
        ...(body.clientUserId !== undefined ? { clientUserId: body.clientUserId } : {}),
        ...(body.products !== undefined ? { products: body.products } : {}),
        ...(body.oauthRedirectUri !== undefined || (principal.kind === 'connect' && principal.options.oauthRedirectUri)
          ? { oauthRedirectUri: redirectUriOrRefuse(body.oauthRedirectUri, principal.kind === 'connect' ? principal.options.oauthRedirectUri : null) }
          : {}),
      })
      return present(updated, originOf(request))
    },
  )

  app.post(
    '/items/:id/mfa',
    {
      config: { access: 'connect', idempotent: true },
      schema: {
        tags: ['items'],
        params: IdParams,
        body: z.record(z.string().max(200), z.union([z.string().max(4096), z.number()])),
        response: {
          200: Item.describe('The item; its execution goes on with the value'),
          ...refusals({ 400: ['CONNECTOR_VALIDATION_ERROR'], 403: ['FORBIDDEN_FOR_CONNECT_TOKEN'], 404: ['ITEM_NOT_FOUND', 'ITEM_NOT_WAITING_USER_INPUT'] }),
        },
      },
    },
    async (request) => {
      const principal = request.principal!
      const item = await scopedItem(principal, request.params.id)
      return present(await items.submitMfa(item, request.body), originOf(request))
    },
  )

  app.delete('/items/:id', { config: { access: 'connect' }, schema: { tags: ['items'], params: IdParams, response: { 200: Deleted, ...refusals(ON_ITEM) } } }, async (request) => {
    const principal = request.principal!
    const item = await scopedItem(principal, request.params.id)
    await items.delete(actorOf(principal), item.id)
    return { count: 1 }
  })

  app.patch(
    '/items/:id/disable-auto-sync',
    {
      schema: {
        tags: ['items'],
        params: IdParams,
        response: { 200: Item.describe('The item, with auto-sync off'), ...refusals({ 404: ['ITEM_NOT_FOUND'], 409: ['ITEM_ALREADY_UPDATING'] }) },
      },
    },
    async (request) => present(await items.disableAutoSync(actorOf(request.principal!), itemId(request.params.id)), originOf(request)),
  )

  app.get(
    '/items/:id/executions',
    { schema: { tags: ['items'], params: IdParams, querystring: PageQuery, response: { 200: ExecutionPage, ...refusals({ 404: ['ITEM_NOT_FOUND'] }) } } },
    async (request) => {
      const { rows, total } = await items.executions(actorOf(request.principal!), itemId(request.params.id), pageWindow(request.query))
      return page(rows.map(presentExecution), total, request.query.page, request.query.pageSize)
    },
  )
}
