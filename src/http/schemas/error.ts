import { z } from 'zod'
import { ERROR_CODES, errorCodeEntry, type CodeWithStatus, type ErrorCode, type ErrorStatus } from '../../domain/error-codes.ts'

/** The error codes a route may answer with, by HTTP status (each code under a status its registry entry allows). */
export type Refusals = { [S in ErrorStatus]?: readonly CodeWithStatus<S>[] }

function errorBody(status: z.ZodType<number>, codeDescription: z.ZodType<ErrorCode>) {
  return z.strictObject({
    code: status.describe('The HTTP status'),
    message: z.string().describe('What went wrong, in a sentence a developer can act on'),
    codeDescription: codeDescription.describe('The error code (docs/errors.md)'),
    details: z.array(z.unknown()).optional().describe('One entry per problem, when there are several (validation errors)'),
    data: z.record(z.string(), z.unknown()).optional().describe('Facts that come with some codes (e.g. `canRetryAfterDate`)'),
  })
}

/** The error body of SPEC §3. */
export const ErrorBody = errorBody(z.number().int(), z.enum(ERROR_CODES.map((entry) => entry.code)))
export type ErrorBody = z.infer<typeof ErrorBody>

function makeErrorBody(status: ErrorStatus, codes: readonly [ErrorCode, ...ErrorCode[]]) {
  return errorBody(z.literal(status), z.enum(codes)).describe(codes.map((code) => `\`${code}\`: ${errorCodeEntry(code).meaning}`).join('\n\n'))
}

/**
 * Made once per status and set of codes, and shared (zod schemas do not change): most routes
 * answer the same common refusals, and building their schemas again for every route of every
 * engine was about half of building the API (CPU profile of a start).
 */
const errorBodies = new Map<string, ReturnType<typeof makeErrorBody>>()

/** The error body a route answers with under `status`, carrying one of `codes`; its description says what each code means. */
export function errorBodyOf(status: ErrorStatus, codes: readonly [ErrorCode, ...ErrorCode[]]) {
  const key = `${status}:${codes.join(',')}`
  let body = errorBodies.get(key)
  if (!body) errorBodies.set(key, (body = makeErrorBody(status, codes)))
  return body
}

/** The codes an error body made by errorBodyOf accepts; none for any other schema. */
export function codesOf(schema: unknown): ErrorCode[] {
  const codeDescription = (schema as { shape?: { codeDescription?: { options?: ErrorCode[] } } } | undefined)?.shape?.codeDescription
  return [...(codeDescription?.options ?? [])]
}

/** Response schemas for a route's own refusals: `refusals({ 404: ['ITEM_NOT_FOUND'] })`. */
export function refusals(byStatus: Refusals): Partial<Record<ErrorStatus, ReturnType<typeof errorBodyOf>>> {
  const responses: Partial<Record<ErrorStatus, ReturnType<typeof errorBodyOf>>> = {}
  for (const [status, codes] of Object.entries(byStatus) as [`${ErrorStatus}`, ErrorCode[]][]) {
    if (codes.length > 0) responses[Number(status) as ErrorStatus] = errorBodyOf(Number(status) as ErrorStatus, codes as [ErrorCode, ...ErrorCode[]])
  }
  return responses
}
