import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../src/time/manual-clock.ts'
import { isFinished, isWaiting, startTestEngine, type TestEngine } from './support/harness.ts'

// Idempotency keys (docs/operations.md): a state-changing call sent again with the same key — by a
// client whose answer was lost — gets the first answer instead of doing the work twice.

const clock = new ManualClock(new Date('2030-03-01T09:00:00Z'))
let engine: TestEngine
let apiKey: string
beforeAll(async () => {
  engine = await startTestEngine({}, { clock })
  apiKey = await engine.apiKey()
})
afterAll(() => engine?.stop())

const OK = { user: 'user-ok', password: 'password-ok' }
const post = (url: string, body: unknown, key?: string) => engine.request('POST', url, { apiKey, body, headers: key === undefined ? {} : { 'idempotency-key': key } })
const itemCount = async () => (await engine.request('GET', '/items?pageSize=500', { apiKey })).body.total as number

describe('Idempotency-Key', () => {
  it('POST /items sent again with the same key and body answers the first item and creates no other', async () => {
    const before = await itemCount()
    const first = await post('/items', { connectorId: 0, parameters: OK }, 'create-ana-1')
    expect(first.status).toBe(200)
    // The client never read the first answer (it timed out) and sends the same request again.
    const again = await post('/items', { connectorId: 0, parameters: OK }, 'create-ana-1')
    expect([again.status, again.body.id, again.headers['idempotent-replayed']]).toEqual([200, first.body.id, 'true'])
    expect(await itemCount()).toBe(before + 1)
    // The same body without a key is a new request.
    expect((await post('/items', { connectorId: 0, parameters: OK })).body.id).not.toBe(first.body.id)
    expect(await itemCount()).toBe(before + 2)
  })

  it('the same key with another body or on another route is refused with 409 and changes nothing', async () => {
    await post('/items', { connectorId: 0, parameters: OK }, 'create-bia-1')
    const before = await itemCount()
    const other = await post('/items', { connectorId: 0, parameters: { ...OK, user: 'user-bia' } }, 'create-bia-1')
    expect([other.status, other.body.code, other.body.codeDescription]).toEqual([409, 409, 'IDEMPOTENCY_KEY_REUSED'])
    expect(other.body.message).toMatch(/new key/)
    const elsewhere = await post('/webhooks', { url: 'https://example.com/hook', event: 'item/updated' }, 'create-bia-1')
    expect([elsewhere.status, elsewhere.body.codeDescription]).toEqual([409, 'IDEMPOTENCY_KEY_REUSED'])
    expect(await itemCount()).toBe(before)
  })

  it('a key that is not 1–255 printable characters is refused with 400', async () => {
    for (const key of ['has space', 'x'.repeat(256)]) {
      const refused = await post('/items', { connectorId: 0, parameters: OK }, key)
      expect([refused.status, refused.body.codeDescription]).toEqual([400, 'IDEMPOTENCY_KEY_INVALID'])
    }
  })

  it('an MFA value sent again with the same key gets the first answer, not "not waiting"', async () => {
    const created = await engine.createItem(apiKey, { connectorId: 2, parameters: OK })
    await engine.waitForItem(apiKey, created.id, isWaiting, 30_000)
    const first = await post(`/items/${created.id}/mfa`, { token: '123456' }, 'mfa-1')
    expect(first.status).toBe(200)
    const again = await post(`/items/${created.id}/mfa`, { token: '123456' }, 'mfa-1')
    expect([again.status, again.body, again.headers['idempotent-replayed']]).toEqual([200, first.body, 'true'])
    // Without a key the second post is refused, as before.
    expect((await post(`/items/${created.id}/mfa`, { token: '123456' })).status).toBe(404)
    await engine.waitForItem(apiKey, created.id, isFinished, 30_000)
  })

  it('a refusal is kept like any answer, and a key is free again after 24 hours', async () => {
    const refused = await post('/items', { connectorId: 424242, parameters: OK }, 'day-key')
    expect(refused.status).toBe(400)
    const again = await post('/items', { connectorId: 424242, parameters: OK }, 'day-key')
    expect([again.status, again.body, again.headers['idempotent-replayed']]).toEqual([400, refused.body, 'true'])
    await clock.advance(24 * 3_600_000 + 1_000)
    apiKey = await engine.apiKey()
    const reused = await post('/items', { connectorId: 0, parameters: OK }, 'day-key')
    expect([reused.status, reused.headers['idempotent-replayed']]).toEqual([200, undefined])
  })
})
