import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { defineConnector } from '../src/connectors/sdk/index.ts'
import { USER_WAIT_EXECUTION_STATUSES } from '../src/domain/statuses.ts'
import { EVENT_TYPES } from '../src/events/item-events.ts'
import { verifyWebhookSignature } from '../src/events/signature.ts'
import { DELIVERY_TIMEOUT_MS } from '../src/events/webhook-sender.ts'
import { TASKS } from '../src/store/queue.ts'
import { countRunnableWork } from '../src/store/runnable-work.ts'
import { ManualClock } from '../src/time/manual-clock.ts'
import { CLIENT, OTHER_CLIENT, isFinished, isWaiting, startTestEngine, type Reply, type TestEngine } from './support/harness.ts'
import { PolicyReceiver, type Received } from './support/policy-receiver.ts'

// SPEC §3.5 (webhooks: subscriptions, payloads, signing, retries, ordering, outbox) and §4a.8–§4a.9,
// against a real HTTP receiver on 127.0.0.1 (support/policy-receiver.ts).

const OK = { user: 'user-ok', password: 'password-ok' }
const WAIT_MS = 30_000
const LONG_WAIT_MS = 45_000
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/**
 * The engine env of this file: retries 1 s apart, at most 3 attempts. The tests that wait for
 * retries or the delivery timeout run their engines on a ManualClock (see untilOnClock).
 */
const ENV = { TRIBUTARY_WEBHOOK_RETRY_BASE_SECONDS: '1', TRIBUTARY_WEBHOOK_MAX_ATTEMPTS: '3' }
/** With 1 s retries the sender's periodic pass (its durable fallback) runs every 500 ms of the clock: a step of 1 s passes at least one. */
const PERIODIC_STEP_MS = 1_000
/** Event types that go to webhooks (GET /events may also list internal ones, e.g. item/status). */
const WEBHOOK_EVENTS = new Set<string>(EVENT_TYPES)
const isItemEvent = (type: string) => type.startsWith('item/')

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/** Waits (vi.waitFor) until `check` gives a truthy value, and returns it; a timeout names `what` and the last value. */
function until<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = WAIT_MS): Promise<T> {
  return vi.waitFor(
    async () => {
      const value = await check()
      if (!value) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(value)}`)
      return value
    },
    { timeout: timeoutMs, interval: 50 },
  )
}

/** An engine on a ManualClock, and the receiver it sends to. */
interface ClockedEngine {
  engine: TestEngine
  clock: ManualClock
  receiver: PolicyReceiver
}

/**
 * The engine waits on its clock: no execution runs, and either no delivery is due and no pass is
 * under way, or its delivery pass waits for an answer the receiver holds (the delivery timeout, a
 * timer of the clock). Queue jobs are left out: a deliver-webhooks job only wakes a pass for
 * deliveries that count as due, and one a stopped engine left taken is never run again.
 */
async function waitsOnClock({ engine, receiver }: ClockedEngine): Promise<boolean> {
  const { tributary } = engine
  const quiet = async () => {
    const work = await countRunnableWork(tributary.db.pool, tributary.clock.now(), USER_WAIT_EXECUTION_STATUSES, TASKS.runExecution)
    if (work.executions > 0 || tributary.scheduler.busy) return false
    if (receiver.holding > 0) return true
    return !tributary.webhooks.busy && work.deliveries === 0
  }
  // Twice, a turn of the event loop apart (as settle() does): a pass may be about to start.
  if (!(await quiet())) return false
  await new Promise((resolve) => setImmediate(resolve))
  return quiet()
}

/**
 * `until` on an engine whose clock is a ManualClock: each time `check` fails while the engine
 * waits on its clock, moves the clock to the engine's next timer (a retry's pass, a delivery
 * timeout) — or, when only periodic passes are pending, one step further, so the periodic pass
 * runs. Retries then come at once and in their order, however busy the machine.
 */
function untilOnClock<T>(on: ClockedEngine, what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = WAIT_MS): Promise<T> {
  return vi.waitFor(
    async () => {
      // Read before the check: an engine that waits on its clock cannot change what the check sees.
      const waiting = await waitsOnClock(on)
      const value = await check()
      if (value) return value
      if (waiting) await on.clock.advanceTo(on.clock.nextTimeoutAt() ?? new Date(on.clock.now().getTime() + PERIODIC_STEP_MS))
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(value)}`)
    },
    { timeout: timeoutMs, interval: 20 },
  )
}

function expectError(reply: Reply, status: number, codeDescription?: string) {
  expect(reply.status, JSON.stringify(reply.body)).toBe(status)
  expect(reply.body).toMatchObject({ code: status, ...(codeDescription ? { codeDescription } : {}) })
  expect(reply.body.message).toMatch(/\w+ \w+/)
}

/** Deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

let pathCounter = 0
/** A fresh receiver path per use, so tests never see each other's requests. */
const freshPath = (name: string) => `/${name}-${++pathCounter}`

/** A connector whose login blocks until the execution is cancelled: its items stay UPDATING. */
const BLOCKING_CONNECTOR = defineConnector({
  id: 9001,
  name: 'Blocking Bank (webhook tests)',
  type: 'PERSONAL_BANK',
  country: 'BR',
  hasMFA: false,
  credentials: [{ name: 'user', label: 'User', type: 'text' }],
  products: ['ACCOUNTS'],
  async login(ctx) {
    await ctx.sleep(10 * 60_000)
  },
  async fetchAccounts() {
    return []
  },
})

// ---------------------------------------------------------------------------------------------

let engine: TestEngine
let apiKey: string
let otherKey: string
const receiver = new PolicyReceiver()

beforeAll(async () => {
  await receiver.start()
  engine = await startTestEngine(ENV, { connectors: [BLOCKING_CONNECTOR] })
  apiKey = await engine.apiKey()
  otherKey = await engine.apiKey(OTHER_CLIENT)
})
afterAll(async () => {
  await engine?.stop()
  await receiver.stop()
})
// Each test subscribes what it needs; leftovers would receive later tests' events.
afterEach(() => unsubscribeAll(engine, [apiKey, otherKey]))

