import type { ErrorCode, StatusOf } from '../domain/error-codes.ts'

/**
 * The HTTP status each kind of refusal stands for. src/http/errors.ts maps kinds to statuses with
 * a table of this type (the one place errors become HTTP); here it only lets the compiler check
 * that a code is refused with a kind its registry entry allows.
 */
export interface RefusalStatus {
  bad_request: 400
  unauthorized: 401
  forbidden: 403
  not_found: 404
  conflict: 409
  too_many_requests: 429
}
export type RefusalKind = keyof RefusalStatus

/** The kinds code `C` may be refused with: those whose status src/domain/error-codes.ts lists for it. */
export type RefusalKindOf<C extends ErrorCode> = { [K in RefusalKind]: RefusalStatus[K] extends StatusOf<C> ? K : never }[RefusalKind]

/**
 * An expected refusal of a request: its `code` is the API's `codeDescription` (one of the
 * registry's, so a misspelt code does not compile), its message a sentence a developer can act on.
 */
export class Refusal<C extends ErrorCode = ErrorCode> extends Error {
  // Typed without C, so that every refusal is a Refusal whatever its code.
  readonly kind: RefusalKind
  readonly code: ErrorCode

  constructor(
    kind: RefusalKindOf<C>,
    code: C,
    message: string,
    readonly extra: { details?: unknown[]; data?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(message)
    this.name = 'Refusal'
    this.kind = kind
    this.code = code
  }
}
