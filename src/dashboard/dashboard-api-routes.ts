/**
 * The dashboard's read routes and its one change ("send again"), behind the session checked in
 * dashboard-routes.ts. Every call goes through the API's own services, scoped to the session's
 * client, and answers with the API's own presenters.
 */
import type { FastifyRequest } from 'fastify'
import { SIGNATURE_HEADER } from '../events/signature.ts'
import type { App, HttpServices } from '../http/http-types.ts'
import { originOf } from '../http/connector-logos.ts'
import { page } from '../http/paging.ts'
import { presentConnector, presentExecution, presentItem } from '../http/presenters.ts'
import { refusals } from '../http/schemas/error.ts'
import { EventPage } from '../http/schemas/event.ts'
import { ExecutionPage } from '../http/schemas/execution.ts'
import { DeliveryRetry, WebhookPage } from '../http/schemas/webhook.ts'
import { presentDelivery, presentWebhook } from '../http/webhook-presenters.ts'
import { resourceId } from '../services/resource-id.ts'
import { connectorStats } from './connector-stats.ts'
import {
  CHANGE_REFUSALS,
  ConnectorList,
  DeliveriesQuery,
  DeliveryWithAttemptsPage,
  EventsQuery,
  IdParams,
  ItemDetail,
  ItemsQuery,
  ItemWithCountsPage,
  SESSION_REFUSALS,
  SignatureInfo,
} from './dashboard-schemas.ts'
import { registerDashboardStream } from './dashboard-stream.ts'

/** The connector page's window: the client's executions of the last day, at most this many. */
const STATS_WINDOW_HOURS = 24
const STATS_MAX_EXECUTIONS = 2_000
const NO_DATA = { accounts: 0, transactions: 0, investments: 0, opportunities: 0 }

const itemId = (raw: string) => resourceId(raw, 'ITEM_NOT_FOUND', 'Item')
const actor = (request: FastifyRequest) => ({ clientId: request.dashboardSession!.clientId, connectTokenId: null })
const clientOf = (request: FastifyRequest) => request.dashboardSession!.clientId
const ON_ITEM = refusals({ 401: ['DASHBOARD_SESSION_MISSING'], 404: ['ITEM_NOT_FOUND'] })

