import type { CodeWithStatus } from '../domain/error-codes.ts'
import { Refusal } from '../engine/refusal.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * The id of an item, account, webhook, … as the store keeps it (a lower-case UUID). An id that
 * cannot exist is answered like an unknown one, with `code`, before it reaches the database.
 */
export function resourceId(raw: string, code: CodeWithStatus<404>, what: string): string {
  if (!UUID.test(raw)) throw new Refusal('not_found', code, `${what} ${raw} was not found.`)
  return raw.toLowerCase()
}
