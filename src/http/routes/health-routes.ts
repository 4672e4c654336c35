import type { Metrics as MetricsRegistry } from '../../observability/metrics.ts'
import type { HealthService } from '../../services/health-service.ts'
import { sendError } from '../errors.ts'
import type { App } from '../http-types.ts'
import { refusals } from '../schemas/error.ts'
import { Health, Metrics, Ready } from '../schemas/health.ts'

/**
 * GET /health: the process is alive and its database answers. GET /ready: it can do its work —
 * the database and the job queue both answer. Neither needs a key (SPEC §4a.7).
 */
export function registerHealthRoutes(app: App, services: { probes: HealthService; metrics?: MetricsRegistry }): void {
  const { probes } = services
  app.get('/health', { config: { access: 'public' }, schema: { tags: ['operations'], response: { 200: Health, ...refusals({ 503: ['DATABASE_UNAVAILABLE'] }) } } }, async (_request, reply) => {
    if (await probes.databaseAnswers()) return { status: 'ok' as const }
    return sendError(reply, 503, 'DATABASE_UNAVAILABLE', 'The database does not answer; the process reconnects when it is back.')
  })
  app.get(
    '/metrics',
    {
      config: { access: 'public' },
      schema: { tags: ['operations'], hide: true, response: { 200: { content: { 'text/plain': { schema: Metrics } } }, ...refusals({ 404: ['NOT_FOUND'] }) } },
    },
    async (_request, reply) => {
      if (!services.metrics) return sendError(reply, 404, 'NOT_FOUND', 'Metrics are not enabled in this process.')
      reply.type(services.metrics.registry.contentType)
      return services.metrics.registry.metrics()
    },
  )
  app.get('/ready', { config: { access: 'public' }, schema: { tags: ['operations'], response: { 200: Ready, ...refusals({ 503: ['NOT_READY'] }) } } }, async (_request, reply) => {
    const database = await probes.databaseAnswers()
    const queue = database && (await probes.queueAnswers())
    if (database && queue) return { status: 'ready' as const, database: 'ok' as const, queue: 'ok' as const }
    return sendError(reply, 503, 'NOT_READY', `Not ready: the ${database ? 'job queue' : 'database'} does not answer.`, {
      data: { database: database ? 'ok' : 'unavailable', queue: queue ? 'ok' : 'unavailable' },
    })
  })
}
