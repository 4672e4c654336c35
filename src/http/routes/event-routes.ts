import { z } from 'zod'
import { resourceId } from '../../services/resource-id.ts'
import type { Principal } from '../auth.ts'
import { assertReaches } from '../connect-scope.ts'
import type { App, HttpServices } from '../http-types.ts'
import { openStreams, streamItemEvents } from '../item-event-stream.ts'
import { refusals } from '../schemas/error.ts'
import { EventPage, EventStream } from '../schemas/event.ts'

const EventsQuery = z.object({ itemId: z.string().max(200).optional(), after: z.string().max(40).optional(), pageSize: z.coerce.number().int().min(1).max(500).default(100) })

/**
 * GET /events: the client's events from a cursor, oldest first — catch up without webhooks.
 *
 * GET /items/{id}/events: Server-Sent Events, one per status change and per webhook event of the
 * item, read from the outbox in order. The event id is the outbox position, so a client that
 * reconnects with Last-Event-ID (EventSource does it by itself) resumes exactly where it left.
 */
export function registerEventRoutes(app: App, services: HttpServices): void {
  app.get('/events', { schema: { tags: ['events'], querystring: EventsQuery, response: { 200: EventPage, ...refusals({ 400: ['INVALID_CURSOR'], 404: ['ITEM_NOT_FOUND'] }) } } }, async (request) => {
    const { itemId, after, pageSize } = request.query
    const { events, next } = await services.events.feed(request.principal!.clientId, { itemId, after, limit: pageSize })
    return { results: events.map((e) => ({ cursor: e.cursor, ...e.payload, createdAt: e.createdAt.toISOString() })), next }
  })

  const streams = openStreams(app)

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
        response: {
          200: { description: EventStream.description, content: { 'text/event-stream': { schema: EventStream } } },
          ...refusals({ 403: ['FORBIDDEN_FOR_CONNECT_TOKEN'], 404: ['ITEM_NOT_FOUND'] }),
        },
      },
    },
    async (request, reply) => {
      const principal = request.principal as Principal
      const item = await services.items.get({ clientId: principal.clientId, connectTokenId: null }, resourceId(request.params.id, 'ITEM_NOT_FOUND', 'Item'))
      assertReaches(principal, item)
      const resumeFrom = request.headers['last-event-id'] ?? request.query.after
      const after = services.events.streamStart(resumeFrom)

      await streamItemEvents(request, reply, { services, streams, clientId: principal.clientId, itemId: item.id, after, cacheControl: 'no-cache, no-transform' })
    },
  )
}
