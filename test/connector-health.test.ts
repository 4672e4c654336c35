import http from 'node:http'
import type { AddressInfo } from 'node:net'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { refreshConnectorHealth } from '../src/engine/connector-health.ts'
import { ConnectorRegistry } from '../src/engine/connector-registry.ts'
import { verifyWebhookSignature } from '../src/events/signature.ts'
import { sandboxConnectors } from '../src/sandbox-bank/sandbox-institutions.ts'
import { clientConnections, latestConnections } from '../src/store/connector-health.ts'
import { CLIENT, OTHER_CLIENT, isFinished, startTestEngine, type TestEngine } from './support/harness.ts'

// A connector's health is measured from its recent executions by the workers' sweep: when
// SITE_NOT_AVAILABLE, CONNECTION_ERROR and ERROR outcomes dominate it turns UNSTABLE or OFFLINE,
// GET /connectors says so, and every client gets one signed `connector/status_updated`.

let engine: TestEngine
let receiver: http.Server
let receiverUrl: string
const received: { body: string; signature: string | undefined }[] = []

beforeAll(async () => {
  receiver = http.createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      received.push({ body: Buffer.concat(chunks).toString('utf8'), signature: request.headers['x-tributary-signature'] as string | undefined })
      response.writeHead(200).end()
    })
  })
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`
  engine = await startTestEngine({ TRIBUTARY_CONNECTOR_HEALTH_INTERVAL_SECONDS: '1' })
})
afterAll(async () => {
  await engine?.stop()
  await new Promise((resolve) => receiver?.close(resolve))
})

async function runItems(apiKey: string, count: number, user: string, target = engine): Promise<void> {
  const ids = await Promise.all(Array.from({ length: count }, async () => (await target.createItem(apiKey, { connectorId: 0, parameters: { user, password: 'password-ok' } })).id as string))
  for (const id of ids) await target.waitForItem(apiKey, id, isFinished)
}

/** Waits (vi.waitFor) until `until` holds for what `read` gives, and returns that value. */
function waitFor<T>(read: () => Promise<T>, until: (value: T) => boolean, what: string): Promise<T> {
  return vi.waitFor(
    async () => {
      const value = await read()
      if (!until(value)) throw new Error(`${what}: still ${JSON.stringify(value)}`)
      return value
    },
    { timeout: 30_000, interval: 100 },
  )
}

const statusEvents = () => received.map((r) => ({ ...r, json: JSON.parse(r.body) })).filter((r) => r.json.event === 'connector/status_updated')

describe('connector health', () => {
  it('turns OFFLINE when the institution stops answering, tells every client once, and comes back ONLINE', async () => {
    const apiKey = await engine.apiKey()
    const otherKey = await engine.apiKey(OTHER_CLIENT)
    const subscribed = await engine.request('POST', '/webhooks', { apiKey, body: { event: 'connector/status_updated', url: receiverUrl } })
    expect(subscribed.status, JSON.stringify(subscribed.body)).toBe(200)
    expect((await engine.request('GET', '/connectors/0', { apiKey })).body.health).toEqual({ status: 'ONLINE', stage: null })

    // Five executions that could not reach the institution (SITE_NOT_AVAILABLE): a rate of 0%.
    await runItems(apiKey, 5, 'user-unavailable')
    const offline = await waitFor(
      async () => (await engine.request('GET', '/connectors/0?healthDetails=true', { apiKey })).body.health,
      (health) => health.status === 'OFFLINE',
      'connector 0 health',
    )
    expect(offline).toEqual({ status: 'OFFLINE', stage: null, details: { connectionRateLast6Hours: 0, connectionsLast6Hours: 5 } })
    // The other client has no connections of its own, but sees the same status.
    const otherView = (await engine.request('GET', '/connectors?sandbox=true&healthDetails=true', { apiKey: otherKey })).body.results
    expect(otherView.find((c: any) => c.id === 0).health).toEqual({ status: 'OFFLINE', stage: null, details: { connectionRateLast6Hours: null, connectionsLast6Hours: 0 } })
    expect(otherView.find((c: any) => c.id === 1).health.status).toBe('ONLINE')

    const [event] = await waitFor(
      async () => statusEvents(),
      (events) => events.length >= 1,
      'connector/status_updated webhook',
    )
    expect(event.json).toMatchObject({ event: 'connector/status_updated', connectorId: 0, data: { status: 'OFFLINE' } })
    expect(event.json.eventId).toBe(event.json.id)
    expect(verifyWebhookSignature(event.body, event.signature, CLIENT.clientSecret)).toBe(true)
    // Every client gets the event (the other one can read it from its own event log).
    const otherEvents = (await engine.request('GET', '/events', { apiKey: otherKey })).body.results
    expect(otherEvents.filter((e: any) => e.type === 'connector/status_updated' || e.event === 'connector/status_updated')).toHaveLength(1)

    // Twenty successful syncs: 20 of the last 25 reached the institution (80%): ONLINE again.
    await runItems(apiKey, 20, 'user-ok')
    await waitFor(
      async () => (await engine.request('GET', '/connectors/0', { apiKey })).body.health.status,
      (status) => status === 'ONLINE',
      'connector 0 health',
    )
    await waitFor(
      async () => statusEvents().at(-1)?.json.data.status,
      (status) => status === 'ONLINE',
      'connector/status_updated ONLINE',
    )
    // A status is announced when it changes, not once per pass (a pass while the syncs were
    // finishing may have seen UNSTABLE in between): more passes of the sweep over the same
    // executions save and announce nothing, and settle() returns once every announcement was delivered.
    const connectors = new ConnectorRegistry(sandboxConnectors({ delayMs: 0, publicUrl: () => engine.tributary.url ?? '' }))
    const sweep = { db: engine.tributary.db, connectors, clock: engine.clock, logger: pino({ level: 'silent' }) }
    for (let pass = 0; pass < 3; pass++) expect(await refreshConnectorHealth(sweep), 'health changes saved by one more sweep pass').toBe(0)
    await engine.settle()
    const announced = statusEvents().map((e) => e.json.data.status)
    expect(announced[0]).toBe('OFFLINE')
    expect(announced.at(-1)).toBe('ONLINE')
    expect(announced.length).toBeLessThanOrEqual(3)
    for (let i = 1; i < announced.length; i++) expect(announced[i]).not.toBe(announced[i - 1])
    expect(new Set(statusEvents().map((e) => e.json.connectorId))).toEqual(new Set([0]))
    // The item shows its connector's health too.
    const [item] = (await engine.request('GET', '/items', { apiKey })).body.results
    expect(item.connector.health.status).toBe('ONLINE')
  })
})

// An engine of its own: the executions counted here are this block's only, and they do not move the
// health the block above watches.
describe('connector health, measured', () => {
  let own: TestEngine
  beforeAll(async () => {
    own = await startTestEngine()
  })
  afterAll(() => own?.stop())

  it('the sweep reads each connector’s latest executions only; a client’s details count all of its own in the window', async () => {
    const apiKey = await own.apiKey(OTHER_CLIENT)
    await runItems(apiKey, 3, 'user-unavailable', own)
    await runItems(apiKey, 4, 'user-ok', own)
    const db = own.tributary.db.pool
    const since = new Date(Date.now() - 60 * 60 * 1000)

    // The latest four of connector 0 (of every client) are the four that reached the institution.
    expect(await latestConnections(db, [0, 1], since, 4)).toEqual([{ connectorId: 0, connections: 4, healthy: 4 }])
    expect(await latestConnections(db, [0], since, 6)).toEqual([{ connectorId: 0, connections: 6, healthy: 4 }])
    // Nothing finished after `since`: nothing measured.
    expect(await latestConnections(db, [0], new Date(Date.now() + 60_000), 50)).toEqual([])
    expect(await clientConnections(db, OTHER_CLIENT.clientId, since)).toEqual([{ connectorId: 0, connections: 7, healthy: 4 }])
  })
})
