import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Refusal } from '../engine/refusal.ts'

/**
 * A page that must refuse (an unknown link, an expired form): a browser navigating to it (it
 * accepts HTML) gets `page`, which explains it to a person; any other caller gets the refusal in the
 * API's error shape, with the same status.
 */
export function refuseOnPage(request: FastifyRequest, reply: FastifyReply, refusal: Refusal, page: (reply: FastifyReply) => FastifyReply): FastifyReply {
  if (!(request.headers.accept ?? '').includes('text/html')) throw refusal
  return page(reply)
}