async function unsubscribeAll(target: TestEngine | undefined, keys: string[]): Promise<void> {
  if (!target) return
  for (const key of keys) {
    const list = await target.request('GET', '/webhooks', { apiKey: key })
    for (const webhook of list.body?.results ?? []) await target.request('DELETE', `/webhooks/${webhook.id}`, { apiKey: key })
  }
}

/** Subscribes the test client (of this file's shared engine, unless `on` names another). */
async function subscribe(event: string, url: string, headers?: Record<string, string>, on: { engine: TestEngine; apiKey: string } = { engine, apiKey }): Promise<any> {
  const reply = await on.engine.request('POST', '/webhooks', { apiKey: on.apiKey, body: { event, url, ...(headers ? { headers } : {}) } })
  expect(reply.status, JSON.stringify(reply.body)).toBe(200)
  return reply.body
}

/** Every event of an item through GET /events, following `next`. */
async function eventsOf(target: TestEngine, key: string, itemId: string): Promise<any[]> {
  const all: any[] = []
  let after: string | null = null
  for (let page = 0; page < 100; page++) {
    const reply: Reply = await target.request('GET', `/events?itemId=${itemId}&pageSize=500${after ? `&after=${after}` : ''}`, { apiKey: key })
    expect(reply.status, JSON.stringify(reply.body)).toBe(200)
    all.push(...reply.body.results)
    if (reply.body.results.length === 0) break
    after = reply.body.next
  }
  return all
}

/** The events of an item that webhooks carry, in emission order. */
async function webhookEventsOf(target: TestEngine, key: string, itemId: string): Promise<any[]> {
  return (await eventsOf(target, key, itemId)).filter((e) => WEBHOOK_EVENTS.has(e.event))
}

async function deliveriesOf(target: TestEngine, key: string, query: string): Promise<any[]> {
  const reply = await target.request('GET', `/webhook-deliveries?pageSize=500&${query}`, { apiKey: key })
  expect(reply.status, JSON.stringify(reply.body)).toBe(200)
  return reply.body.results
}

/** Checks one received webhook request against SPEC §3.5. */
function expectValidDelivery(request: Received, expected: { itemId: string; clientUserId: string | null; triggeredBy?: string; headers?: Record<string, string> }) {
  expect(request.method).toBe('POST')
  expect(String(request.headers['content-type']).split(';')[0].trim()).toBe('application/json')
  const signature = request.headers['x-tributary-signature']
  expect(typeof signature, 'X-Tributary-Signature header').toBe('string')
  expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/)
  expect(verifyWebhookSignature(request.body, signature as string, CLIENT.clientSecret, 300), 'signature verifies over the raw body with the clientSecret').toBe(true)
  expect(verifyWebhookSignature(request.body, signature as string, OTHER_CLIENT.clientSecret, 300)).toBe(false)
  for (const [name, value] of Object.entries(expected.headers ?? {})) expect(request.headers[name.toLowerCase()], `custom header ${name}`).toBe(value)
  const payload = request.json
  expect(payload).toMatchObject({ itemId: expected.itemId, triggeredBy: expected.triggeredBy ?? 'CLIENT', clientUserId: expected.clientUserId })
  expect(payload.event).toEqual(expect.any(String))
  expect(payload.eventId).toMatch(UUID)
  expect(payload.id).toBe(payload.eventId)
}

// ---------------------------------------------------------------------------------------------

