import type { ErrorCode } from '../domain/error-codes.ts'

/** The kinds of refusal the HTTP layer maps to status codes, in one place (src/http/errors.ts). */
export type RefusalKind = 'bad_request' | 'unauthorized' | 'forbidden' | 'not_found' | 'conflict' | 'too_many_requests'

/**
 * An expected refusal of a request: its `code` is the API's `codeDescription` — one of the
 * registry's (src/domain/error-codes.ts), so a misspelt code does not compile — and its message a
 * sentence a developer can act on.
 */
export class Refusal extends Error {
  constructor(
    readonly kind: RefusalKind,
    readonly code: ErrorCode,
    message: string,
    readonly extra: { details?: unknown[]; data?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(message)
    this.name = 'Refusal'
  }
}
