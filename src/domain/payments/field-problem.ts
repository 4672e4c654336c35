/** A value a validator refused: the field's path in the request body and a sentence a developer can act on. */
export interface FieldProblem {
  field: string
  message: string
}

export type Validated<T> = { ok: true; value: T } | { ok: false; problems: FieldProblem[] }

export function valid<T>(value: T): Validated<T> {
  return { ok: true, value }
}

export function invalid<T>(field: string, message: string): Validated<T> {
  return { ok: false, problems: [{ field, message }] }
}