describe('what arrives at a webhook (SPEC §3.5)', () => {
  it('a first no-MFA execution: item/login_succeeded, then item/created once it finished connecting — signed, with custom headers and the documented payload', async () => {
    const hook = freshPath('all-no-mfa')
    const headers = { 'X-Custom-Token': 'secret-token-123', 'X-Tenant': 'acme' }
    const webhook = await subscribe('all', receiver.url(hook), headers)
    expect(webhook.event).toBe('all')

    const created = await engine.createItem(apiKey, { connectorId: 0, parameters: OK, clientUserId: 'user-42' })
    const item = await engine.waitForItem(apiKey, created.id)
    expect(item.status).toBe('UPDATED')

    const arrived = await until('item/created at the webhook', () => {
      const acked = receiver.acked(hook, created.id)
      return acked.some((r) => r.json.event === 'item/created') && acked
    })
    const itemEvents = arrived.filter((r) => isItemEvent(r.json.event))
    // SPEC §7.1: item/created when the item first finishes connecting successfully — not at creation, and instead of item/updated.
    expect(itemEvents.map((r) => r.json.event)).toEqual(['item/login_succeeded', 'item/created'])
    for (const request of receiver.at(hook, created.id)) {
      expectValidDelivery(request, { itemId: created.id, clientUserId: 'user-42', headers })
    }
    for (const request of itemEvents) expect(request.json.error).toBeUndefined()

    // The same events, with the same ids and in the same order, as GET /events lists them.
    const listed = (await webhookEventsOf(engine, apiKey, created.id)).filter((e) => isItemEvent(e.event))
    expect(listed.map((e) => e.eventId)).toEqual(itemEvents.map((r) => r.json.eventId))
  })

  it('2-step MFA (connector 2): item/waiting_user_input, item/login_succeeded, item/created; a later execution sends item/updated', async () => {
    const hook = freshPath('all-mfa')
    await subscribe('all', receiver.url(hook))
    const created = await engine.createItem(apiKey, { connectorId: 2, parameters: OK })
    await engine.waitForItem(apiKey, created.id, isWaiting)
    // The pause itself is announced before the value is sent.
    await until('item/waiting_user_input at the webhook', () => receiver.acked(hook, created.id).some((r) => r.json.event === 'item/waiting_user_input'))
    const mfa = await engine.request('POST', `/items/${created.id}/mfa`, { apiKey, body: { token: '123456' } })
    expect(mfa.status, JSON.stringify(mfa.body)).toBe(200)
    expect((await engine.waitForItem(apiKey, created.id)).executionStatus).toBe('SUCCESS')

    const arrived = await until('item/created at the webhook', () => {
      const acked = receiver.acked(hook, created.id)
      return acked.some((r) => r.json.event === 'item/created') && acked
    })
    expect(arrived.filter((r) => isItemEvent(r.json.event)).map((r) => r.json.event)).toEqual(['item/waiting_user_input', 'item/login_succeeded', 'item/created'])

    // A second execution of the connected item is an update: item/updated, and item/created never again.
    expect((await engine.request('PATCH', `/items/${created.id}`, { apiKey, body: {} })).status).toBe(200)
    await engine.waitForItem(apiKey, created.id, isWaiting)
    expect((await engine.request('POST', `/items/${created.id}/mfa`, { apiKey, body: { token: '123456' } })).status).toBe(200)
    expect((await engine.waitForItem(apiKey, created.id)).executionStatus).toBe('SUCCESS')
    const again = await until('item/updated at the webhook', () => {
      const acked = receiver.acked(hook, created.id)
      return acked.some((r) => r.json.event === 'item/updated') && acked
    })
    expect(again.filter((r) => isItemEvent(r.json.event)).map((r) => r.json.event)).toEqual([
      'item/waiting_user_input',
      'item/login_succeeded',
      'item/created',
      'item/waiting_user_input',
      'item/login_succeeded',
      'item/updated',
    ])
    for (const request of receiver.at(hook, created.id)) expectValidDelivery(request, { itemId: created.id, clientUserId: null })
  })

  it('a failing first execution (user-locked): item/error with error { code: ACCOUNT_LOCKED, message }, and no item/created', async () => {
    const hook = freshPath('all-locked')
    await subscribe('all', receiver.url(hook))
    const created = await engine.createItem(apiKey, { connectorId: 0, parameters: { user: 'user-locked', password: 'password-ok' } })
    const item = await engine.waitForItem(apiKey, created.id)
    expect([item.status, item.executionStatus]).toEqual(['LOGIN_ERROR', 'ACCOUNT_LOCKED'])

    const arrived = await until('item/error at the webhook', () => {
      const acked = receiver.acked(hook, created.id)
      return acked.some((r) => r.json.event === 'item/error') && acked
    })
    expect(arrived.filter((r) => isItemEvent(r.json.event)).map((r) => r.json.event)).toEqual(['item/error'])
    const error = arrived.find((r) => r.json.event === 'item/error')!
    expectValidDelivery(error, { itemId: created.id, clientUserId: null })
    expect(error.json.error).toEqual({ code: 'ACCOUNT_LOCKED', message: expect.stringMatching(/\w+ \w+/) })
    expect(error.json.error.message).toBe(item.error.message)
  })

  it('subscriptions: one event gets only that event; the item’s webhookUrl gets every event of the item (item/deleted too); a disabled webhook gets nothing', async () => {
    const onlyCreated = freshPath('only-created')
    const own = freshPath('item-own')
    const disabledPath = freshPath('disabled')
    const itemAll = freshPath('item-all')
    await subscribe('item/created', receiver.url(onlyCreated))
    // The reference's item/all: every item/* event, nothing else.
    await subscribe('item/all', receiver.url(itemAll))
    // Subscribable though nothing here emits it yet (the WAITING_USER_ACTION status does).
    expect((await subscribe('item/waiting_user_action', receiver.url(freshPath('waiting-action')))).event).toBe('item/waiting_user_action')
    const disabled = await subscribe('all', receiver.url(disabledPath))
    const patched = await engine.request('PATCH', `/webhooks/${disabled.id}`, { apiKey, body: { enabled: false } })
    expect(patched.status, JSON.stringify(patched.body)).toBe(200)
    expect(Date.parse(patched.body.disabledAt)).not.toBeNaN()

    const created = await engine.createItem(apiKey, { connectorId: 0, parameters: OK, webhookUrl: receiver.url(own) })
    expect(created.webhookUrl).toBe(receiver.url(own))
    await engine.waitForItem(apiKey, created.id)

    await until(
      'item/created at both targets',
      () => receiver.acked(own, created.id).some((r) => r.json.event === 'item/created') && receiver.acked(onlyCreated, created.id).some((r) => r.json.event === 'item/created'),
    )
    expect(receiver.acked(onlyCreated, created.id).map((r) => r.json.event)).toEqual(['item/created'])
    await until('item/created at item/all', () => receiver.acked(itemAll, created.id).some((r) => r.json.event === 'item/created'))
    expect(receiver.acked(itemAll, created.id).map((r) => r.json.event)).toEqual(['item/login_succeeded', 'item/created'])
    expect(receiver.at(onlyCreated).every((r) => r.json.event === 'item/created')).toBe(true)
    expect(
      receiver
        .acked(own, created.id)
        .filter((r) => isItemEvent(r.json.event))
        .map((r) => r.json.event),
    ).toEqual(['item/login_succeeded', 'item/created'])
    for (const request of receiver.at(own, created.id)) expectValidDelivery(request, { itemId: created.id, clientUserId: null })
    // Every event of the item GET /events lists (transactions/* included) reached its webhookUrl.
    const listed = await webhookEventsOf(engine, apiKey, created.id)
    await until('every event of the item at its webhookUrl', () => receiver.acked(own, created.id).length >= listed.length)
    expect(receiver.acked(own, created.id).map((r) => r.json.eventId)).toEqual(listed.map((e) => e.eventId))

    // SPEC §4a.9: item/deleted goes to the registered webhooks and to the item's webhookUrl.
    const allHook = freshPath('all-deleted')
    await subscribe('all', receiver.url(allHook))
    const deleted = await engine.request('DELETE', `/items/${created.id}`, { apiKey })
    expect(deleted.body).toEqual({ count: 1 })
    await until(
      'item/deleted at the item webhookUrl and the "all" webhook',
      () => receiver.acked(own, created.id).some((r) => r.json.event === 'item/deleted') && receiver.acked(allHook, created.id).some((r) => r.json.event === 'item/deleted'),
    )
    for (const request of [...receiver.at(own, created.id), ...receiver.at(allHook, created.id)].filter((r) => r.json.event === 'item/deleted')) {
      expectValidDelivery(request, { itemId: created.id, clientUserId: null })
    }
    expect(receiver.acked(own, created.id).at(-1)!.json.event).toBe('item/deleted')

    // The disabled webhook got nothing, and no delivery was even planned for it.
    expect(receiver.at(disabledPath)).toEqual([])
    expect((await deliveriesOf(engine, apiKey, '')).filter((d) => d.url === receiver.url(disabledPath))).toEqual([])
  })
})

