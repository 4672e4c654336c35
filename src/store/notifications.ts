import pg from 'pg'
import type { Queryable } from './database.ts'

export const WAKEUP_CHANNEL = 'tributary_wakeup'

/** Sends a wake-up to every process when the surrounding transaction commits (and not otherwise). */
export async function notifyProcesses(db: Queryable, payload: string): Promise<void> {
  await db.query('select pg_notify($1, $2)', [WAKEUP_CHANNEL, payload])
}

/**
 * Listens for wake-ups on a dedicated connection, reconnecting after the database comes back.
 * Returns a function that stops listening. Wake-ups are hints: waiters also poll.
 */
export function listenForWakeups(connectionString: string, onWakeup: (payload: string) => void, onError: (error: unknown) => void): () => Promise<void> {
  let client: pg.Client | null = null
  let stopped = false
  let retry: NodeJS.Timeout | undefined
  const connect = async () => {
    if (stopped) return
    const next = new pg.Client({ connectionString })
    next.on('notification', (message) => {
      if (message.channel === WAKEUP_CHANNEL && message.payload) onWakeup(message.payload)
    })
    next.on('error', (error) => {
      onError(error)
      reconnect(next)
    })
    next.on('end', () => reconnect(next))
    try {
      await next.connect()
      await next.query(`listen ${WAKEUP_CHANNEL}`)
      client = next
    } catch (error) {
      onError(error)
      reconnect(next)
    }
  }
  const reconnect = (failed: pg.Client) => {
    if (stopped || (client !== failed && client !== null)) return
    client = null
    failed.end().catch(() => {})
    clearTimeout(retry)
    retry = setTimeout(() => void connect(), 1_000)
    retry.unref()
  }
  void connect()
  return async () => {
    stopped = true
    clearTimeout(retry)
    await client?.end().catch(() => {})
  }
}
