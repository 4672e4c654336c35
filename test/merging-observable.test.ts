import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { ManualClock } from '../src/time/manual-clock.ts'
import { ALL_PRODUCT_STEPS, startTestEngine, type TestEngine } from './support/harness.ts'

// With TRIBUTARY_SANDBOX_DELAY_MS a poller must see every step, MERGING included (the sandbox
// delay applies to it through the connector's logout, which the engine runs while MERGING). The
// engine's clock is a ManualClock: each sandbox step waits DELAY_MS on it, so the item stays in a
// step until the test moves time — a poller sees each step, however slow the machine. Time moves
// only once the poller saw the status the last move led to, and a step is waiting on the clock.

const DELAY_MS = 300
const clock = new ManualClock()
let engine: TestEngine
let apiKey: string

beforeAll(async () => {
  engine = await startTestEngine({ TRIBUTARY_SANDBOX_DELAY_MS: String(DELAY_MS) }, { clock })
  apiKey = await engine.apiKey()
})
afterAll(() => engine?.stop())

describe('every step is observable with a sandbox delay', () => {
  it('a poller sees CREATED, LOGIN, each product step, MERGING, then SUCCESS', { timeout: 120_000 }, async () => {
    const created = await engine.createItem(apiKey, { connectorId: 0, parameters: { user: 'user-ok', password: 'password-ok' } })
    const seen: string[] = [created.executionStatus]
    const statusOf = async () => (await engine.request('GET', `/items/${created.id}`, { apiKey })).body.executionStatus as string
    // CREATED → LOGIN_IN_PROGRESS comes without the clock: a status must be seen before time moves.
    let moved = true
    while (seen.at(-1) !== 'SUCCESS') {
      const next = await vi.waitFor(
        async () => {
          const status = await statusOf()
          if (status !== seen.at(-1)) return status
          const stepWaits = clock.nextTimeoutAt()?.getTime() === clock.now().getTime() + DELAY_MS
          if (!moved && stepWaits) return 'waiting on the clock'
          throw new Error(`still ${status}`)
        },
        { timeout: 10_000, interval: 10 },
      )
      if (next === 'waiting on the clock') {
        await clock.advance(DELAY_MS)
        moved = true
      } else {
        seen.push(next)
        moved = false
      }
    }
    expect(seen).toContain('MERGING')
    expect(seen).toEqual(['CREATED', 'LOGIN_IN_PROGRESS', ...ALL_PRODUCT_STEPS, 'MERGING', 'SUCCESS'])
  })
})
