import type { Runner } from 'graphile-worker'
import type pino from 'pino'

/**
 * Keeps the job queue running: graphile-worker shuts its runner down on some database errors
 * (a server restart), so a runner that ends while the process is not stopping is started again.
 */
export async function superviseQueue(start: () => Promise<Runner>, logger: pino.Logger): Promise<{ stop(): Promise<void> }> {
  let current: Runner | null = null
  let stopping = false
  const launch = async (): Promise<void> => {
    try {
      current = await start()
    } catch (error) {
      if (stopping) return
      logger.warn({ err: error }, 'the job queue could not start; retrying in 1 s')
      setTimeout(() => void launch(), 1_000).unref()
      return
    }
    const runner = current
    runner.promise
      .then(
        () => undefined,
        (error) => logger.warn({ err: error }, 'the job queue stopped on an error'),
      )
      .finally(() => {
        if (stopping || current !== runner) return
        logger.warn('restarting the job queue')
        current = null
        setTimeout(() => void launch(), 1_000).unref()
      })
  }
  await launch()
  return {
    async stop() {
      stopping = true
      await current?.stop().catch(() => {})
    },
  }
}