describe('headers the engine owns', () => {
  it('custom headers cannot replace Content-Type or forge X-Tributary-Signature', async () => {
    const hook = freshPath('forge')
    const reply = await engine.request('POST', '/webhooks', {
      apiKey,
      body: { event: 'item/created', url: receiver.url(hook), headers: { 'content-type': 'text/plain', 'X-Tributary-Signature': 't=1,v1=forged', 'X-Kept': 'yes' } },
    })
    // Refusing such headers would be fine too; accepting them must not let them win.
    if (reply.status !== 200) {
      expectError(reply, 400)
      return
    }
    const created = await engine.createItem(apiKey, { connectorId: 0, parameters: OK })
    const [request] = await until('item/created at the webhook', () => receiver.acked(hook, created.id).length > 0 && receiver.acked(hook, created.id))
    expectValidDelivery(request, { itemId: created.id, clientUserId: null, headers: { 'X-Kept': 'yes' } })
  })
})

describe('retries and ordering (SPEC §3.5, §4a.8)', () => {
  // An engine of their own on a ManualClock: retries and the 10 s delivery timeout happen when the
  // test moves time, once the engine waits on it (untilOnClock). Its receiver holds a delayed
  // answer on the same clock.
  const clock = new ManualClock()
  const rx = new PolicyReceiver(clock)
  let timed: ClockedEngine
  let key: string
  let otherClientKey: string
  const on = () => ({ engine: timed.engine, apiKey: key })

  beforeAll(async () => {
    await rx.start()
    timed = { engine: await startTestEngine(ENV, { clock }), clock, receiver: rx }
    key = await timed.engine.apiKey()
    otherClientKey = await timed.engine.apiKey(OTHER_CLIENT)
  })
  afterAll(async () => {
    await timed?.engine.stop()
    await rx.stop()
  })
  afterEach(() => unsubscribeAll(timed?.engine, [key, otherClientKey]))

  it('500 to the first two attempts of each event, then 200: everything arrives, per item in order; the log shows DELIVERED after 3 attempts', async () => {
    const { engine } = timed
    const hook = freshPath('flaky')
    rx.setPolicy(hook, (r) => (r.attempt <= 2 ? 500 : 200))
    await subscribe('all', rx.url(hook), undefined, on())
    const items = await Promise.all([0, 1].map(() => engine.createItem(key, { connectorId: 0, parameters: OK })))
    for (const item of items) await engine.waitForItem(key, item.id)

    for (const item of items) {
      const emitted = await webhookEventsOf(engine, key, item.id)
      const acked = await untilOnClock(timed, `every event of ${item.id} acknowledged`, () => {
        const got = rx.acked(hook, item.id)
        return got.length >= emitted.length && got
      })
      // In order of first successful receipt, exactly the emission order.
      expect(acked.map((r) => r.json.eventId)).toEqual(emitted.map((e) => e.eventId))
      expect(acked.filter((r) => isItemEvent(r.json.event)).map((r) => r.json.event)).toEqual(['item/login_succeeded', 'item/created'])
      for (const r of rx.at(hook, item.id)) expectValidDelivery(r, { itemId: item.id, clientUserId: null })
      // Each event was tried three times: two 500s, then the 200.
      for (const event of emitted) {
        const attempts = rx.at(hook, item.id).filter((r) => r.json.eventId === event.eventId)
        expect(attempts.map((r) => r.status).slice(0, 3)).toEqual([500, 500, 200])
      }
      const log = await untilOnClock(timed, `the delivery log of ${item.id} settled`, async () => {
        const rows = (await deliveriesOf(engine, key, `itemId=${item.id}`)).filter((d) => d.url === rx.url(hook))
        return rows.length === emitted.length && rows.every((d) => d.status !== 'PENDING') && rows
      })
      for (const delivery of log) {
        expect(delivery).toMatchObject({ status: 'DELIVERED', attempts: 3, lastResponseCode: 200, itemId: item.id })
        expect(Date.parse(delivery.deliveredAt)).not.toBeNaN()
      }
      expect(new Set(log.map((d) => d.eventId))).toEqual(new Set(emitted.map((e) => e.eventId)))
    }
  })

  it('per-item order holds while the receiver fails at random (~40% 500s) across 5 items created at once', async () => {
    const { engine } = timed
    const hook = freshPath('random')
    const random = prng(20260102)
    rx.setPolicy(hook, () => (random() < 0.4 ? 500 : 200))
    await subscribe('all', rx.url(hook), undefined, on())
    const items = await Promise.all([0, 1, 2, 3, 4].map((i) => engine.createItem(key, { connectorId: 0, parameters: OK, clientUserId: `random-${i}` })))
    for (const item of items) await engine.waitForItem(key, item.id)

    for (const [i, item] of items.entries()) {
      const emitted = await webhookEventsOf(engine, key, item.id)
      // Settled: each event's delivery is DELIVERED, or FAILED after 3 attempts (3 × 500 in a row).
      const log = await untilOnClock(timed, `the deliveries of ${item.id} to settle`, async () => {
        const rows = (await deliveriesOf(engine, key, `itemId=${item.id}`)).filter((d) => d.url === rx.url(hook))
        return rows.length === emitted.length && rows.every((d) => d.status !== 'PENDING') && rows
      })
      const acked = rx.acked(hook, item.id).map((r) => r.json.eventId)
      const order = emitted.map((e) => e.eventId)
      // The acknowledged events, in order of acknowledgement, are in emission order.
      const positions = acked.map((id) => order.indexOf(id))
      expect(positions.every((p) => p >= 0)).toBe(true)
      expect(positions, `acknowledged out of order for item ${i}`).toEqual([...positions].sort((a, b) => a - b))
      // What the log calls DELIVERED is exactly what the receiver acknowledged.
      expect(new Set(log.filter((d) => d.status === 'DELIVERED').map((d) => d.eventId))).toEqual(new Set(acked))
      for (const d of log.filter((d) => d.status === 'FAILED')) expect(d).toMatchObject({ attempts: 3, lastResponseCode: 500 })
      for (const r of rx.at(hook, item.id)) expectValidDelivery(r, { itemId: item.id, clientUserId: `random-${i}` })
    }
  })

  it('a receiver that never answers 2xx: FAILED after 3 attempts, kept in the log; POST /webhook-deliveries/{id}/retry delivers it again', async () => {
    const { engine } = timed
    const hook = freshPath('dead')
    let healthy = false
    rx.setPolicy(hook, () => (healthy ? 200 : 503))
    await subscribe('item/created', rx.url(hook), undefined, on())
    const created = await engine.createItem(key, { connectorId: 0, parameters: OK })

    const failed = await untilOnClock(timed, 'the delivery to be FAILED', async () => (await deliveriesOf(engine, key, `status=FAILED&itemId=${created.id}`)).find((d) => d.url === rx.url(hook)))
    expect(failed).toMatchObject({ event: 'item/created', itemId: created.id, status: 'FAILED', attempts: 3, lastResponseCode: 503, nextAttemptAt: null, deliveredAt: null })
    expect(failed.lastError).toEqual(expect.any(String))
    expect(failed.lastError.length).toBeGreaterThan(0)
    expect(failed.id).toMatch(UUID)
    // Listed under status=FAILED without the item filter too.
    expect((await deliveriesOf(engine, key, 'status=FAILED')).map((d) => d.id)).toContain(failed.id)
    expect(rx.at(hook, created.id).map((r) => r.status)).toEqual([503, 503, 503])

    // Another client cannot retry it; an unknown id is 404.
    expectError(await engine.request('POST', `/webhook-deliveries/${failed.id}/retry`, { apiKey: otherClientKey }), 404)
    expectError(await engine.request('POST', `/webhook-deliveries/00000000-0000-4000-8000-000000000000/retry`, { apiKey: key }), 404)

    // The retry is due at once: the clock stays where it is from here on.
    healthy = true
    const retry = await engine.request('POST', `/webhook-deliveries/${failed.id}/retry`, { apiKey: key })
    expect(retry.status, JSON.stringify(retry.body)).toBe(200)
    const redelivered = await until('the retried delivery at the receiver', () => rx.at(hook, created.id).find((r) => r.status === 200))
    expect(redelivered.json.eventId).toBe(failed.eventId)
    expectValidDelivery(redelivered, { itemId: created.id, clientUserId: null })
    const after = await until('the log to show DELIVERED', async () => (await deliveriesOf(engine, key, `itemId=${created.id}`)).find((d) => d.id === failed.id && d.status === 'DELIVERED'))
    expect(after).toMatchObject({ status: 'DELIVERED', lastResponseCode: 200, lastError: null })
    expect(Date.parse(after.deliveredAt)).not.toBeNaN()
  })

  it('an answer later than 10 s is not a delivery: the event is sent again (at-least-once)', async () => {
    const { engine } = timed
    const hook = freshPath('slow')
    // The first answer is held 12 s of the engine's clock: the clock moves on only while the sender waits for it.
    rx.setPolicy(hook, (r) => (r.attempt === 1 ? { status: 200, delayMs: 12_000 } : 200))
    await subscribe('item/created', rx.url(hook), undefined, on())
    const created = await engine.createItem(key, { connectorId: 0, parameters: OK })
    const delivered = await untilOnClock(timed, 'the delivery to be DELIVERED', async () =>
      (await deliveriesOf(engine, key, `itemId=${created.id}`)).find((d) => d.url === rx.url(hook) && d.status === 'DELIVERED'),
    )
    expect(delivered).toMatchObject({ event: 'item/created', attempts: 2, lastResponseCode: 200 })
    const requests = rx.at(hook, created.id)
    expect(requests).toHaveLength(2)
    expect(requests[0].json.eventId).toBe(requests[1].json.eventId)
    for (const r of requests) expectValidDelivery(r, { itemId: created.id, clientUserId: null })
  })

  it('a redirect answer (302 with Location) is not followed and counts as a failed attempt', async () => {
    const { engine } = timed
    const hook = freshPath('redirect')
    const landing = freshPath('landing')
    rx.setPolicy(hook, () => ({ status: 302, headers: { location: rx.url(landing) } }))
    await subscribe('item/created', rx.url(hook), undefined, on())
    const created = await engine.createItem(key, { connectorId: 0, parameters: OK })

    const failed = await untilOnClock(timed, 'the redirected delivery to be FAILED', async () =>
      (await deliveriesOf(engine, key, `status=FAILED&itemId=${created.id}`)).find((d) => d.url === rx.url(hook)),
    )
    expect(failed).toMatchObject({ status: 'FAILED', attempts: 3, lastResponseCode: 302 })
    expect(failed.lastError).toEqual(expect.any(String))
    expect(rx.at(hook, created.id).map((r) => r.status)).toEqual([302, 302, 302])
    expect(rx.at(landing)).toEqual([])
  })
})

