import { z } from 'zod'
import { listEvents, parseEventCursor, START_OF_FEED, type EventCursor } from '../../store/events.ts'
import { Refusal } from '../../engine/refusal.ts'
import type { App, HttpServices } from '../app.ts'
import type { Principal } from '../auth.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** A comment line this often keeps proxies from closing an idle stream. */
const KEEP_ALIVE_MS = 15_000

/**
 * GET /items/{id}/events: Server-Sent Events, one per status change and per webhook event of the
 * item, read from the outbox in order. The event id is the outbox position, so a client that
 * reconnects with Last-Event-ID (EventSource does it by itself) resumes exactly where it left.
 */
export function registerEventStreamRoutes(app: App, services: HttpServices): void {
  // Streams never end by themselves; closing the server ends them, or it would wait forever.
  const streams = new Set<() => void>()
  app.addHook('onClose', async () => {
    for (const end of streams) end()
  })

  app.get(
    '/items/:id/events',
    {
      config: { access: 'connect' },
      // Its URL may carry a connect token: keep it out of the request log.
      logLevel: 'warn',
      schema: { tags: ['events'], params: z.object({ id: z.string().max(200) }), querystring: z.object({ connectToken: z.string().max(4000).optional(), after: z.string().max(20).optional() }) },
    },
    async (request, reply) => {
      const principal = request.principal as Principal
      const itemId = request.params.id
      const notFound = new Refusal('not_found', 'ITEM_NOT_FOUND', `Item ${itemId} was not found.`)
      if (!UUID.test(itemId)) throw notFound
      const item = await services.items.get({ clientId: principal.clientId, connectTokenId: null }, itemId)
      if (principal.kind === 'connect' && (principal.itemId ? principal.itemId !== item.id : item.createdByToken !== principal.tokenId)) {
        throw new Refusal('forbidden', 'FORBIDDEN_FOR_CONNECT_TOKEN', 'This connect token cannot act on this item.')
      }
      const resumeFrom = request.headers['last-event-id'] ?? request.query.after
      let after: EventCursor = (typeof resumeFrom === 'string' && parseEventCursor(resumeFrom)) || START_OF_FEED.item

      reply.hijack()
      const raw = reply.raw
      raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' })
      raw.write('retry: 2000\n\n')
      let open = true
      const end = () => {
        open = false
      }
      streams.add(end)
      request.raw.on('close', end)
      let lastWrite = Date.now()
      const pollMs = Math.min(services.pollIntervalMs, 250)
      while (open) {
        const events = await listEvents(services.db.pool, principal.clientId, { itemId, after, limit: 200, includeStatus: true }).catch(() => [])
        for (const event of events) {
          raw.write(`id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify({ ...event.payload, createdAt: event.createdAt.toISOString() })}\n\n`)
          after = event.cursor
          lastWrite = Date.now()
          if (event.type === 'item/deleted') open = false
        }
        if (!open) break
        if (Date.now() - lastWrite > KEEP_ALIVE_MS) {
          raw.write(': keep-alive\n\n')
          lastWrite = Date.now()
        }
        if (events.length < 200) await new Promise((resolve) => setTimeout(resolve, pollMs))
      }
      streams.delete(end)
      raw.end()
    },
  )
}
