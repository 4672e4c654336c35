import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { OTHER_CLIENT } from './support/harness.ts'
import { finished, OK, startSandboxEngine, type SandboxEngine } from './support/sandbox-engine.ts'
import { WebhookReceiver } from './support/webhook-receiver.ts'

// Sandbox institution outages (docs/sandbox.md) over real HTTP with the pluggy-sdk client: a
// client puts a sandbox connector in an outage for its own items; the executions fail (or crawl)
// as at a real institution, and the connector's health and its connector/status_updated event
// follow. The engine's clock is a ManualClock: the health sweep and the slow steps happen when the
// test moves it.

const receiver = new WebhookReceiver()
let engine: SandboxEngine

beforeAll(async () => {
  await receiver.start()
  engine = await startSandboxEngine()
})

afterAll(async () => {
  await engine?.stop()
  await receiver.stop()
})

describe('institution outages', () => {
  it('OFFLINE: the client’s executions cannot reach the institution, its health goes OFFLINE with an event, other clients are unaffected', async () => {
    const { client, control, clock, connected, resync, tributary } = engine
    const hook = 'health'
    await client.createWebhook('connector/status_updated', receiver.url(hook))
    const started = await control('PUT', '/sandbox/connectors/0/outage', { mode: 'OFFLINE' })
    expect(started).toMatchObject({ status: 200, body: { connectorId: 0, mode: 'OFFLINE', delaySeconds: 0 } })
    expect((await control('GET', '/sandbox/connectors/0/outage')).body.mode).toBe('OFFLINE')

    const items = await Promise.all(Array.from({ length: 5 }, () => connected()))
    for (const item of items) expect(item).toMatchObject({ status: 'OUTDATED', executionStatus: 'CONNECTION_ERROR', error: { code: 'CONNECTION_ERROR', providerMessage: expect.any(String) } })

    await clock.advance(tributary.config.connectorHealthIntervalSeconds * 1000)
    await vi.waitFor(() => expect(receiver.at(hook).map((r) => r.body)).toContainEqual(expect.objectContaining({ event: 'connector/status_updated', connectorId: 0, data: { status: 'OFFLINE' } })), {
      timeout: 10_000,
      interval: 20,
    })
    expect((await client.fetchConnector(0)).health?.status).toBe('OFFLINE')

    const theirs = await control('POST', '/items', { connectorId: 0, parameters: OK }, OTHER_CLIENT)
    await vi.waitFor(async () => expect((await control('GET', `/items/${theirs.body.id}`, undefined, OTHER_CLIENT)).body).toMatchObject({ status: 'UPDATED', executionStatus: 'SUCCESS' }), {
      timeout: 20_000,
      interval: 20,
    })

    expect(await control('DELETE', '/sandbox/connectors/0/outage')).toEqual({ status: 200, body: { count: 1 } })
    expect((await resync(items[0].id)).executionStatus).toBe('SUCCESS')
    expect((await control('GET', '/sandbox/connectors/0/outage')).body.codeDescription).toBe('SANDBOX_OUTAGE_NOT_FOUND')
  })

  it('SITE_NOT_AVAILABLE and FAILING: every execution in maintenance; every other execution of an item failing', async () => {
    const { control, connected, resync } = engine
    await control('PUT', '/sandbox/connectors/5/outage', { mode: 'SITE_NOT_AVAILABLE' })
    expect((await connected(OK, 5)).executionStatus).toBe('SITE_NOT_AVAILABLE')
    await control('PUT', '/sandbox/connectors/5/outage', { mode: 'FAILING' })
    const item = await connected(OK, 5)
    expect(item.executionStatus).toBe('CONNECTION_ERROR')
    expect((await resync(item.id)).executionStatus).toBe('SUCCESS')
    expect((await resync(item.id)).executionStatus).toBe('CONNECTION_ERROR')
    await control('DELETE', '/sandbox/connectors/5/outage')
  })

  it('SLOW: every step takes the delay longer on the engine’s clock, and the execution still succeeds', async () => {
    const { client, control, clock, settled } = engine
    await control('PUT', '/sandbox/connectors/5/outage', { mode: 'SLOW', delaySeconds: 60 })
    const created = await client.createItem(5, OK)
    await settled(created.id, (i) => i.executionStatus === 'LOGIN_IN_PROGRESS')
    const item = await vi.waitFor(
      async () => {
        await clock.advance(60_000)
        const read = await client.fetchItem(created.id)
        expect(finished(read)).toBe(true)
        return read
      },
      { timeout: 20_000, interval: 20 },
    )
    expect(item.executionStatus).toBe('SUCCESS')
    const [execution] = (await control('GET', `/items/${created.id}/executions`)).body.results
    const login = execution.steps.find((s: any) => s.status === 'LOGIN_IN_PROGRESS')
    expect(Date.parse(login.finishedAt) - Date.parse(login.startedAt)).toBeGreaterThanOrEqual(60_000)
    await control('DELETE', '/sandbox/connectors/5/outage')
  })

  it('refuses an unknown connector and an unknown mode', async () => {
    const { control } = engine
    expect((await control('PUT', '/sandbox/connectors/999/outage', { mode: 'OFFLINE' })).body.codeDescription).toBe('CONNECTOR_NOT_FOUND')
    expect((await control('PUT', '/sandbox/connectors/0/outage', { mode: 'SLOWISH' })).body.codeDescription).toBe('VALIDATION_ERROR')
  })
})
