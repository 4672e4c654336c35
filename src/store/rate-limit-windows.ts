import type { Queryable } from './database.ts'

/**
 * Counts one request for `key`: in its current window, or as the first of a new one ending at
 * `resetAt` when the last has ended. Returns the count and when the window ends.
 */
export async function countRequest(db: Queryable, key: string, at: Date, resetAt: Date): Promise<{ count: number; resetAt: Date }> {
  const { rows } = await db.query<{ count: number; resetAt: Date }>(
    `insert into rate_limit_windows as w (key, count, reset_at) values ($1, 1, $3)
     on conflict (key) do update set
       count = case when w.reset_at <= $2 then 1 else w.count + 1 end,
       reset_at = case when w.reset_at <= $2 then excluded.reset_at else w.reset_at end
     returning count, reset_at as "resetAt"`,
    [key, at, resetAt],
  )
  return rows[0]
}

/** Forgets the windows that ended before `before`. */
export async function deleteEndedRateWindows(db: Queryable, before: Date): Promise<void> {
  await db.query('delete from rate_limit_windows where reset_at < $1', [before])
}
