/**
 * A connector's date as an ISO instant: a date-only value is that day at 00:00 UTC (the database
 * would otherwise read it in its session's time zone). An unreadable date fails the merge
 * (→ MERGE_ERROR); null and absent stay null.
 */
export function isoDate(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null
  let iso = isoDates.get(value)
  if (iso === undefined) {
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) iso = `${value}T00:00:00.000Z`
    else {
      const time = Date.parse(value)
      if (Number.isNaN(time)) throw new Error(`the connector returned a date that cannot be read: ${JSON.stringify(value)}`)
      iso = new Date(time).toISOString()
    }
    // Transactions share few distinct dates; parsing each once matters at 100,000 rows.
    if (isoDates.size > 10_000) isoDates.clear()
    isoDates.set(value, iso)
  }
  return iso
}
const isoDates = new Map<string, string>()

/** The object with the named members turned into ISO instants (see {@link isoDate}). */
export function withIsoDates<T extends object>(value: T, keys: readonly (keyof T & string)[]): T {
  const out = { ...value } as Record<string, unknown>
  for (const key of keys) if (key in out) out[key] = isoDate(out[key] as string | null | undefined)
  return out as T
}