// Right after the retry tests: this engine starts on the database the retry tests' engine hands back.
describe('TRIBUTARY_WEBHOOK_ALLOW_PRIVATE=false (SPEC §4a.8)', () => {
  let strict: TestEngine
  let strictKey: string
  beforeAll(async () => {
    strict = await startTestEngine({ ...ENV, TRIBUTARY_WEBHOOK_ALLOW_PRIVATE: 'false' })
    strictKey = await strict.apiKey()
  })
  afterAll(() => strict?.stop())

  it('loopback, private, link-local (metadata) and names resolving to them → 400 WEBHOOK_URL_INVALID', async () => {
    for (const url of ['http://127.0.0.1/x', 'http://169.254.169.254/latest', 'http://10.0.0.1/', 'http://192.168.1.1/', 'http://localhost/', 'http://[::1]/', 'http://172.16.0.1/']) {
      expectError(await strict.request('POST', '/webhooks', { apiKey: strictKey, body: { event: 'all', url } }), 400, 'WEBHOOK_URL_INVALID')
    }
    // A public address is accepted, and cannot then be moved to a private one.
    const ok = await strict.request('POST', '/webhooks', { apiKey: strictKey, body: { event: 'all', url: 'http://8.8.8.8/hook' } })
    expect(ok.status, JSON.stringify(ok.body)).toBe(200)
    expectError(await strict.request('PATCH', `/webhooks/${ok.body.id}`, { apiKey: strictKey, body: { url: 'http://169.254.169.254/latest' } }), 400, 'WEBHOOK_URL_INVALID')
    expect((await strict.request('DELETE', `/webhooks/${ok.body.id}`, { apiKey: strictKey })).body).toEqual({ count: 1 })
  })

  it('an item webhookUrl on a private address is refused too', async () => {
    const reply = await strict.request('POST', '/items', { apiKey: strictKey, body: { connectorId: 0, parameters: OK, webhookUrl: 'http://169.254.169.254/latest' } })
    expectError(reply, 400)
    if (reply.status === 200) await strict.request('DELETE', `/items/${reply.body.id}`, { apiKey: strictKey })
  })

  it('nothing is ever sent to a private address, even through an item’s webhookUrl', async () => {
    const hook = freshPath('strict-own')
    const reply = await strict.request('POST', '/items', { apiKey: strictKey, body: { connectorId: 0, parameters: OK, webhookUrl: receiver.url(hook) } })
    if (reply.status === 200) {
      await strict.waitForItem(strictKey, reply.body.id, isFinished)
      // If the url was stored, its deliveries must fail without a request.
      await until(
        'the item’s deliveries to settle',
        async () => {
          const rows = (await deliveriesOf(strict, strictKey, `itemId=${reply.body.id}`)).filter((d) => d.url === receiver.url(hook))
          return rows.length > 0 && rows.every((d) => d.status === 'FAILED') && rows
        },
        LONG_WAIT_MS,
      )
    } else {
      expectError(reply, 400)
    }
    expect(receiver.at(hook)).toEqual([])
  }, 120_000)
})

