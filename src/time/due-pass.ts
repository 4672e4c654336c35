import type pino from 'pino'
import type { Clock, Timer } from '../time/clock.ts'

/**
 * Runs a pass of work when it is due: on a period (the durable fallback, which finds whatever
 * is due in the database), and at the exact times it is told about (`wakeAt`, a hint from
 * whoever scheduled something in this process). Passes never overlap: a pass asked for while
 * one runs runs again right after it. Every wait is a timer of the engine's clock.
 */
export class DuePass {
  private readonly hints = new Map<number, Timer>()
  private periodic: Timer | undefined
  private running: Promise<void> | null = null
  private askedAgain = false

  constructor(
    private readonly options: {
      name: string
      clock: Clock
      logger: pino.Logger
      everyMs: number
      /** One pass; resolves when the work due now is done (or failed: the next pass retries). */
      pass: () => Promise<void>
    },
  ) {}

  start(): void {
    this.periodic = this.options.clock.setInterval(() => void this.run(), this.options.everyMs)
  }

  stop(): void {
    this.periodic?.cancel()
    for (const timer of this.hints.values()) timer.cancel()
    this.hints.clear()
  }

  /** A pass is under way (a test that waits for the engine to settle waits for it too). */
  get busy(): boolean {
    return this.running !== null
  }

  /** Runs a pass at `at` (hints closer than 100 ms share a pass). */
  wakeAt(at: Date): void {
    const key = Math.ceil(at.getTime() / 100) * 100
    if (this.hints.has(key)) return
    const timer = this.options.clock.setTimeout(() => {
      this.hints.delete(key)
      void this.run()
    }, key - this.options.clock.now().getTime())
    this.hints.set(key, timer)
  }

  /** Runs a pass now (or right after the one under way). */
  run(): Promise<void> {
    if (this.running) {
      this.askedAgain = true
      return this.running
    }
    this.running = (async () => {
      try {
        do {
          this.askedAgain = false
          await this.options.pass().catch((error) => this.options.logger.warn({ err: error }, `${this.options.name} failed; the next pass retries`))
        } while (this.askedAgain)
      } finally {
        this.running = null
      }
    })()
    return this.running
  }
}
