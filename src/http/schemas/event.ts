import { z } from 'zod'
import { DateTime } from './date-time.ts'

/**
 * An event from the outbox as GET /events lists it: the webhook payload (SPEC §3.5) with its
 * position (`cursor`) and time. Fields past the common ones depend on the event.
 */
export const Event = z.looseObject({
  cursor: z.string().describe('The event’s position: pass it as `after` to read the events that follow'),
  event: z.string(),
  eventId: z.uuid(),
  id: z.uuid().describe('Same as eventId (deprecated)'),
  createdAt: DateTime,
})
export type Event = z.infer<typeof Event>

export const EventPage = z
  .strictObject({
    results: z.array(Event),
    next: z.string().nullable().describe('The cursor to pass as `after` for the next events'),
  })
  .describe('The client’s events after the cursor, oldest first')

/** GET /items/{id}/events answers a Server-Sent Events stream, not JSON. */
export const EventStream = z.string().describe('Server-Sent Events: `id` is the outbox position (resume with Last-Event-ID), `event` the event type, `data` its JSON payload')