describe('the outbox (SPEC §3.5: an event is written with the change it reports)', () => {
  // The restart tests run both engines on ManualClocks, the second's starting where the first's
  // stopped: the retries left by the first are due on the second once the test moves its clock.
  it('stopping the engine between the state change and the delivery loses nothing', { timeout: 180_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-webhooks-'))
    const down = new PolicyReceiver()
    const engines: TestEngine[] = []
    try {
      // Reserve a port, then close it: deliveries are refused until the receiver comes back.
      await down.start()
      const port = down.port
      await down.stop()
      const hook = '/crash'
      const url = `http://127.0.0.1:${port}${hook}`
      // Same env for both engines; 10 attempts so that the deliveries cannot fail for good before the restart.
      const env = { ...ENV, TRIBUTARY_WEBHOOK_MAX_ATTEMPTS: '10', TRIBUTARY_DATA_DIR: dir }

      const firstClock = new ManualClock()
      const first = await startTestEngine(env, { clock: firstClock })
      engines.push(first)
      const firstKey = await first.apiKey()
      expect((await first.request('POST', '/webhooks', { apiKey: firstKey, body: { event: 'all', url } })).status).toBe(200)
      const created = await first.createItem(firstKey, { connectorId: 0, parameters: OK, clientUserId: 'crash-user' })
      expect((await first.waitForItem(firstKey, created.id)).status).toBe('UPDATED')
      const emitted = await webhookEventsOf(first, firstKey, created.id)
      expect(emitted.filter((e) => isItemEvent(e.event)).map((e) => e.event)).toEqual(['item/login_succeeded', 'item/created'])
      const before = await deliveriesOf(first, firstKey, `itemId=${created.id}`)
      expect(before.filter((d) => d.status === 'DELIVERED')).toEqual([])
      await first.stop()

      await down.start(port)
      const secondClock = new ManualClock(firstClock.now())
      const second = await startTestEngine(env, { clock: secondClock })
      engines.push(second)
      const acked = await untilOnClock(
        { engine: second, clock: secondClock, receiver: down },
        'the events at the receiver after the restart',
        () => {
          const got = down.acked(hook, created.id)
          return got.length >= emitted.length && got
        },
        LONG_WAIT_MS,
      )
      expect(acked.map((r) => r.json.eventId)).toEqual(emitted.map((e) => e.eventId))
      for (const r of down.at(hook, created.id)) expectValidDelivery(r, { itemId: created.id, clientUserId: 'crash-user' })
    } finally {
      for (const e of engines) await e.stop().catch(() => {})
      await down.stop()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it('stopping the engine while a delivery attempt is in flight loses nothing either: the item’s deliveries resume after the restart', { timeout: 180_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-webhooks-'))
    const firstClock = new ManualClock()
    // Holds its delayed answer on the first engine's clock.
    const rx = new PolicyReceiver(firstClock)
    const engines: TestEngine[] = []
    try {
      await rx.start()
      const hook = '/in-flight'
      // Before the restart: the first request is held past the 10 s limit, later ones get 500; after it, 200.
      let restarted = false
      rx.setPolicy(hook, () => (restarted ? 200 : rx.at(hook).length === 0 ? { status: 200, delayMs: 15_000 } : 500))
      const env = { ...ENV, TRIBUTARY_WEBHOOK_MAX_ATTEMPTS: '10', TRIBUTARY_DATA_DIR: dir }

      const first = await startTestEngine(env, { clock: firstClock })
      engines.push(first)
      const firstKey = await first.apiKey()
      expect((await first.request('POST', '/webhooks', { apiKey: firstKey, body: { event: 'all', url: rx.url(hook) } })).status).toBe(200)
      const created = await first.createItem(firstKey, { connectorId: 0, parameters: OK })
      await first.waitForItem(firstKey, created.id)
      const emitted = await webhookEventsOf(first, firstKey, created.id)
      await until('the first delivery attempt to be in flight', () => rx.at(hook, created.id).length > 0 && rx.holding === 1)
      // The delivery job is running (waiting for the held answer) when the engine stops. The stop
      // waits for the job, and the job for the delivery timeout: a timer of the clock.
      const stopping = first.stop()
      await firstClock.advance(DELIVERY_TIMEOUT_MS)
      await stopping
      expect(rx.acked(hook, created.id)).toEqual([])

      restarted = true
      const secondClock = new ManualClock(firstClock.now())
      const second = await startTestEngine(env, { clock: secondClock })
      engines.push(second)
      const acked = await untilOnClock(
        { engine: second, clock: secondClock, receiver: rx },
        'the events at the receiver after the restart',
        () => {
          const got = rx.acked(hook, created.id)
          return got.length >= emitted.length && got
        },
        LONG_WAIT_MS,
      )
      expect(acked.map((r) => r.json.eventId)).toEqual(emitted.map((e) => e.eventId))
    } finally {
      for (const e of engines) await e.stop().catch(() => {})
      await rx.stop()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it('a refused change emits nothing: PATCH while UPDATING (or WAITING_USER_INPUT) → 409 and no new event', async () => {
    const hook = freshPath('refused')
    await subscribe('all', receiver.url(hook))
    // Every event the log holds for an item, internal ones included (GET /events lists what clients see).
    const logged = async (id: string) => (await engine.tributary.db.pool.query<{ type: string }>('select type from events where item_id = $1 order by seq', [id])).rows.map((r) => r.type)

    // UPDATING: the blocking connector's login never returns on its own.
    const blocked = await engine.createItem(apiKey, { connectorId: BLOCKING_CONNECTOR.id, parameters: { user: 'someone' } })
    await engine.waitForItem(apiKey, blocked.id, (item) => item.executionStatus === 'LOGIN_IN_PROGRESS')
    const beforeBlocked = (await eventsOf(engine, apiKey, blocked.id)).length
    const loggedBlocked = await logged(blocked.id)
    expectError(await engine.request('PATCH', `/items/${blocked.id}`, { apiKey, body: { parameters: { user: 'another' } } }), 409, 'ITEM_ALREADY_UPDATING')
    expectError(await engine.request('PATCH', `/items/${blocked.id}`, { apiKey, body: {} }), 409, 'ITEM_ALREADY_UPDATING')
    expect((await engine.request('GET', `/items/${blocked.id}`, { apiKey })).body.status).toBe('UPDATING')
    expect((await eventsOf(engine, apiKey, blocked.id)).length).toBe(beforeBlocked)

    // WAITING_USER_INPUT (connector 2).
    const waiting = await engine.createItem(apiKey, { connectorId: 2, parameters: OK })
    await engine.waitForItem(apiKey, waiting.id, isWaiting)
    const beforeWaiting = (await eventsOf(engine, apiKey, waiting.id)).length
    const loggedWaiting = await logged(waiting.id)
    expectError(await engine.request('PATCH', `/items/${waiting.id}`, { apiKey, body: { parameters: OK } }), 409, 'ITEM_ALREADY_UPDATING')
    expect((await eventsOf(engine, apiKey, waiting.id)).length).toBe(beforeWaiting)

    // Whatever the refusals might have set off has happened once the engine settles. The blocked
    // execution runs until its item is deleted, so both items go first: item/deleted is then the
    // one event each log gains (the log keeps a deleted item's events), and the webhook got
    // nothing else for the blocked item.
    for (const id of [blocked.id, waiting.id]) expect((await engine.request('DELETE', `/items/${id}`, { apiKey })).status).toBe(200)
    await engine.settle()
    expect(await logged(blocked.id)).toEqual([...loggedBlocked, 'item/deleted'])
    expect(await logged(waiting.id)).toEqual([...loggedWaiting, 'item/deleted'])
    // Still logging in: nothing for webhooks (item/created waits for the item to finish connecting).
    expect(
      receiver
        .acked(hook, blocked.id)
        .map((r) => r.json.event)
        .filter((event) => event !== 'item/deleted'),
    ).toEqual([])
  })
})

describe('GET /events (SPEC §3.5, extension)', () => {
  it('lists the item’s events oldest first with a `next` cursor; `after=<next>` returns only later ones', async () => {
    const created = await engine.createItem(apiKey, { connectorId: 0, parameters: OK })
    await engine.waitForItem(apiKey, created.id)

    const first = await engine.request('GET', `/events?itemId=${created.id}`, { apiKey })
    expect(first.status, JSON.stringify(first.body)).toBe(200)
    expect(first.body.next).toEqual(expect.any(String))
    const results: any[] = first.body.results
    expect(results.length).toBeGreaterThanOrEqual(3)
    for (const e of results) {
      expect(e.itemId).toBe(created.id)
      expect(e.eventId).toMatch(UUID)
    }
    const times = results.map((e) => Date.parse(e.createdAt))
    expect(times).toEqual([...times].sort((a, b) => a - b))
    const itemTypes = results.map((e) => e.event).filter((t) => WEBHOOK_EVENTS.has(t) && isItemEvent(t))
    expect(itemTypes).toEqual(['item/login_succeeded', 'item/created'])

    // Page by page with pageSize=1, following `next`, gives the same list.
    const paged: any[] = []
    let after: string | null = null
    for (let i = 0; i < results.length + 2; i++) {
      const reply: Reply = await engine.request('GET', `/events?itemId=${created.id}&pageSize=1${after ? `&after=${after}` : ''}`, { apiKey })
      expect(reply.status).toBe(200)
      if (reply.body.results.length === 0) break
      paged.push(...reply.body.results)
      after = reply.body.next
    }
    expect(paged.map((e) => e.eventId)).toEqual(results.map((e) => e.eventId))

    // Nothing after the end …
    const end = await engine.request('GET', `/events?itemId=${created.id}&after=${first.body.next}`, { apiKey })
    expect(end.status).toBe(200)
    expect(end.body.results).toEqual([])
    // … until something new happens: then only the new events.
    const patched = await engine.request('PATCH', `/items/${created.id}`, { apiKey, body: {} })
    expect(patched.status, JSON.stringify(patched.body)).toBe(200)
    await engine.waitForItem(apiKey, created.id)
    const later = await until('the new execution’s item/updated in GET /events', async () => {
      const reply = await engine.request('GET', `/events?itemId=${created.id}&after=${first.body.next}`, { apiKey })
      return reply.body.results.some((e: any) => e.event === 'item/updated') && reply.body.results
    })
    const seen = new Set(results.map((e) => e.eventId))
    expect(later.every((e: any) => !seen.has(e.eventId))).toBe(true)
    expect(later.map((e: any) => e.event).filter((t: string) => WEBHOOK_EVENTS.has(t) && isItemEvent(t))).toEqual(['item/login_succeeded', 'item/updated'])
  })

  it('another client’s itemId → 404 ITEM_NOT_FOUND; a malformed cursor → 400', async () => {
    const created = await engine.createItem(apiKey, { connectorId: 0, parameters: { user: 'user-locked', password: 'password-ok' } })
    await engine.waitForItem(apiKey, created.id)
    expectError(await engine.request('GET', `/events?itemId=${created.id}`, { apiKey: otherKey }), 404, 'ITEM_NOT_FOUND')
    expectError(await engine.request('GET', `/events?itemId=00000000-0000-4000-8000-000000000000`, { apiKey }), 404, 'ITEM_NOT_FOUND')
    expectError(await engine.request('GET', `/events?itemId=${created.id}&after=abc`, { apiKey }), 400)
    expectError(await engine.request('GET', `/events?after=abc`, { apiKey }), 400)
    // The other client's unfiltered list never shows this client's events.
    const others = await engine.request('GET', '/events?pageSize=500', { apiKey: otherKey })
    expect(others.status).toBe(200)
    expect(others.body.results.filter((e: any) => e.itemId === created.id)).toEqual([])
  })
})

describe('webhook CRUD (SPEC §3.5)', () => {
  it('create, read, list, update, delete; duplicates, the per-event limit, bad urls and events refused; another client sees 404', async () => {
    const url = receiver.url(freshPath('crud'))
    const created = await engine.request('POST', '/webhooks', { apiKey, body: { event: 'item/error', url } })
    expect(created.status, JSON.stringify(created.body)).toBe(200)
    expect(created.body).toMatchObject({ id: expect.stringMatching(UUID), event: 'item/error', url, disabledAt: null })
    expect(Date.parse(created.body.createdAt)).not.toBeNaN()
    expect(Date.parse(created.body.updatedAt)).not.toBeNaN()
    const id = created.body.id

    expectError(await engine.request('POST', '/webhooks', { apiKey, body: { event: 'item/error', url } }), 400, 'WEBHOOK_DUPLICATED')
    // The same url for another event is not a duplicate.
    expect((await engine.request('POST', '/webhooks', { apiKey, body: { event: 'item/updated', url } })).status).toBe(200)
    for (let i = 2; i <= 5; i++) {
      const reply = await engine.request('POST', '/webhooks', { apiKey, body: { event: 'item/error', url: `${url}/${i}` } })
      expect(reply.status, JSON.stringify(reply.body)).toBe(200)
    }
    expectError(await engine.request('POST', '/webhooks', { apiKey, body: { event: 'item/error', url: `${url}/6` } }), 400, 'WEBHOOK_LIMIT_REACHED')

    for (const bad of ['ftp://x', 'not a url']) expectError(await engine.request('POST', '/webhooks', { apiKey, body: { event: 'item/created', url: bad } }), 400)
    expectError(await engine.request('POST', '/webhooks', { apiKey, body: { event: 'item/exploded', url: `${url}/x` } }), 400)
    expectError(await engine.request('POST', '/webhooks', { apiKey, body: { url: `${url}/x` } }), 400)

    const read = await engine.request('GET', `/webhooks/${id}`, { apiKey })
    expect(read.status).toBe(200)
    expect(read.body).toMatchObject({ id, event: 'item/error', url, disabledAt: null })
    const list = await engine.request('GET', '/webhooks', { apiKey })
    expect(list.status).toBe(200)
    expect(list.body.results.map((w: any) => w.id)).toContain(id)

    const updated = await engine.request('PATCH', `/webhooks/${id}`, { apiKey, body: { url: `${url}/moved`, enabled: false } })
    expect(updated.status, JSON.stringify(updated.body)).toBe(200)
    expect(updated.body).toMatchObject({ id, event: 'item/error', url: `${url}/moved` })
    expect(Date.parse(updated.body.disabledAt)).not.toBeNaN()
    expect(Date.parse(updated.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.body.updatedAt))
    const enabled = await engine.request('PATCH', `/webhooks/${id}`, { apiKey, body: { enabled: true } })
    expect(enabled.body.disabledAt).toBeNull()
    expectError(await engine.request('PATCH', `/webhooks/${id}`, { apiKey, body: { url: 'ftp://x' } }), 400)

    // Another client: 404 for read, update and delete, and it is not in their list.
    expectError(await engine.request('GET', `/webhooks/${id}`, { apiKey: otherKey }), 404, 'WEBHOOK_NOT_FOUND')
    expectError(await engine.request('PATCH', `/webhooks/${id}`, { apiKey: otherKey, body: { enabled: false } }), 404, 'WEBHOOK_NOT_FOUND')
    expectError(await engine.request('DELETE', `/webhooks/${id}`, { apiKey: otherKey }), 404, 'WEBHOOK_NOT_FOUND')
    expect((await engine.request('GET', '/webhooks', { apiKey: otherKey })).body.results.map((w: any) => w.id)).not.toContain(id)
    expect((await engine.request('GET', `/webhooks/${id}`, { apiKey })).body.disabledAt).toBeNull()

    const deleted = await engine.request('DELETE', `/webhooks/${id}`, { apiKey })
    expect(deleted.status).toBe(200)
    expect(deleted.body).toEqual({ count: 1 })
    expectError(await engine.request('GET', `/webhooks/${id}`, { apiKey }), 404, 'WEBHOOK_NOT_FOUND')
    expectError(await engine.request('DELETE', `/webhooks/${id}`, { apiKey }), 404, 'WEBHOOK_NOT_FOUND')
    expectError(await engine.request('GET', '/webhooks/not-a-uuid', { apiKey }), 404, 'WEBHOOK_NOT_FOUND')
    // With one deleted there is room again for a fifth.
    expect((await engine.request('POST', '/webhooks', { apiKey, body: { event: 'item/error', url: `${url}/6` } })).status).toBe(200)
  })
})