export function registerDashboardApiRoutes(app: App, services: HttpServices): void {
  const hidden = { config: { access: 'public' as const } }
  const present = async (item: Parameters<typeof presentItem>[0], origin: string) => {
    const connector = services.connectors.get(item.connectorId)
    return presentItem(item, connector ? presentConnector(connector, services.startedAt, { status: await services.connectorHealth.status(connector.id) }, origin) : null)
  }

  const withCounts = async (request: FastifyRequest, rows: Parameters<typeof presentItem>[0][]) => {
    const counts = await services.data.counts(
      clientOf(request),
      rows.map((row) => row.id),
    )
    return Promise.all(rows.map(async (row) => ({ item: await present(row, originOf(request)), counts: counts.get(row.id) ?? NO_DATA })))
  }

  app.get('/dashboard/api/items', { ...hidden, schema: { hide: true, querystring: ItemsQuery, response: { 200: ItemWithCountsPage, ...SESSION_REFUSALS } } }, async (request) => {
    const { status, connectorId, clientUserId, page: pageNumber, pageSize } = request.query
    const { rows, total } = await services.items.list(actor(request), {
      status,
      connectorId,
      clientUserId: clientUserId || undefined,
      limit: pageSize,
      offset: (pageNumber - 1) * pageSize,
    })
    return page(await withCounts(request, rows), total, pageNumber, pageSize)
  })

  app.get('/dashboard/api/items/:id', { ...hidden, schema: { hide: true, params: IdParams, response: { 200: ItemDetail, ...ON_ITEM } } }, async (request) => {
    const item = await services.items.get(actor(request), itemId(request.params.id))
    const [detail] = await withCounts(request, [item])
    return detail!
  })

  app.get('/dashboard/api/items/:id/executions', { ...hidden, schema: { hide: true, params: IdParams, response: { 200: ExecutionPage, ...ON_ITEM } } }, async (request) => {
    const { rows, total } = await services.items.executions(actor(request), itemId(request.params.id), { limit: 20, offset: 0 })
    return page(rows.map(presentExecution), total, 1, 20)
  })

  app.get(
    '/dashboard/api/events',
    {
      ...hidden,
      schema: { hide: true, querystring: EventsQuery, response: { 200: EventPage, ...refusals({ 400: ['INVALID_CURSOR'], 401: ['DASHBOARD_SESSION_MISSING'], 404: ['ITEM_NOT_FOUND'] }) } },
    },
    async (request) => {
      const { events, next } = await services.events.feed(clientOf(request), { itemId: request.query.itemId || undefined, after: request.query.after, limit: 200 })
      return { results: events.map((e) => ({ cursor: e.cursor, ...e.payload, createdAt: e.createdAt.toISOString() })), next }
    },
  )

  app.get('/dashboard/api/webhooks', { ...hidden, schema: { hide: true, response: { 200: WebhookPage, ...SESSION_REFUSALS } } }, async (request) => {
    const results = (await services.webhooks.list(clientOf(request))).map(presentWebhook)
    return page(results, results.length, 1, Math.max(1, results.length))
  })

  app.get('/dashboard/api/webhook-signature', { ...hidden, schema: { hide: true, response: { 200: SignatureInfo, ...SESSION_REFUSALS } } }, async () => ({
    header: SIGNATURE_HEADER,
    scheme: 't=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed with the client secret>',
  }))

  app.get('/dashboard/api/webhook-deliveries', { ...hidden, schema: { hide: true, querystring: DeliveriesQuery, response: { 200: DeliveryWithAttemptsPage, ...ON_ITEM } } }, async (request) => {
    const { itemId: item, page: pageNumber, pageSize } = request.query
    const clientId = clientOf(request)
    const { rows, total } = await services.webhooks.deliveries(clientId, { itemId: item || undefined, limit: pageSize, offset: (pageNumber - 1) * pageSize })
    const attempts = await services.webhooks.attempts(
      clientId,
      rows.map((row) => row.id),
    )
    const results = rows.map((row) => ({
      ...presentDelivery(row),
      attemptLog: (attempts.get(row.id) ?? []).map((a) => ({ attempt: a.attempt, attemptedAt: a.attemptedAt.toISOString(), responseCode: a.responseCode, latencyMs: a.latencyMs, error: a.error })),
    }))
    return page(results, total, pageNumber, pageSize)
  })

  app.post(
    '/dashboard/api/webhook-deliveries/:id/retry',
    { ...hidden, schema: { hide: true, params: IdParams, response: { 200: DeliveryRetry, ...CHANGE_REFUSALS, ...refusals({ 404: ['WEBHOOK_DELIVERY_NOT_FOUND'] }) } } },
    async (request) => {
      const delivery = await services.webhooks.retryDelivery(clientOf(request), request.params.id)
      return { id: delivery.id, status: delivery.status, attempts: delivery.attempts }
    },
  )

  app.get('/dashboard/api/connectors', { ...hidden, schema: { hide: true, response: { 200: ConnectorList, ...SESSION_REFUSALS } } }, async (request) => {
    const clientId = clientOf(request)
    const [health, samples] = await Promise.all([
      services.connectorHealth.healthFor(clientId, true),
      services.connectorHealth.recentExecutions(clientId, STATS_WINDOW_HOURS * 3_600_000, STATS_MAX_EXECUTIONS),
    ])
    const stats = connectorStats(samples)
    const results = services.connectors.list().map((connector) => {
      const h = health(connector.id)
      const s = stats.get(connector.id)
      return {
        id: connector.id,
        name: connector.name,
        isSandbox: Boolean(connector.isSandbox),
        health: h.status,
        connectionRateLast6Hours: h.details?.connectionRateLast6Hours ?? null,
        connectionsLast6Hours: h.details?.connectionsLast6Hours ?? 0,
        finished: s?.finished ?? 0,
        running: s?.running ?? 0,
        successRate: s?.successRate ?? null,
        p50Ms: s?.p50Ms ?? null,
        p95Ms: s?.p95Ms ?? null,
        failuresByOutcome: s?.failuresByOutcome ?? [],
        points: s?.points ?? [],
      }
    })
    return { windowHours: STATS_WINDOW_HOURS, results }
  })

  registerDashboardStream(app, services)
}
