import { createHash } from 'node:crypto'

/**
 * A UUID that is a function of its parts: the same parts always give the same id, other parts
 * another one. For records nested in a stored row (a bill's finance charges and payments) that
 * the API serves with ids of their own: they keep their id across executions without a table.
 * Formatted as an RFC 9562 version-8 (custom) UUID.
 */
export function stableUuid(...parts: readonly string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex')
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}
