import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestEngine, type TestEngine } from './support/harness.ts'

let engine: TestEngine
let apiKey: string
beforeAll(async () => {
  engine = await startTestEngine({ TRIBUTARY_AUTO_SYNC_INTERVAL_SECONDS: '2' })
  apiKey = await engine.apiKey()
})
afterAll(() => engine?.stop())

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function syncs(id: string): Promise<any[]> {
  return (await engine.executions(apiKey, id)).filter((e) => e.triggeredBy === 'SYNC')
}

describe('auto-sync (SPEC §2.4)', () => {
  it('re-syncs an updatable item by itself, and never a LOGIN_ERROR, 1-step MFA, 2-step MFA or disabled item', async () => {
    const create = (connectorId: number, parameters: Record<string, string>) => engine.createItem(apiKey, { connectorId, parameters })
    const healthy = await create(0, { user: 'user-ok', password: 'password-ok' })
    const outdated = await create(0, { user: 'user-unavailable', password: 'password-ok' })
    const loginError = await create(0, { user: 'user-ok', password: 'wrong' })
    const oneStep = await create(1, { user: 'user-ok', password: 'password-ok', token: '123456' })
    const disabled = await create(0, { user: 'user-ok', password: 'password-ok' })
    const twoStep = await create(2, { user: 'user-ok', password: 'password-ok' })
    await engine.waitForItem(apiKey, twoStep.id, (i) => i.status === 'WAITING_USER_INPUT')
    await engine.request('POST', `/items/${twoStep.id}/mfa`, { apiKey, body: { token: '123456' } })
    for (const item of [healthy, outdated, loginError, oneStep, disabled, twoStep]) await engine.waitForItem(apiKey, item.id)
    const disabledReply = await engine.request('PATCH', `/items/${disabled.id}/disable-auto-sync`, { apiKey })
    expect(disabledReply.body.nextAutoSyncAt).toBeNull()

    const first = await engine.waitForItem(apiKey, healthy.id)
    expect(Date.parse(first.nextAutoSyncAt)).toBeGreaterThan(Date.parse(first.lastUpdatedAt))
    for (const item of [loginError, oneStep, twoStep]) expect((await engine.waitForItem(apiKey, item.id)).nextAutoSyncAt).toBeNull()

    // Two intervals later the updatable items have run by themselves, the others have not.
    const deadline = Date.now() + 20_000
    while (Date.now() < deadline && ((await syncs(healthy.id)).length === 0 || (await syncs(outdated.id)).length === 0)) await sleep(200)
    expect((await syncs(healthy.id)).length).toBeGreaterThan(0)
    const synced = await engine.waitForItem(apiKey, healthy.id, (i) => i.status === 'UPDATED' && Date.parse(i.lastUpdatedAt) > Date.parse(first.lastUpdatedAt))
    expect(synced.executionStatus).toBe('SUCCESS')
    expect((await syncs(healthy.id)).at(-1).status).toBe('SUCCESS')
    expect((await syncs(outdated.id)).length).toBeGreaterThan(0)
    for (const item of [loginError, oneStep, twoStep, disabled]) expect(await syncs(item.id)).toEqual([])
  })

  it('never runs two executions of one item at once, and one sync per interval', async () => {
    const item = await engine.createItem(apiKey, { connectorId: 0, parameters: { user: 'user-ok', password: 'password-ok' } })
    await engine.waitForItem(apiKey, item.id)
    await sleep(5_000)
    const executions = await engine.executions(apiKey, item.id)
    // Over ~5 s with a 2 s interval (±10% jitter): about two syncs, never more than one per interval.
    const sync = executions.filter((e) => e.triggeredBy === 'SYNC')
    expect(sync.length).toBeGreaterThanOrEqual(1)
    expect(sync.length).toBeLessThanOrEqual(3)
    const running = executions.filter((e) => e.finishedAt === null)
    expect(running.length).toBeLessThanOrEqual(1)
    const starts = sync.map((e) => Date.parse(e.createdAt)).sort((a, b) => a - b)
    for (let i = 1; i < starts.length; i++) expect(starts[i] - starts[i - 1]).toBeGreaterThanOrEqual(1_500)
  })
})
