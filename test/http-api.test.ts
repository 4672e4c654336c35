import { randomBytes, randomUUID } from 'node:crypto'
import { SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { CLIENT, OTHER_CLIENT, isFinished, isWaiting, startTestEngine, type Reply, type TestEngine } from './support/harness.ts'

// Several executions per test, on a machine that may be busy: generous time, never a speed assertion.
vi.setConfig({ testTimeout: 240_000 })

// SPEC §3 (error shape, lists), §3.1 (auth, connect tokens), §3.2 (connectors), §3.3 (items), §4a.5, §4a.7.

/** The signing secret is configured here only so that the tests can forge an expired key with it. */
const JWT_SECRET = 'http-api-test-jwt-secret-0123456789abcdef'

let engine: TestEngine
let apiKey: string
let otherKey: string
beforeAll(async () => {
  engine = await startTestEngine({ TRIBUTARY_JWT_SECRET: JWT_SECRET })
  ;[apiKey, otherKey] = await Promise.all([engine.apiKey(), engine.apiKey(OTHER_CLIENT)])
})
afterAll(() => engine?.stop())

const OK = { user: 'user-ok', password: 'password-ok' }
const WAIT_MS = 60_000
const get = (url: string, key = apiKey) => engine.request('GET', url, { apiKey: key })

/** The error shape of SPEC §3: `{ code: <status>, message: <sentence>, codeDescription: <UPPER_SNAKE> }`. */
function expectErrorShape(reply: Reply, status: number, codeDescription?: string) {
  expect(reply.status, JSON.stringify(reply.body)).toBe(status)
  expect(reply.body).toEqual(expect.objectContaining({ code: status, message: expect.stringMatching(/\w+ \w+/), codeDescription: expect.stringMatching(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/) }))
  if (codeDescription) expect(reply.body.codeDescription).toBe(codeDescription)
}

function jwtPayload(token: string): Record<string, any> {
  const parts = token.split('.')
  expect(parts).toHaveLength(3)
  return JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'))
}

/** A key with the engine's own claims, signed with `secret`, expiring at `exp` (unix seconds). */
function forgeKey(secret: Uint8Array, exp: number, clientId = CLIENT.clientId): Promise<string> {
  return new SignJWT({ kind: 'api' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(clientId)
    .setIssuer('tributary')
    .setJti(randomUUID())
    .setIssuedAt(exp - 7200)
    .setExpirationTime(exp)
    .sign(secret)
}

describe('POST /auth (SPEC §3.1)', () => {
  it('right keys → 200 { apiKey }, a JWT with exp two hours ahead', async () => {
    const reply = await engine.request('POST', '/auth', { body: CLIENT })
    expect(reply.status).toBe(200)
    expect(Object.keys(reply.body)).toEqual(['apiKey'])
    const { exp } = jwtPayload(reply.body.apiKey)
    expect(typeof exp).toBe('number')
    expect(Math.abs(exp - (Date.now() / 1000 + 2 * 3600))).toBeLessThan(120)
    expect((await get('/connectors', reply.body.apiKey)).status).toBe(200)
  })

  it('wrong secret or unknown client → 401 CLIENT_KEYS_UNAUTHORIZED', async () => {
    expectErrorShape(await engine.request('POST', '/auth', { body: { ...CLIENT, clientSecret: 'not-the-secret-0123456789' } }), 401, 'CLIENT_KEYS_UNAUTHORIZED')
    expectErrorShape(await engine.request('POST', '/auth', { body: { clientId: 'nobody-here', clientSecret: CLIENT.clientSecret } }), 401, 'CLIENT_KEYS_UNAUTHORIZED')
    // Another client's secret does not open this client.
    expectErrorShape(await engine.request('POST', '/auth', { body: { clientId: CLIENT.clientId, clientSecret: OTHER_CLIENT.clientSecret } }), 401, 'CLIENT_KEYS_UNAUTHORIZED')
  })

  it('missing fields → 400 with the error shape', async () => {
    expectErrorShape(await engine.request('POST', '/auth', { body: { clientId: CLIENT.clientId } }), 400)
    expectErrorShape(await engine.request('POST', '/auth', { body: { clientSecret: CLIENT.clientSecret } }), 400)
    expectErrorShape(await engine.request('POST', '/auth', { body: {} }), 400)
    expectErrorShape(await engine.request('POST', '/auth'), 400)
  })
})

describe('every 4xx has the error shape (SPEC §3)', () => {
  it('unknown route → 404', async () => {
    expectErrorShape(await get('/no-such-route'), 404)
    expectErrorShape(await engine.request('POST', '/items/something/else', { apiKey, body: {} }), 404)
  })

  it('malformed JSON body → 400', async () => {
    expectErrorShape(await engine.request('POST', '/items', { apiKey, body: '{"connectorId": 0, "parameters": ', headers: { 'content-type': 'application/json' } }), 400)
    expectErrorShape(await engine.request('POST', '/auth', { body: 'not json at all', headers: { 'content-type': 'application/json' } }), 400)
  })

  it('wrong types → 400', async () => {
    expectErrorShape(await engine.request('POST', '/items', { apiKey, body: { connectorId: 'abc', parameters: OK } }), 400)
    expectErrorShape(await engine.request('POST', '/items', { apiKey, body: { connectorId: 0, parameters: 'user-ok:password-ok' } }), 400)
    expectErrorShape(await engine.request('POST', '/items', { apiKey, body: { connectorId: 0, parameters: OK, products: 'ACCOUNTS' } }), 400)
    expectErrorShape(await engine.request('POST', '/auth', { body: { clientId: 42, clientSecret: ['x'] } }), 400)
  })

  it('a body over 1 MiB → 413', async () => {
    const body = { connectorId: 0, parameters: OK, clientUserId: 'x'.repeat(1024 * 1024 + 10) }
    expectErrorShape(await engine.request('POST', '/items', { apiKey, body }), 413)
  })

  it('no X-API-KEY → 401; a garbage key → 401', async () => {
    expectErrorShape(await engine.request('GET', '/items'), 401)
    expectErrorShape(await engine.request('GET', '/connectors'), 401)
    expectErrorShape(await get('/items', 'garbage'), 401)
    expectErrorShape(await get('/items', 'a.b.c'), 401)
  })

  it('a key signed with another secret → 401; an expired key → 401; the same key unexpired and rightly signed is accepted', async () => {
    const now = Math.floor(Date.now() / 1000)
    const engineSecret = new TextEncoder().encode(JWT_SECRET)
    // Control: the forged claims are exactly what the engine accepts when the signature and exp are right.
    expect((await get('/items', await forgeKey(engineSecret, now + 600))).status).toBe(200)
    expectErrorShape(await get('/items', await forgeKey(randomBytes(32), now + 600)), 401)
    expectErrorShape(await get('/items', await forgeKey(engineSecret, now - 60)), 401)
  })
})

describe('connectors (SPEC §3.2, §4, §4a.12)', () => {
  it('a logo is a URL of its own, public and cacheable, not inlined in every answer', async () => {
    const connector = (await get('/connectors/0')).body
    expect(connector.imageUrl).toBe('http://localhost:80/connectors/0/logo')
    const logo = await engine.request('GET', '/connectors/0/logo')
    expect([logo.status, logo.headers['content-type'], logo.headers['cache-control']]).toEqual([200, 'image/svg+xml', 'public, max-age=86400'])
    expect(String(logo.body)).toMatch(/^<svg /)
    const again = await engine.request('GET', '/connectors/0/logo', { headers: { 'if-none-match': String(logo.headers.etag) } })
    expect([again.status, again.body]).toEqual([304, ''])
    expectErrorShape(await engine.request('GET', '/connectors/424242/logo'), 404)
    const item = (await get(`/items/${(await engine.createItem(await engine.apiKey(), { connectorId: 0, parameters: { user: 'user-ok', password: 'password-ok' } })).id}`)).body
    expect(item.connector.imageUrl).toBe(connector.imageUrl)
  })

  it('GET /connectors hides sandbox connectors unless sandbox=true', async () => {
    const plain = await get('/connectors')
    expect(plain.status).toBe(200)
    expect(plain.body).toMatchObject({ page: 1, results: expect.any(Array) })
    expect(plain.body.results.filter((c: any) => c.isSandbox)).toEqual([])
    expect(plain.body.results.map((c: any) => c.id)).not.toContain(0)

    const sandbox = await get('/connectors?sandbox=true')
    expect(sandbox.status).toBe(200)
    const sandboxConnectors = sandbox.body.results.filter((c: any) => c.isSandbox)
    expect(sandboxConnectors.map((c: any) => c.id).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8])
    const hasMFA = Object.fromEntries(sandboxConnectors.map((c: any) => [c.id, c.hasMFA]))
    expect(hasMFA).toEqual({ 0: false, 1: false, 2: true, 3: false, 4: true, 5: false, 6: false, 7: false, 8: false })
    for (const connector of sandboxConnectors) {
      expect(connector.isSandbox).toBe(true)
      const names = connector.credentials.map((f: any) => f.name)
      // The QR login (7) needs no password; the Open Finance bank (8) only the CPF.
      expect(names).toEqual(expect.arrayContaining(connector.id === 7 ? ['user'] : connector.id === 8 ? ['cpf'] : ['user', 'password']))
      expect(connector.oauth).toBe(connector.id === 8)
      for (const field of connector.credentials)
        expect(field).toMatchObject({ name: expect.any(String), label: expect.any(String), type: expect.stringMatching(/^(text|password|number|image|select)$/) })
    }
    const one = sandboxConnectors.find((c: any) => c.id === 1)
    expect(one.credentials.find((f: any) => f.name === 'token')).toMatchObject({ mfa: true, validation: expect.any(String) })
  })

  it('GET /connectors/{id}: the connector, or 404 CONNECTOR_NOT_FOUND', async () => {
    const two = await get('/connectors/2')
    expect(two.status).toBe(200)
    expect(two.body).toMatchObject({ id: 2, hasMFA: true, isSandbox: true, oauth: false, name: expect.any(String), credentials: expect.any(Array) })
    expectErrorShape(await get('/connectors/999'), 404, 'CONNECTOR_NOT_FOUND')
    expectErrorShape(await get('/connectors/abc'), 404, 'CONNECTOR_NOT_FOUND')
  })

  it('POST /connectors/{id}/validate lists the errors: [] when valid, 001 missing, 002 failing the rule', async () => {
    const good = await engine.request('POST', '/connectors/0/validate', { apiKey, body: OK })
    expect(good.status).toBe(200)
    expect(good.body.errors).toEqual([])
    expect(JSON.stringify(good.body)).not.toContain('password-ok"')

    const missing = await engine.request('POST', '/connectors/0/validate', { apiKey, body: { user: 'user-ok' } })
    expect(missing.status).toBe(200)
    expect(missing.body.errors).toEqual([{ code: '001', message: expect.stringMatching(/\w/), parameter: 'password' }])

    const badToken = await engine.request('POST', '/connectors/1/validate', { apiKey, body: { ...OK, token: 'abc' } })
    expect(badToken.status).toBe(200)
    expect(badToken.body.errors).toEqual([{ code: '002', message: expect.stringMatching(/\w/), parameter: 'token' }])

    expectErrorShape(await engine.request('POST', '/connectors/999/validate', { apiKey, body: OK }), 404, 'CONNECTOR_NOT_FOUND')
  })
})

describe('POST /items (SPEC §3.3)', () => {
  it('an unknown connector → 400 CONNECTOR_NOT_FOUND', async () => {
    expectErrorShape(await engine.request('POST', '/items', { apiKey, body: { connectorId: 999, parameters: OK } }), 400, 'CONNECTOR_NOT_FOUND')
  })

  it('unknown extra body fields (as pluggy-sdk sends) are ignored', async () => {
    const reply = await engine.request('POST', '/items', {
      apiKey,
      body: { connectorId: 0, parameters: OK, nonExpiring: true, id: 'x', oauthRedirectUri: 'https://example.com/callback' },
    })
    expect(reply.status, JSON.stringify(reply.body)).toBe(200)
    expect(reply.body.id).not.toBe('x')
    expect(reply.body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    expect(reply.body).not.toHaveProperty('nonExpiring')
    // oauthRedirectUri is a field of the reference's item (Open Finance): kept, and shown back.
    expect(reply.body.oauthRedirectUri).toBe('https://example.com/callback')
    expect((await engine.waitForItem(apiKey, reply.body.id, isFinished, WAIT_MS)).executionStatus).toBe('SUCCESS')
  })
})

describe('tenant isolation (SPEC §1, §3.3)', () => {
  it('another client cannot read, patch, delete, post MFA to, list executions of, or disable auto-sync of an item', async () => {
    const finished = await engine.createItem(apiKey, { connectorId: 0, parameters: OK })
    const before = await engine.waitForItem(apiKey, finished.id, isFinished, WAIT_MS)
    expect(before.nextAutoSyncAt).not.toBeNull()
    const waiting = await engine.createItem(apiKey, { connectorId: 2, parameters: OK })
    const waitingBefore = await engine.waitForItem(apiKey, waiting.id, isWaiting, WAIT_MS)

    const asOther = (method: string, url: string, body?: unknown) => engine.request(method, url, { apiKey: otherKey, ...(body !== undefined ? { body } : {}) })
    expectErrorShape(await asOther('GET', `/items/${finished.id}`), 404, 'ITEM_NOT_FOUND')
    expectErrorShape(await asOther('PATCH', `/items/${finished.id}`, { parameters: { password: 'password-ok' } }), 404, 'ITEM_NOT_FOUND')
    expectErrorShape(await asOther('DELETE', `/items/${finished.id}`), 404, 'ITEM_NOT_FOUND')
    expectErrorShape(await asOther('GET', `/items/${finished.id}/executions`), 404, 'ITEM_NOT_FOUND')
    expectErrorShape(await asOther('PATCH', `/items/${finished.id}/disable-auto-sync`), 404, 'ITEM_NOT_FOUND')
    expectErrorShape(await asOther('POST', `/items/${waiting.id}/mfa`, { token: '123456' }), 404, 'ITEM_NOT_FOUND')
    expectErrorShape(await asOther('DELETE', `/items/${waiting.id}`), 404, 'ITEM_NOT_FOUND')

    const others = await get('/items?pageSize=500', otherKey)
    expect(others.status).toBe(200)
    const otherIds = others.body.results.map((i: any) => i.id)
    expect(otherIds).not.toContain(finished.id)
    expect(otherIds).not.toContain(waiting.id)

    // Untouched: same state, no new execution, auto-sync still on, MFA still awaited.
    const after = (await get(`/items/${finished.id}`)).body
    expect([after.status, after.executionStatus, after.updatedAt, after.nextAutoSyncAt]).toEqual([before.status, before.executionStatus, before.updatedAt, before.nextAutoSyncAt])
    expect(await engine.executions(apiKey, finished.id)).toHaveLength(1)
    const waitingAfter = (await get(`/items/${waiting.id}`)).body
    expect([waitingAfter.status, waitingAfter.parameter]).toEqual(['WAITING_USER_INPUT', waitingBefore.parameter])
    const mine = (await get('/items?pageSize=500')).body.results.map((i: any) => i.id)
    expect(mine).toEqual(expect.arrayContaining([finished.id, waiting.id]))
  })

  it('GET /items?clientUserId= filters by the application’s user id', async () => {
    const alice = `alice-${randomUUID()}`
    const bob = `bob-${randomUUID()}`
    const a1 = await engine.createItem(apiKey, { connectorId: 0, parameters: OK, clientUserId: alice })
    const a2 = await engine.createItem(apiKey, { connectorId: 0, parameters: OK, clientUserId: alice })
    const b1 = await engine.createItem(apiKey, { connectorId: 0, parameters: OK, clientUserId: bob })
    const ofAlice = await get(`/items?clientUserId=${alice}`)
    expect(ofAlice.status).toBe(200)
    expect(ofAlice.body.total).toBe(2)
    expect(ofAlice.body.results.map((i: any) => i.id).sort()).toEqual([a1.id, a2.id].sort())
    for (const item of ofAlice.body.results) expect(item.clientUserId).toBe(alice)
    const ofBob = await get(`/items?clientUserId=${bob}`)
    expect(ofBob.body.results.map((i: any) => i.id)).toEqual([b1.id])
    // The other client sees none of them even with the filter.
    expect((await get(`/items?clientUserId=${alice}`, otherKey)).body.results).toEqual([])
    for (const id of [a1.id, a2.id, b1.id]) await engine.waitForItem(apiKey, id, isFinished, WAIT_MS)
  })
})

describe('items never expose credentials (SPEC §3.3)', () => {
  it('the password is not in the item, its list entry or its executions; no credentials/parameters field', async () => {
    const secret = `S3cret-${randomUUID()}`
    const created = await engine.createItem(apiKey, { connectorId: 0, parameters: { user: 'user-ok', password: secret }, clientUserId: 'creds-check' })
    expect(JSON.stringify(created)).not.toContain(secret)
    const item = await engine.waitForItem(apiKey, created.id, isFinished, WAIT_MS)
    expect(item.status).toBe('LOGIN_ERROR')
    expect(JSON.stringify(item)).not.toContain(secret)
    expect(item).not.toHaveProperty('credentials')
    expect(item).not.toHaveProperty('parameters')
    const list = await get('/items?clientUserId=creds-check')
    expect(list.body.results.map((i: any) => i.id)).toContain(created.id)
    expect(JSON.stringify(list.body)).not.toContain(secret)
    const executions = await get(`/items/${created.id}/executions`)
    expect(executions.status).toBe(200)
    expect(JSON.stringify(executions.body)).not.toContain(secret)
  })
})

describe('avoidDuplicates (SPEC §3.3)', () => {
  it('same connector and credentials → 400 ITEM_USER_ALREADY_EXISTS with data.items; other credentials → 200', async () => {
    const parameters = { user: `dup-${randomUUID()}`, password: 'password-ok' }
    const first = await engine.createItem(apiKey, { connectorId: 0, parameters })
    const duplicate = await engine.request('POST', '/items', { apiKey, body: { connectorId: 0, parameters, avoidDuplicates: true } })
    expectErrorShape(duplicate, 400, 'ITEM_USER_ALREADY_EXISTS')
    expect(duplicate.body.data.items).toHaveLength(1)
    expect(duplicate.body.data.items[0].id).toBe(first.id)
    const different = await engine.request('POST', '/items', { apiKey, body: { connectorId: 0, parameters: { ...parameters, password: 'another-password' }, avoidDuplicates: true } })
    expect(different.status, JSON.stringify(different.body)).toBe(200)
    expect(different.body.id).not.toBe(first.id)
    // Another client with the same credentials is not a duplicate.
    expect((await engine.request('POST', '/items', { apiKey: otherKey, body: { connectorId: 0, parameters, avoidDuplicates: true } })).status).toBe(200)
  })
})

describe('PATCH /items/{id}/disable-auto-sync (SPEC §2.4)', () => {
  it('sets nextAutoSyncAt to null, and a later successful execution keeps it null', async () => {
    const created = await engine.createItem(apiKey, { connectorId: 0, parameters: OK })
    const item = await engine.waitForItem(apiKey, created.id, isFinished, WAIT_MS)
    expect(item.executionStatus).toBe('SUCCESS')
    expect(item.nextAutoSyncAt).not.toBeNull()
    const disabled = await engine.request('PATCH', `/items/${created.id}/disable-auto-sync`, { apiKey })
    expect(disabled.status, JSON.stringify(disabled.body)).toBe(200)
    expect(disabled.body).toMatchObject({ id: created.id, nextAutoSyncAt: null })
    expect((await engine.request('PATCH', `/items/${created.id}`, { apiKey, body: {} })).status).toBe(200)
    const again = await engine.waitForItem(apiKey, created.id, isFinished, WAIT_MS)
    expect(again.executionStatus).toBe('SUCCESS')
    expect(again.nextAutoSyncAt).toBeNull()
    expect(await engine.executions(apiKey, created.id)).toHaveLength(2)
  })
})

describe('GET /items/{id}/executions (SPEC §3, §3.3)', () => {
  it('is a page, newest first; pageSize over 500 → 400', async () => {
    const created = await engine.createItem(apiKey, { connectorId: 0, parameters: OK })
    await engine.waitForItem(apiKey, created.id, isFinished, WAIT_MS)
    expect((await engine.request('PATCH', `/items/${created.id}`, { apiKey, body: { parameters: { user: 'user-unavailable' } } })).status).toBe(200)
    await engine.waitForItem(apiKey, created.id, isFinished, WAIT_MS)

    const reply = await get(`/items/${created.id}/executions`)
    expect(reply.status).toBe(200)
    expect(reply.body).toEqual({ page: 1, total: 2, totalPages: 1, results: expect.any(Array) })
    const [newest, oldest] = reply.body.results
    expect([newest.status, oldest.status]).toEqual(['SITE_NOT_AVAILABLE', 'SUCCESS'])
    expect(Date.parse(newest.createdAt)).toBeGreaterThanOrEqual(Date.parse(oldest.createdAt))
    for (const execution of reply.body.results) {
      expect(execution).toMatchObject({ id: expect.any(String), itemId: created.id, triggeredBy: 'CLIENT', steps: expect.any(Array) })
      expect(execution).toHaveProperty('error')
      expect(execution).toHaveProperty('finishedAt')
    }

    const paged = await get(`/items/${created.id}/executions?pageSize=1&page=2`)
    expect(paged.body).toMatchObject({ page: 2, total: 2, totalPages: 2 })
    expect(paged.body.results.map((e: any) => e.id)).toEqual([oldest.id])

    expect((await get(`/items/${created.id}/executions?pageSize=500`)).status).toBe(200)
    expectErrorShape(await get(`/items/${created.id}/executions?pageSize=501`), 400)
  })
})

describe('connect tokens (SPEC §3.1, §4a.5)', () => {
  const connectToken = async (body: unknown = {}) => {
    const reply = await engine.request('POST', '/connect_token', { apiKey, body })
    expect(reply.status, JSON.stringify(reply.body)).toBe(200)
    expect(Object.keys(reply.body)).toEqual(['accessToken'])
    return reply.body.accessToken as string
  }

  it('a token without itemId creates an item with its options and acts only on the items it created', async () => {
    const clientUserId = `ct-${randomUUID()}`
    const token = await connectToken({ options: { clientUserId, webhookUrl: 'https://example.com/hooks/tributary' } })
    const { exp } = jwtPayload(token)
    expect(Math.abs(exp - (Date.now() / 1000 + 30 * 60))).toBeLessThan(120)

    expect((await get('/connectors?sandbox=true', token)).status).toBe(200)
    expect((await get('/connectors/2', token)).status).toBe(200)

    const created = await engine.request('POST', '/items', { apiKey: token, body: { connectorId: 2, parameters: OK } })
    expect(created.status, JSON.stringify(created.body)).toBe(200)
    expect(created.body).toMatchObject({ clientUserId, webhookUrl: 'https://example.com/hooks/tributary' })
    const id = created.body.id
    expect((await get(`/items/${id}`, token)).status).toBe(200)
    await engine.waitForItem(token, id, isWaiting, WAIT_MS)
    const mfa = await engine.request('POST', `/items/${id}/mfa`, { apiKey: token, body: { token: '123456' } })
    expect(mfa.status, JSON.stringify(mfa.body)).toBe(200)
    expect((await engine.waitForItem(token, id, isFinished, WAIT_MS)).executionStatus).toBe('SUCCESS')
    const patched = await engine.request('PATCH', `/items/${id}`, { apiKey: token, body: {} })
    expect(patched.status, JSON.stringify(patched.body)).toBe(200)
    await engine.waitForItem(token, id, isWaiting, WAIT_MS)

    // The executions were triggered by the user (through the token), as the API key sees them.
    const executions = await engine.executions(apiKey, id)
    expect(executions.map((e: any) => e.triggeredBy)).toEqual(['USER', 'USER'])

    // Another item of the same client is out of the token's reach.
    const foreign = await engine.createItem(apiKey, { connectorId: 2, parameters: OK })
    await engine.waitForItem(apiKey, foreign.id, isWaiting, WAIT_MS)
    expectErrorShape(await get(`/items/${foreign.id}`, token), 403)
    expectErrorShape(await engine.request('PATCH', `/items/${foreign.id}`, { apiKey: token, body: {} }), 403)
    expectErrorShape(await engine.request('POST', `/items/${foreign.id}/mfa`, { apiKey: token, body: { token: '123456' } }), 403)
    expectErrorShape(await engine.request('DELETE', `/items/${foreign.id}`, { apiKey: token }), 403)
    expect((await get(`/items/${foreign.id}`)).body.status).toBe('WAITING_USER_INPUT')

    // Listing items, and minting connect tokens, need an API key.
    expectErrorShape(await get('/items', token), 403)
    expectErrorShape(await engine.request('POST', '/connect_token', { apiKey: token, body: {} }), 403)

    const deleted = await engine.request('DELETE', `/items/${id}`, { apiKey: token })
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(200)
    expect(deleted.body).toEqual({ count: 1 })
    expectErrorShape(await get(`/items/${id}`), 404, 'ITEM_NOT_FOUND')
  })

  it('POST /connect_token needs no body; itemId must name an item of the client', async () => {
    const bare = await engine.request('POST', '/connect_token', { apiKey })
    expect(bare.status, JSON.stringify(bare.body)).toBe(200)
    expect(jwtPayload(bare.body.accessToken).exp).toEqual(expect.any(Number))
    const foreign = await engine.createItem(otherKey, { connectorId: 0, parameters: OK })
    expectErrorShape(await engine.request('POST', '/connect_token', { apiKey, body: { itemId: foreign.id } }), 404, 'ITEM_NOT_FOUND')
    expectErrorShape(await engine.request('POST', '/connect_token', { apiKey, body: { itemId: randomUUID() } }), 404, 'ITEM_NOT_FOUND')
    await engine.waitForItem(otherKey, foreign.id, isFinished, WAIT_MS)
  })

  it('a token with itemId reads that item only and cannot create items', async () => {
    const mine = await engine.createItem(apiKey, { connectorId: 0, parameters: OK })
    const other = await engine.createItem(apiKey, { connectorId: 0, parameters: OK })
    const token = await connectToken({ itemId: mine.id })
    const read = await get(`/items/${mine.id}`, token)
    expect(read.status).toBe(200)
    expect(read.body.id).toBe(mine.id)
    expectErrorShape(await get(`/items/${other.id}`, token), 403)
    expectErrorShape(await engine.request('POST', '/items', { apiKey: token, body: { connectorId: 0, parameters: OK } }), 403)
    expectErrorShape(await get('/items', token), 403)
    for (const id of [mine.id, other.id]) await engine.waitForItem(apiKey, id, isFinished, WAIT_MS)
  })
})

describe('public routes (SPEC §3.6, §4a.7)', () => {
  it('GET /health → 200 { status: "ok" } without a key', async () => {
    const reply = await engine.request('GET', '/health')
    expect(reply.status).toBe(200)
    expect(reply.body).toEqual({ status: 'ok' })
  })

  it('GET /openapi.json → an OpenAPI 3.1 document with the item routes', async () => {
    const reply = await engine.request('GET', '/openapi.json')
    expect(reply.status).toBe(200)
    expect(reply.body.openapi).toMatch(/^3\.1/)
    expect(Object.keys(reply.body.paths)).toContain('/items/{id}')
  })
})
