import type { Metrics } from '../../observability/metrics.ts'
import type { Database } from '../../store/database.ts'
import type { App } from '../app.ts'
import { sendError } from '../errors.ts'

/**
 * GET /health: the process is alive and its database answers. GET /ready: it can do its work —
 * the database and the job queue both answer. Neither needs a key (SPEC §4a.7).
 */
export function registerHealthRoutes(app: App, services: { db: Database; metrics?: Metrics }): void {
  const answers = async (sql: string) => {
    try {
      await services.db.pool.query(sql)
      return true
    } catch {
      return false
    }
  }
  app.get('/health', { config: { access: 'public' }, schema: { tags: ['operations'] } }, async (_request, reply) => {
    if (await answers('select 1')) return { status: 'ok' }
    return sendError(reply, 503, 'DATABASE_UNAVAILABLE', 'The database does not answer; the process reconnects when it is back.')
  })
  app.get('/metrics', { config: { access: 'public' }, schema: { tags: ['operations'], hide: true } }, async (_request, reply) => {
    if (!services.metrics) return sendError(reply, 404, 'NOT_FOUND', 'Metrics are not enabled in this process.')
    reply.type(services.metrics.registry.contentType)
    return services.metrics.registry.metrics()
  })
  app.get('/ready', { config: { access: 'public' }, schema: { tags: ['operations'] } }, async (_request, reply) => {
    const database = await answers('select 1')
    const queue = database && (await answers('select 1 from graphile_worker.jobs limit 1'))
    if (database && queue) return { status: 'ready', database: 'ok', queue: 'ok' }
    return sendError(reply, 503, 'NOT_READY', `Not ready: the ${database ? 'job queue' : 'database'} does not answer.`, {
      data: { database: database ? 'ok' : 'unavailable', queue: queue ? 'ok' : 'unavailable' },
    })
  })
}
