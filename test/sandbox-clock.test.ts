import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { OTHER_CLIENT } from './support/harness.ts'
import { finished, OK, startSandboxEngine, type SandboxEngine } from './support/sandbox-engine.ts'

// The per-client sandbox clock (docs/sandbox.md) over real HTTP with the pluggy-sdk client: moving
// it makes the client's due work due now — without moving the engine's clock — and moves the
// sandbox institutions' calendar ahead for its items only.

const DAY = 86_400
let engine: SandboxEngine

beforeAll(async () => {
  engine = await startSandboxEngine()
})

afterAll(() => engine?.stop())

const dayOf = (at: string | Date) => new Date(at).toISOString().slice(0, 10)
const ms = (at: string | Date | null | undefined) => new Date(at!).getTime()

describe('the sandbox clock', () => {
  it('makes the client’s auto-syncs due now, and the next sync sees the days that passed; another client’s items do not move', async () => {
    const { client, control, connected, settled } = engine
    const item = await connected()
    const theirs = await control('POST', '/items', { connectorId: 0, parameters: OK }, OTHER_CLIENT)
    const theirsBefore = await vi.waitFor(
      async () => {
        const read = await control('GET', `/items/${theirs.body.id}`, undefined, OTHER_CLIENT)
        expect(finished(read.body)).toBe(true)
        return read.body
      },
      { timeout: 20_000, interval: 20 },
    )
    const [checking] = (await client.fetchAccounts(item.id, 'BANK')).results
    const before = (await client.fetchTransactions(checking.id, { pageSize: 500 })).results
    const lastDayBefore = before
      .map((t) => dayOf(t.date))
      .sort()
      .at(-1)!
    expect(ms(item.nextAutoSyncAt)).toBeGreaterThan(engine.clock.now().getTime() + DAY * 800)

    // Relative to what another test of this file may already have moved this client's clock by.
    const { totalAdvanceSeconds } = (await control('GET', '/sandbox/clock')).body
    const moved = await control('POST', '/sandbox/clock', { advanceSeconds: 2 * DAY })
    expect(moved.status).toBe(200)
    expect(moved.body).toMatchObject({ advancedSeconds: 2 * DAY, totalAdvanceSeconds: totalAdvanceSeconds + 2 * DAY, movedItems: 1 })
    expect(Date.parse(moved.body.now) - engine.clock.now().getTime()).toBe((totalAdvanceSeconds + 2 * DAY) * 1000)

    // The auto-sync was due within two days: it runs now, on an engine clock that did not move.
    await vi.waitFor(
      async () => {
        const executions = (await control('GET', `/items/${item.id}/executions`)).body.results
        // Both started at the same instant of the engine's clock (it did not move): compare them unordered.
        expect(executions.map((e: any) => `${e.triggeredBy} ${e.status}`).sort()).toEqual(['CLIENT SUCCESS', 'SYNC SUCCESS'])
      },
      { timeout: 20_000, interval: 20 },
    )
    expect((await settled(item.id)).executionStatus).toBe('SUCCESS')

    const after = (await client.fetchTransactions(checking.id, { pageSize: 500 })).results
    const lastDayAfter = after
      .map((t) => dayOf(t.date))
      .sort()
      .at(-1)!
    expect(lastDayAfter > lastDayBefore).toBe(true)
    expect(lastDayAfter).toBe(dayOf(moved.body.now))

    const theirsAfter = await control('GET', `/items/${theirs.body.id}`, undefined, OTHER_CLIENT)
    expect(theirsAfter.body.nextAutoSyncAt).toBe(theirsBefore.nextAutoSyncAt)
    expect(theirsAfter.body.nextAutoSyncAt).not.toBeNull()
    expect((await control('GET', '/sandbox/clock', undefined, OTHER_CLIENT)).body.totalAdvanceSeconds).toBe(0)
  })

  it('makes a waiting MFA code expire: the item ends USER_INPUT_TIMEOUT', async () => {
    const { client, control, settled, clock } = engine
    const created = await client.createItem(2, OK)
    const waiting = await settled(created.id, (i) => i.status === 'WAITING_USER_INPUT')
    const expiresAt = ms(waiting.parameter!.expiresAt)
    await control('POST', '/sandbox/clock', { advanceSeconds: 600 })
    expect(ms((await client.fetchItem(created.id)).parameter!.expiresAt)).toBe(expiresAt - 600_000)
    // The wait reads the stored expiry at its next poll (a poll interval of the engine's clock).
    await clock.advance(100)
    expect(await settled(created.id)).toMatchObject({ status: 'OUTDATED', executionStatus: 'USER_INPUT_TIMEOUT' })
  })
})
