import { z } from 'zod'
import type { ConnectorDefinition } from '../../connectors/sdk/index.ts'
import { Refusal } from '../../engine/refusal.ts'
import { pickCredentials, validateParameters } from '../../engine/validate-parameters.ts'
import type { App, HttpServices } from '../http-types.ts'
import { page } from '../paging.ts'
import { inlineLogo, originOf } from '../connector-logos.ts'
import { presentConnector } from '../presenters.ts'
import { Connector, ConnectorPage, ParameterValidation } from '../schemas/connector.ts'
import { refusals } from '../schemas/error.ts'

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
const notFound = refusals({ 404: ['CONNECTOR_NOT_FOUND'] })

function findConnector(services: HttpServices, rawId: string): ConnectorDefinition {
  const connector = /^\d{1,9}$/.test(rawId) ? services.connectors.get(Number(rawId)) : undefined
  if (!connector) throw new Refusal('not_found', 'CONNECTOR_NOT_FOUND', `Connector ${rawId} does not exist; list connectors with GET /connectors.`)
  return connector
}

export function registerConnectorRoutes(app: App, services: HttpServices): void {
  app.get('/connectors', { config: { access: 'connect' }, schema: { tags: ['connectors'], querystring: ConnectorQuery, response: { 200: ConnectorPage } } }, async (request) => {
    const { name, countries, types, ids, sandbox, isOpenFinance, supportsPaymentInitiation, healthDetails } = request.query
    const health = await services.connectorHealth.healthFor(request.principal!.clientId, healthDetails === 'true')
    const results = services.connectors
      .list()
      .filter((c) => sandbox === 'true' || !c.isSandbox)
      .filter((c) => !name || c.name.toLowerCase().includes(name.toLowerCase()))
      .filter((c) => !countries?.length || countries.includes(c.country))
      .filter((c) => !types?.length || types.includes(c.type))
      .filter((c) => !ids?.length || ids.includes(String(c.id)))
      .filter((c) => isOpenFinance !== 'true' || Boolean(c.oauth))
      .filter((c) => supportsPaymentInitiation !== 'true' || Boolean(c.payments))
      .map((c) => presentConnector(c, services.startedAt, health(c.id), originOf(request)))
    return page(results, results.length, 1, Math.max(1, results.length))
  })

  app.get(
    '/connectors/:id',
    { config: { access: 'connect' }, schema: { tags: ['connectors'], params: IdParams, querystring: HealthQuery, response: { 200: Connector.describe('The connector'), ...notFound } } },
    async (request) => {
      const connector = findConnector(services, request.params.id)
      const health = await services.connectorHealth.healthFor(request.principal!.clientId, request.query.healthDetails === 'true')
      return presentConnector(connector, services.startedAt, health(connector.id), originOf(request))
    },
  )

  // Public and cacheable like any image an <img> loads; the connector list says where it is.
  app.get(
    '/connectors/:id/logo',
    {
      config: { access: 'public' },
      schema: {
        tags: ['connectors'],
        params: IdParams,
        response: { 200: z.string().describe('The connector’s logo (its own image type)'), 304: z.null().describe('Not modified: the logo of the If-None-Match ETag'), ...notFound },
      },
    },
    async (request, reply) => {
      const connector = findConnector(services, request.params.id)
      const logo = inlineLogo(connector)
      if (!logo) throw new Refusal('not_found', 'CONNECTOR_NOT_FOUND', `Connector ${connector.id} has no logo served here; its imageUrl says where it is.`)
      reply.header('cache-control', 'public, max-age=86400').header('etag', logo.etag).header('x-content-type-options', 'nosniff')
      // An SVG shown on its own must not run anything.
      reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox")
      if (request.headers['if-none-match'] === logo.etag) return reply.code(304).send(null)
      return reply.type(logo.contentType).send(logo.bytes)
    },
  )

  app.post(
    '/connectors/:id/validate',
    {
      config: { access: 'connect' },
      schema: { tags: ['connectors'], params: IdParams, body: z.record(z.string().max(200), z.unknown()), response: { 200: ParameterValidation, ...notFound } },
    },
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
