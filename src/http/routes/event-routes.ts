import { z } from 'zod'
import { STREAM_BATCH } from '../../services/event-service.ts'
import { resourceId } from '../../services/resource-id.ts'
import type { Principal } from '../auth.ts'
import { assertReaches } from '../connect-scope.ts'
import type { App, HttpServices } from '../http-types.ts'
import { refusals } from '../schemas/error.ts'
import { EventPage, EventStream } from '../schemas/event.ts'

const EventsQuery = z.object({ itemId: z.string().max(200).optional(), after: z.string().max(40).optional(), pageSize: z.coerce.number().int().min(1).max(500).default(100) })
/** A comment line this often keeps proxies from closing an idle stream. */
const KEEP_ALIVE_MS = 15_000

/**
 * GET /events: the client's events from a cursor, oldest first — catch up without webhooks.
 *
 * GET /items/{id}/events: Server-Sent Events, one per status change and per webhook event of the
 * item, read from the outbox in order. The event id is the outbox position, so a client that
 * reconnects with Last-Event-ID (EventSource does it by itself) resumes exactly where it left.
 */
export function registerEventRoutes(app: App, services: HttpServices): void {
  app.get(
    '/events',
    { schema: { tags: ['events'], querystring: EventsQuery, response: { 200: EventPage, ...refusals({ 400: ['INVALID_CURSOR'], 404: ['ITEM_NOT_FOUND'] }) } } },
    async (request) => {
      const { itemId, after, pageSize } = request.query
      const { events, next } = await services.events.feed(request.principal!.clientId, { itemId, after, limit: pageSize })
      return { results: events.map((e) => ({ cursor: e.cursor, ...e.payload, createdAt: e.createdAt.toISOString() })), next }
    },
  )

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
      schema: {
        tags: ['events'],
        params: z.object({ id: z.string().max(200) }),
        querystring: z.object({ connectToken: z.string().max(4000).optional(), after: z.string().max(20).optional() }),
        response: { 200: { description: EventStream.description, content: { 'text/event-stream': { schema: EventStream } } }, ...refusals({ 403: ['FORBIDDEN_FOR_CONNECT_TOKEN'], 404: ['ITEM_NOT_FOUND'] }) },
      },
    },
    async (request, reply) => {
      const principal = request.principal as Principal
      const item = await services.items.get({ clientId: principal.clientId, connectTokenId: null }, resourceId(request.params.id, 'ITEM_NOT_FOUND', 'Item'))
      assertReaches(principal, item)
      const resumeFrom = request.headers['last-event-id'] ?? request.query.after
      let after = services.events.streamStart(resumeFrom)

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
        const events = await services.events.ofItem(principal.clientId, item.id, after).catch(() => [])
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
        if (events.length < STREAM_BATCH) await new Promise((resolve) => setTimeout(resolve, pollMs))
      }
      streams.delete(end)
      raw.end()
    },
  )
}
