import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import Fastify, { type FastifyInstance, type FastifyRequest, type FastifyServerFactory } from 'fastify'
import { jsonSchemaTransform, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod'
import type pino from 'pino'
import { registerConnectRoutes } from '../connect/connect-routes.ts'
import { registerDashboardRoutes } from '../dashboard/dashboard-routes.ts'
import { Refusal } from '../engine/refusal.ts'
import type { Metrics } from '../observability/metrics.ts'
import { HealthService } from '../services/health-service.ts'
import type { Database } from '../store/database.ts'
import { apiKeyOf } from './auth.ts'
import type { EarlyListener, RequestHandler } from './early-listener.ts'
import { completeErrorResponses } from './common-refusals.ts'
import { registerErrorHandling, sendError } from './errors.ts'
import type { Access, App, HttpServices } from './http-types.ts'
import { registerIdempotencyKeys } from './idempotency.ts'
import { answerSerializerCompiler } from './response-serializer.ts'
import { registerAuthRoutes } from './routes/auth-routes.ts'
import { registerConnectorRoutes } from './routes/connector-routes.ts'
import { registerDataRoutes } from './routes/data-routes.ts'
import { registerEventRoutes } from './routes/event-routes.ts'
import { registerHealthRoutes } from './routes/health-routes.ts'
import { registerItemRoutes } from './routes/item-routes.ts'
import { registerSandboxPaymentRoutes } from './routes/sandbox-payment-routes.ts'
import { registerSandboxRoutes } from './routes/sandbox-routes.ts'
import { registerSandboxTransactionRoutes } from './routes/sandbox-transaction-routes.ts'
import { registerSandboxUserRoutes } from './routes/sandbox-user-routes.ts'
import { registerPaymentAccountRoutes } from './routes/payment-account-routes.ts'
import { registerPaymentBulkRoutes } from './routes/payment-bulk-routes.ts'
import { registerPaymentPartyRoutes } from './routes/payment-party-routes.ts'
import { registerPaymentScheduleRoutes } from './routes/payment-schedule-routes.ts'
import { registerPaymentSmartTransferRoutes } from './routes/payment-smart-transfer-routes.ts'
import { registerPaymentPageRoutes } from './routes/payment-page-routes.ts'
import { registerPaymentRequestRoutes } from './routes/payment-request-routes.ts'
import { registerProductRoutes } from './routes/product-routes.ts'
import { registerWebhookRoutes } from './routes/webhook-routes.ts'
import { registerOpenFinanceRoutes } from './routes/open-finance-routes.ts'

// For the composition root and tools that build the app; route modules import http-types.ts.
export type { App, HttpServices }

export const BODY_LIMIT_BYTES = 1024 * 1024

/** The probes alone, for a worker process (it serves no API). */
export async function buildHealthApp(db: Database, logger: pino.Logger, metrics?: Metrics): Promise<App> {
  const app = Fastify({ loggerInstance: logger }).withTypeProvider<ZodTypeProvider>()
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(answerSerializerCompiler())
  registerErrorHandling(app as unknown as FastifyInstance)
  registerHealthRoutes(app, { probes: new HealthService(db.pool), metrics })
  return app
}

/** `server`: a server already listening (early-listener.ts) that the API answers on once built. */
export async function buildHttpApp(services: HttpServices, logger: pino.Logger, options: { server?: EarlyListener } = {}): Promise<App> {
  const early = options.server
  let apiHandler: RequestHandler | undefined
  const serverFactory = (handler: RequestHandler) => {
    apiHandler = handler
    return early!.server
  }
  const app = Fastify({
    loggerInstance: logger,
    ...(early ? { serverFactory: serverFactory as unknown as FastifyServerFactory } : {}),
    bodyLimit: BODY_LIMIT_BYTES,
    // Item ids are UUIDs; a longer path parameter is refused before routing does any work.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    // Errors raised before routing (a malformed percent-encoding) get the API's error shape too.
    frameworkErrors: (error, _request, reply) =>
      sendError(reply, 400, 'BAD_URL', `The request URL is not valid (${error.message.replace(/^'[^']*' is not a valid url component$/, 'bad percent-encoding')}).`),
  }).withTypeProvider<ZodTypeProvider>()
  // Once every route is registered and compiled, the API answers the early server's requests.
  if (early) app.addHook('onReady', async () => early.handOver(apiHandler!))
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(answerSerializerCompiler())
  registerErrorHandling(app as unknown as FastifyInstance)
  // Before the OpenAPI document collects the routes: it lists the error answers this adds.
  app.addHook('onRoute', completeErrorResponses)
  // Clients (pluggy-sdk among them) send `Content-Type: application/json` on bodiless DELETEs:
  // an empty body is no body, not malformed JSON.
  const parseJson = app.getDefaultJsonParser('error', 'remove')
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => (body === '' ? done(null, undefined) : parseJson(request, body as string, done)))
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Tributary API', version: '0.1.0', description: 'Open-finance aggregation engine, compatible with the Pluggy API.' },
      components: { securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'X-API-KEY' } } },
      security: [{ apiKey: [] }],
    },
    transform: jsonSchemaTransform,
  })

  const routeList: { method: string; url: string; access: Access }[] = []
  app.decorate('routeList', routeList)
  app.addHook('onRoute', (route) => {
    // The documentation pages and their assets are public like /openapi.json.
    if (route.url === '/docs' || route.url.startsWith('/docs/')) route.config = { ...(route.config as object), access: 'public' }
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') routeList.push({ method, url: route.url, access: (route.config as { access?: Access } | undefined)?.access ?? 'api' })
    }
  })

  if (services.metrics) {
    const histogram = services.metrics.httpDuration
    app.addHook('onResponse', async (request, reply) => {
      histogram.observe({ method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) }, reply.elapsedTime / 1000)
    })
  }

  app.decorateRequest('principal', null)
  // Authentication first: a caller without the right key learns nothing about the request's validity.
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const access = request.routeOptions.config?.access ?? 'api'
    if (access === 'public') return
    // Browsers' EventSource cannot send headers: connect routes also take ?connectToken= (never an API key).
    const queryToken = access === 'connect' ? (request.query as { connectToken?: unknown } | undefined)?.connectToken : undefined
    const token = apiKeyOf(request) ?? (typeof queryToken === 'string' ? queryToken : undefined)
    if (!token) throw new Refusal('unauthorized', 'API_KEY_MISSING', 'Send an API key in the X-API-KEY header (get one with POST /auth).')
    const principal = await services.tokens.verify(token)
    if (!apiKeyOf(request) && principal.kind !== 'connect') {
      throw new Refusal('unauthorized', 'API_KEY_IN_URL', 'Only a connect token may be sent in the URL; send API keys in the X-API-KEY header.')
    }
    if (principal.kind === 'connect' && access !== 'connect') {
      throw new Refusal('forbidden', 'FORBIDDEN_FOR_CONNECT_TOKEN', 'A connect token cannot use this route; call it from your server with an API key.')
    }
    request.principal = principal
  })

  registerIdempotencyKeys(app as unknown as FastifyInstance, services.idempotency)

  app.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger())
  // The API reference, rendered from /openapi.json with assets served from the package (no CDN).
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { validatorUrl: null, deepLinking: true, defaultModelsExpandDepth: 0 },
    staticCSP: true,
    // The page documents this server only: no URL bar to explore other specifications.
    theme: { title: 'Tributary API', css: [{ filename: 'tributary.css', content: '.swagger-ui .topbar { display: none }' }] },
  } as never)
  registerHealthRoutes(app, services)
  registerAuthRoutes(app, services)
  registerConnectorRoutes(app, services)
  registerItemRoutes(app, services)
  registerWebhookRoutes(app, services)
  registerEventRoutes(app, services)
  registerDataRoutes(app, services)
  registerOpenFinanceRoutes(app, services)
  registerSandboxRoutes(app, services)
  registerSandboxPaymentRoutes(app, services)
  registerSandboxTransactionRoutes(app, services)
  registerSandboxUserRoutes(app, services)
  registerProductRoutes(app, services)
  registerPaymentPartyRoutes(app, services)
  registerPaymentAccountRoutes(app, services)
  registerPaymentBulkRoutes(app, services)
  registerPaymentScheduleRoutes(app, services)
  registerPaymentSmartTransferRoutes(app, services)
  registerPaymentRequestRoutes(app, services)
  await registerPaymentPageRoutes(app, services)
  await registerConnectRoutes(app, services)
  if (services.dashboardSessions) await registerDashboardRoutes(app, services, services.dashboardSessions)
  return app
}
