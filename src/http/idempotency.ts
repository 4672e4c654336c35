import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Refusal } from '../engine/refusal.ts'
import type { IdempotencyService } from '../services/idempotency-service.ts'

/** A key as clients make them (a UUID, a hash, a few words joined): printable, without spaces. */
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/
/** Answers that say "try again" are not kept: the same request with the same key may then do its work. */
const NOT_KEPT = new Set([429])

/**
 * `Idempotency-Key` on the routes that declare `config.idempotent`: the first request with a key
 * claims it and does the work; its answer is kept (before it is sent) for 24 hours. The same key
 * with the same request gets that answer again, marked `Idempotent-Replayed: true`; with another
 * request, 409. A request that failed on the server's side frees its key.
 */
export function registerIdempotencyKeys(app: FastifyInstance, idempotency: IdempotencyService): void {
  app.decorateRequest('idempotencyKey', null)
  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.routeOptions.config?.idempotent) return
    const header = request.headers['idempotency-key']
    if (header === undefined) return
    const key = Array.isArray(header) ? header[0] : header
    if (!KEY_PATTERN.test(key)) {
      throw new Refusal('bad_request', 'IDEMPOTENCY_KEY_INVALID', 'The Idempotency-Key header must be 1 to 255 printable characters without spaces (a UUID is a good key).')
    }
    const clientId = request.principal!.clientId
    const claim = await idempotency.claim({ clientId, key, method: request.method, route: request.routeOptions.url ?? request.url, params: request.params, body: request.body })
    switch (claim.kind) {
      case 'claimed':
        request.idempotencyKey = key
        return
      case 'replay':
        reply.header('idempotent-replayed', 'true')
        return reply.code(claim.statusCode).send(claim.answer)
      case 'other-request':
        throw new Refusal('conflict', 'IDEMPOTENCY_KEY_REUSED', `The Idempotency-Key "${key}" was used in the last 24 hours for another request; use a new key for a new request.`)
      case 'in-progress':
        throw new Refusal('conflict', 'IDEMPOTENCY_KEY_IN_USE', `A request with the Idempotency-Key "${key}" is still being handled; send it again in a moment to get its answer.`, {
          headers: { 'retry-after': '1' },
        })
    }
  })
  // Kept before the answer leaves: a client that got it and sends the request again gets it again.
  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const key = request.idempotencyKey
    if (key === null) return payload
    request.idempotencyKey = null
    const clientId = request.principal!.clientId
    if (reply.statusCode >= 500 || NOT_KEPT.has(reply.statusCode)) {
      idempotency.release({ clientId, key }, (error) => request.log.warn({ err: error }, 'the Idempotency-Key of a failed request could not be freed'))
      return payload
    }
    try {
      await idempotency.answered({ clientId, key }, reply.statusCode, typeof payload === 'string' && payload !== '' ? JSON.parse(payload) : null)
    } catch (error) {
      // The work is done and its answer goes out; the key stays claimed until it is abandoned.
      request.log.warn({ err: error }, 'the answer of a request with an Idempotency-Key could not be kept')
    }
    return payload
  })
}
