import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import type { ErrorCode } from '../domain/error-codes.ts'
import { Refusal, type RefusalKind } from '../engine/refusal.ts'
import { DatabaseUnavailable, isConnectionError } from '../store/database-errors.ts'
import type { ErrorBody } from './schemas/error.ts'

const STATUS: Record<RefusalKind, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_many_requests: 429,
}

export function sendError(reply: FastifyReply, status: number, codeDescription: ErrorCode, message: string, extra: { details?: unknown[]; data?: Record<string, unknown> } = {}) {
  const body: ErrorBody = { code: status, message, codeDescription, ...extra }
  return reply.code(status).type('application/json').send(body)
}

/** How long a client is told to wait before sending a request again when the database is away. */
const DATABASE_RETRY_AFTER_SECONDS = 5

/** The one place that turns errors into HTTP answers with the error shape of SPEC §3. */
/** PostgreSQL's refusals of a NUL character: in text (22021) and in JSON text (22P05). */
const TEXT_THE_DATABASE_CANNOT_HOLD = new Set(['22021', '22P05'])

export function registerErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => sendError(reply, 404, 'NOT_FOUND', `There is no route ${request.method} ${request.url.split('?')[0]}; see /openapi.json for the API.`))
  app.setErrorHandler((error: FastifyError | Refusal | Error, request, reply) => {
    if (error instanceof Refusal) {
      const { headers, ...extra } = error.extra
      if (headers) reply.headers(headers)
      return sendError(reply, STATUS[error.kind], error.code, error.message, extra)
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const details = error.validation.map((issue) => ({
        parameter: [error.validationContext ?? 'body', ...issue.instancePath.split('/').filter(Boolean)].join('.'),
        message: issue.message,
      }))
      const where = details.map((d) => `${d.parameter}: ${d.message}`).join('; ')
      return sendError(reply, 400, 'VALIDATION_ERROR', `The request is not valid: ${where}.`, { details })
    }
    const fastifyError = error as FastifyError
    switch (fastifyError.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return sendError(reply, 413, 'PAYLOAD_TOO_LARGE', 'The request body is larger than 1 MiB.')
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return sendError(reply, 400, 'INVALID_JSON', 'The request body is not valid JSON.')
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return sendError(reply, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the request body as application/json.')
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return sendError(reply, 400, 'INVALID_CONTENT_LENGTH', 'The Content-Length header does not match the body.')
    }
    if (TEXT_THE_DATABASE_CANNOT_HOLD.has((error as { code?: unknown }).code as string)) {
      // Only a request's own text gets here (stored text never holds one): the statement, and so its transaction, failed.
      return sendError(reply, 400, 'VALIDATION_ERROR', 'The request holds a NUL character (\\u0000), which no text here can hold; nothing was changed. Remove it and send it again.')
    }
    if (error instanceof DatabaseUnavailable || isConnectionError(error)) {
      // Nothing was changed (a write is one transaction): the same request can simply be sent again.
      request.log.warn({ err: error }, 'the database does not answer')
      reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS))
      return sendError(reply, 503, 'DATABASE_UNAVAILABLE', `The database does not answer; nothing was changed. Send the request again in ${DATABASE_RETRY_AFTER_SECONDS} seconds.`)
    }
    if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
      return sendError(reply, fastifyError.statusCode, 'BAD_REQUEST', 'The request could not be read; check its headers and body.')
    }
    request.log.error({ err: error }, 'unexpected error while handling a request')
    return sendError(reply, 500, 'UNEXPECTED_ERROR', 'An unexpected error happened on the server; it was logged. Try again later.')
  })
}
