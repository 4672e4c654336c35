/**
 * GET /dashboard/api/items/{id}/stream: the item's events as Server-Sent Events, for the item page
 * to redraw a running execution's timeline as it advances. The same outbox reads as the API's
 * GET /items/{id}/events, with the session cookie in place of an API key (EventSource sends
 * cookies, not headers).
 */
import type { App, HttpServices } from '../http/http-types.ts'
import { openStreams, streamItemEvents } from '../http/item-event-stream.ts'
import { EventStream } from '../http/schemas/event.ts'
import { resourceId } from '../services/resource-id.ts'
import { refusals } from '../http/schemas/error.ts'
import { IdParams } from './dashboard-schemas.ts'

export function registerDashboardStream(app: App, services: HttpServices): void {
  const streams = openStreams(app)

  app.get(
    '/dashboard/api/items/:id/stream',
    {
      config: { access: 'public' },
      schema: {
        hide: true,
        params: IdParams,
        response: {
          200: { description: EventStream.description, content: { 'text/event-stream': { schema: EventStream } } },
          ...refusals({ 401: ['DASHBOARD_SESSION_MISSING'], 404: ['ITEM_NOT_FOUND'] }),
        },
      },
    },
    async (request, reply) => {
      const clientId = request.dashboardSession!.clientId
      const item = await services.items.get({ clientId, connectTokenId: null }, resourceId(request.params.id, 'ITEM_NOT_FOUND', 'Item'))
      const after = services.events.streamStart(request.headers['last-event-id'])
      await streamItemEvents(request, reply, { services, streams, clientId, itemId: item.id, after, cacheControl: 'no-store, no-transform' })
    },
  )
}
