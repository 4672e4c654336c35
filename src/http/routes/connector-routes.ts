import { z } from 'zod'
import type { ConnectorDefinition } from '../../connectors/sdk/index.ts'
import { Refusal } from '../../engine/refusal.ts'
import { pickCredentials, validateParameters } from '../../engine/validate-parameters.ts'
import type { App, HttpServices } from '../app.ts'
import { page, presentConnector, type ConnectorHealthView } from '../presenters.ts'
import type { ConnectorHealthStatus } from '../../domain/connector-health.ts'
import { HEALTH_WINDOW_MS } from '../../engine/connector-health.ts'
import { clientConnections, listConnectorHealth } from '../../store/connector-health.ts'

const list = z.union([z.string().max(1000), z.array(z.string().max(100)).max(50)]).transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))
const ConnectorQuery = z.object({
  name: z.string().max(200).optional(),
  countries: list.optional(),
  types: list.optional(),
  ids: list.optional(),
  sandbox: z.enum(['true', 'false']).optional(),
  // No Tributary connector is an open-finance or payment connector (yet): asking for one finds none.
  isOpenFinance: z.enum(['true', 'false']).optional(),
  supportsPaymentInitiation: z.enum(['true', 'false']).optional(),
  healthDetails: z.enum(['true', 'false']).optional(),
})
const IdParams = z.object({ id: z.string().max(20) })
const HealthQuery = z.object({ healthDetails: z.enum(['true', 'false']).optional() })

export function findConnector(services: HttpServices, rawId: string): ConnectorDefinition {
  const connector = /^\d{1,9}$/.test(rawId) ? services.connectors.get(Number(rawId)) : undefined
  if (!connector) throw new Refusal('not_found', 'CONNECTOR_NOT_FOUND', `Connector ${rawId} does not exist; list connectors with GET /connectors.`)
  return connector
}

/** How long an API process reuses the health statuses it read (the workers measure them every minute). */
const HEALTH_CACHE_MS = 5_000
const healthCache = new WeakMap<HttpServices, { readAtMs: number; statuses: Promise<Map<number, ConnectorHealthStatus>> }>()

/** Each connector's health as the workers' sweep measured it (ONLINE until measured otherwise). */
export function connectorStatuses(services: HttpServices): Promise<Map<number, ConnectorHealthStatus>> {
  const nowMs = services.clock.now().getTime()
  const cached = healthCache.get(services)
  if (cached && nowMs - cached.readAtMs < HEALTH_CACHE_MS) return cached.statuses
  const statuses = listConnectorHealth(services.db.pool)
  healthCache.set(services, { readAtMs: nowMs, statuses })
  statuses.catch(() => healthCache.delete(services))
  return statuses
}

/** Health for presenting connectors; with `withDetails`, the calling client's own connections of the last six hours. */
async function healthOf(services: HttpServices, clientId: string, withDetails: boolean): Promise<(connector: ConnectorDefinition) => ConnectorHealthView> {
  const at = services.clock.now()
  const [statuses, connections] = await Promise.all([
    connectorStatuses(services),
    withDetails ? clientConnections(services.db.pool, clientId, new Date(at.getTime() - HEALTH_WINDOW_MS)) : Promise.resolve([]),
  ])
  const byConnector = new Map(connections.map((c) => [c.connectorId, c]))
  return (connector) => {
    const status = statuses.get(connector.id) ?? 'ONLINE'
    if (!withDetails) return { status }
    const { connections: count = 0, healthy = 0 } = byConnector.get(connector.id) ?? {}
    return { status, details: { connectionRateLast6Hours: count > 0 ? Math.round((healthy / count) * 1000) / 10 : null, connectionsLast6Hours: count } }
  }
}

export function registerConnectorRoutes(app: App, services: HttpServices): void {
  app.get('/connectors', { config: { access: 'connect' }, schema: { tags: ['connectors'], querystring: ConnectorQuery } }, async (request) => {
    const { name, countries, types, ids, sandbox, isOpenFinance, supportsPaymentInitiation, healthDetails } = request.query
    const health = await healthOf(services, request.principal!.clientId, healthDetails === 'true')
    const present = (c: ConnectorDefinition) => presentConnector(c, services.startedAt, health(c))
    const results = services.connectors
      .list()
      .filter((c) => sandbox === 'true' || !c.isSandbox)
      .filter((c) => !name || c.name.toLowerCase().includes(name.toLowerCase()))
      .filter((c) => !countries?.length || countries.includes(c.country))
      .filter((c) => !types?.length || types.includes(c.type))
      .filter((c) => !ids?.length || ids.includes(String(c.id)))
      .filter(() => isOpenFinance !== 'true' && supportsPaymentInitiation !== 'true')
      .map(present)
    return page(results, results.length, 1, Math.max(1, results.length))
  })

  app.get('/connectors/:id', { config: { access: 'connect' }, schema: { tags: ['connectors'], params: IdParams, querystring: HealthQuery } }, async (request) => {
    const connector = findConnector(services, request.params.id)
    const health = await healthOf(services, request.principal!.clientId, request.query.healthDetails === 'true')
    return presentConnector(connector, services.startedAt, health(connector))
  })

  app.post(
    '/connectors/:id/validate',
    { config: { access: 'connect' }, schema: { tags: ['connectors'], params: IdParams, body: z.record(z.string().max(200), z.unknown()) } },
    async (request) => {
      const connector = findConnector(services, request.params.id)
      const errors = validateParameters(connector.credentials, request.body)
      // The parameters as they would be stored: known fields only; secrets are not echoed back.
      const parameters = Object.fromEntries(
        Object.entries(pickCredentials(connector, request.body)).map(([k, v]) => [k, connector.credentials.find((f) => f.name === k)?.type === 'password' ? '********' : v]),
      )
      return { parameters, errors }
    },
  )
}
