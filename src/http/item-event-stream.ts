import type { FastifyReply, FastifyRequest } from 'fastify'
import { STREAM_BATCH } from '../services/event-service.ts'
import type { HttpServices } from './http-types.ts'

/** A comment line this often keeps proxies from closing an idle stream. */
const KEEP_ALIVE_MS = 15_000

/** Open streams, ended when the server closes (they never end by themselves, and closing would wait for them). */
export function openStreams(app: { addHook(name: 'onClose', hook: () => Promise<void>): unknown }): Set<() => void> {
  const streams = new Set<() => void>()
  app.addHook('onClose', async () => {
    for (const end of streams) end()
  })
  return streams
}

/**
 * Writes an item's events as Server-Sent Events from `after`, read from the outbox in order, until
 * the client goes away, the item is deleted, or the server closes. The event id is the outbox
 * position, so a client that reconnects with Last-Event-ID resumes exactly where it left.
 */
export async function streamItemEvents(
  request: FastifyRequest,
  reply: FastifyReply,
  stream: {
    services: Pick<HttpServices, 'events' | 'pollIntervalMs'>
    streams: Set<() => void>
    clientId: string
    itemId: string
    after: ReturnType<HttpServices['events']['streamStart']>
    cacheControl: string
  },
): Promise<void> {
  const { services, streams, clientId, itemId } = stream
  let after = stream.after
  reply.hijack()
  const raw = reply.raw
  raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': stream.cacheControl, connection: 'keep-alive', 'x-accel-buffering': 'no' })
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
    const events = await services.events.ofItem(clientId, itemId, after).catch(() => [])
    for (const event of events) {
      raw.write(`id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify({ ...event.payload, createdAt: event.createdAt.toISOString() })}\n\n`)
      after = event.cursor
      lastWrite = Date.now()
      // The item's last event: the stream ends after it.
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
}
