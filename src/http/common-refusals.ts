import type { RouteOptions } from 'fastify'
import type { ErrorCode, ErrorStatus } from '../domain/error-codes.ts'
import type { Access } from './http-types.ts'
import { codesOf, errorBodyOf } from './schemas/error.ts'

/** Methods whose body Fastify reads: their routes may answer the errors of an unreadable body. */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])

/**
 * The refusals a route may answer with whatever it does: those of authentication (by its access),
 * of request validation (when it declares what it takes) and of reading a body, the 503 of a
 * database out of reach, and the 500 of a bug.
 */
function commonRefusals(access: Access, takesInput: boolean, readsBody: boolean, idempotent: boolean): Partial<Record<ErrorStatus, ErrorCode[]>> {
  const byStatus: Partial<Record<ErrorStatus, ErrorCode[]>> = { 500: ['UNEXPECTED_ERROR'], 503: ['DATABASE_UNAVAILABLE'] }
  if (access !== 'public') byStatus[401] = ['API_KEY_MISSING', 'API_KEY_INVALID', 'API_KEY_EXPIRED', ...(access === 'connect' ? (['API_KEY_IN_URL'] as const) : [])]
  if (access === 'api') byStatus[403] = ['FORBIDDEN_FOR_CONNECT_TOKEN']
  if (takesInput) byStatus[400] = ['VALIDATION_ERROR']
  if (readsBody) {
    byStatus[400] = [...(byStatus[400] ?? []), 'INVALID_JSON', 'INVALID_CONTENT_LENGTH', 'BAD_REQUEST']
    byStatus[413] = ['PAYLOAD_TOO_LARGE']
    byStatus[415] = ['UNSUPPORTED_MEDIA_TYPE']
  }
  if (idempotent) {
    byStatus[400] = [...(byStatus[400] ?? []), 'IDEMPOTENCY_KEY_INVALID']
    byStatus[409] = ['IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_KEY_IN_USE']
  }
  return byStatus
}

/**
 * For a route that describes its answers (it declares a 2xx response), adds the error answers every
 * such route may give to the ones it declares itself, so that /openapi.json lists them all (and,
 * under a test runner, an error code the route does not declare fails the test that provokes it).
 */
export function completeErrorResponses(route: RouteOptions): void {
  const schema = route.schema as { response?: Record<string, unknown>; params?: unknown; querystring?: unknown; body?: unknown } | undefined
  const response = schema?.response
  if (!schema || !response || !Object.keys(response).some((status) => status.startsWith('2'))) return
  const access = (route.config as { access?: Access } | undefined)?.access ?? 'api'
  const readsBody = [route.method].flat().some((method) => BODY_METHODS.has(method))
  const idempotent = Boolean((route.config as { idempotent?: boolean } | undefined)?.idempotent)
  const common = commonRefusals(access, Boolean(schema.params || schema.querystring || schema.body), readsBody, idempotent)
  const completed: Record<string, unknown> = { ...response }
  for (const [status, codes] of Object.entries(common) as [`${ErrorStatus}`, ErrorCode[]][]) {
    const all = [...new Set([...codesOf(response[status]), ...codes])] as [ErrorCode, ...ErrorCode[]]
    completed[status] = errorBodyOf(Number(status) as ErrorStatus, all)
  }
  route.schema = { ...schema, response: completed }
}
