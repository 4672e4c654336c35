/**
 * Errors that say the database could not be reached (or dropped the connection), as opposed to a
 * statement it refused: the first kind is retried until the database is back, the second is an
 * answer.
 */
const CONNECTION_SQLSTATES = new Set([
  '57P01', // admin_shutdown: the server is shutting down
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: the server is starting up
  '53300', // too_many_connections
  // Not about reaching the database, but as safe to run again: the statement was rolled back whole.
  '40001', // serialization_failure
  '40P01', // deadlock_detected
])
const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN'])
const CONNECTION_MESSAGES = [
  /connection terminated/i,
  /terminating connection/i,
  /not queryable/i,
  /connection (is )?closed/i,
  /timeout exceeded when trying to connect/i,
  /server closed the connection/i,
]

export function isConnectionError(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false
  const { code, message } = error as { code?: unknown; message?: unknown }
  if (typeof code === 'string' && (code.startsWith('08') || CONNECTION_SQLSTATES.has(code) || CONNECTION_ERROR_CODES.has(code))) return true
  if (typeof message === 'string' && CONNECTION_MESSAGES.some((pattern) => pattern.test(message))) return true
  const cause = (error as { cause?: unknown }).cause
  return cause !== undefined && cause !== error && isConnectionError(cause)
}

/** The database stayed out of reach for longer than the engine waits for it. */
export class DatabaseUnavailable extends Error {
  constructor(
    readonly waitedMs: number,
    cause: unknown,
  ) {
    super(`the database could not be reached for ${Math.round(waitedMs / 1000)} s`, { cause })
    this.name = 'DatabaseUnavailable'
  }
}

/**
 * Runs `attempt` until it does not fail for want of the database, waiting between tries (1 s at
 * first, doubling to at most 5 s) for up to `windowMs`; then throws DatabaseUnavailable. Any other
 * error is thrown at once. The waits are real time: they are about the machinery, not the lifecycle.
 */
export async function untilDatabaseAnswers<T>(attempt: () => Promise<T>, options: { windowMs: number; onRetry?: (error: unknown, waitedMs: number) => void }): Promise<T> {
  const started = Date.now()
  let pause = 1_000
  for (;;) {
    try {
      return await attempt()
    } catch (error) {
      if (!isConnectionError(error)) throw error
      const waited = Date.now() - started
      if (waited >= options.windowMs) throw new DatabaseUnavailable(waited, error)
      options.onRetry?.(error, waited)
      await new Promise((resolve) => setTimeout(resolve, Math.min(pause, options.windowMs - waited)))
      pause = Math.min(pause * 2, 5_000)
    }
  }
}
