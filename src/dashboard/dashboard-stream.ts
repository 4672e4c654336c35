/**
 * GET /dashboard/api/items/{id}/stream: the item's events as Server-Sent Events, for the item page
 * to redraw a running execution's timeline as it advances. The same outbox reads as the API's
 * GET /items/{id}/events, with the session cookie in place of an API key (EventSource sends
 * cookies, not headers).
 */
import type { App, HttpServices } from '../http/http-types.ts'
import { EventStream } from '../http/schemas/event.ts'
import { resourceId } from '../services/resource-id.ts'
import { STREAM_BATCH } from '../services/event-service.ts'
import { refusals } from '../http/schemas/error.ts'
import { IdParams } from './dashboard-schemas.ts'

/** A comment line this often keeps proxies from closing an idle stream. */
const KEEP_ALIVE_MS = 15_000
/** The item's last event: the stream ends after it. */
const ITEM_DELETED = 'item/deleted'

export function registerDashboardStream(app: App, services: HttpServices): void {
  // Streams never end by themselves; closing the server ends them, or it would wait forever.
  const streams = new Set<() => void>()
  app.addHook('onClose', async () => {
    for (const end of streams) end()
  })

  app.get(
    '/dashboard/api/items/:id/stream',
    {
      config: { access: 'public' },
      schema: {
        hide: true,
        params: IdParams,
        response: { 200: { description: EventStream.description, content: { 'text/event-stream': { schema: EventStream } } }, ...refusals({ 401: ['DASHBOARD_SESSION_MISSING'], 404: ['ITEM_NOT_FOUND'] }) },
      },
    },
    async (request, reply) => {
      const clientId = request.dashboardSession!.clientId
      const item = await services.items.get({ clientId, connectTokenId: null }, resourceId(request.params.id, 'ITEM_NOT_FOUND', 'Item'))
      let after = services.events.streamStart(request.headers['last-event-id'])
      reply.hijack()
      const raw = reply.raw
      raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' })
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
        const events = await services.events.ofItem(clientId, item.id, after).catch(() => [])
        for (const event of events) {
          raw.write(`id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify({ ...event.payload, createdAt: event.createdAt.toISOString() })}\n\n`)
          after = event.cursor
          lastWrite = Date.now()
          if (event.type === ITEM_DELETED) open = false
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
