import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { ManualClock } from '../src/time/manual-clock.ts'
import { startTestEngine, timeline, type TestEngine } from './support/harness.ts'
import { visitBank } from './support/sandbox-bank-user.ts'

// Open Finance end to end through the API alone (docs/open-finance.md): a real listening server,
// the sandbox institution's pages visited with real HTTP, the engine's clock moved by the test.

const OF = 8
const CPF = '123.456.789-09'
const APP = 'https://app.example.com/back'
const WINDOW_SECONDS = 600
const clock = new ManualClock(new Date('2026-03-02T12:00:00.000Z'))
let engine: TestEngine
let apiKey: string

beforeAll(async () => {
  engine = await startTestEngine(
    {
      PORT: '0',
      HOST: '127.0.0.1',
      TRIBUTARY_USER_ACTION_TIMEOUT_SECONDS: String(WINDOW_SECONDS),
      TRIBUTARY_CONSENT_EXPIRY_WARNING_DAYS: '7',
      // The days the expiry-warning test moves the clock on start no auto-sync: only the warning is under test there.
      TRIBUTARY_AUTO_SYNC_INTERVAL_SECONDS: String(60 * 86_400),
    },
    { clock, listen: true },
  )
  apiKey = await engine.apiKey()
})
afterAll(() => engine?.stop())

const waiting = (item: any) => item.status === 'WAITING_USER_ACTION'
const settled = (item: any) => !['UPDATING', 'WAITING_USER_INPUT', 'WAITING_USER_ACTION'].includes(item.status)

async function connect(body: Record<string, unknown> = {}) {
  const created = await engine.createItem(apiKey, { connectorId: OF, parameters: { cpf: CPF }, oauthRedirectUri: APP, ...body })
  return engine.waitForItem(apiKey, created.id, waiting)
}

describe('Open Finance through the API alone', () => {
  it('create → WAITING_USER_ACTION with the institution’s URL → approve → the item resumes by itself to UPDATED', async () => {
    const item = await connect()
    expect(item.executionStatus).toBe('WAITING_USER_ACTION')
    expect(item.connector).toMatchObject({ id: OF, oauth: true, isOpenFinance: true })
    expect(item.parameter).toBeNull()
    expect(item.userAction).toMatchObject({ type: 'authorize-access', expiresAt: new Date(clock.now().getTime() + WINDOW_SECONDS * 1000).toISOString() })
    const url = new URL(item.userAction.attributes.url)
    expect(url.origin + url.pathname).toBe(`${engine.tributary.url}/sandbox/open-finance/authorize`)
    expect(url.searchParams.get('redirect_uri')).toBe(`${engine.tributary.url}/oauth/callback`)
    expect(url.searchParams.get('code_challenge_method')).toBe('S256')
    expect(url.searchParams.get('state')).toMatch(/^[\w-]{43}$/)
    const events = await engine.request('GET', `/events?itemId=${item.id}`, { apiKey })
    expect(events.body.results.map((e: any) => e.event)).toContain('item/waiting_user_action')

    const { callback, callbackUrl } = await visitBank(url.href, { user: 'user-ok', decision: 'approve' })
    expect(callback.status).toBe(303)
    expect(callback.headers.get('location')).toBe(`${APP}?itemId=${item.id}&status=success`)

    const done = await engine.waitForItem(apiKey, item.id, settled)
    expect([done.status, done.executionStatus, done.error, done.userAction]).toEqual(['UPDATED', 'SUCCESS', null, null])
    const [execution] = await engine.executions(apiKey, item.id)
    expect(timeline(execution).slice(0, 4)).toEqual(['CREATED', 'LOGIN_IN_PROGRESS', 'WAITING_USER_ACTION', 'LOGIN_MFA_IN_PROGRESS'])
    expect(timeline(execution).at(-1)).toBe('SUCCESS')
    expect((await engine.request('GET', `/accounts?itemId=${item.id}`, { apiKey })).body.total).toBeGreaterThan(0)

    // The consent the institution granted; no token ever leaves the server.
    const consents = await engine.request('GET', `/consents?itemId=${item.id}`, { apiKey })
    expect(consents.body).toMatchObject({ page: 1, total: 1, totalPages: 1 })
    expect(consents.body.results[0]).toEqual({
      id: expect.any(String),
      itemId: item.id,
      products: expect.arrayContaining(['ACCOUNTS', 'TRANSACTIONS', 'IDENTITY']),
      openFinancePermissionsGranted: ['REGISTRATION_READ', 'ACCOUNTS_READ', 'CREDIT_CARDS_ACCOUNTS_READ', 'INVESTMENTS_READ'],
      createdAt: clock.now().toISOString(),
      expiresAt: null,
      revokedAt: null,
    })
    expect(JSON.stringify(done)).not.toMatch(/accessToken|refreshToken|secrets/)

    // The state is single-use.
    const replay = await fetch(callbackUrl, { redirect: 'manual' })
    expect(replay.status).toBe(400)
    expect((await replay.json()).codeDescription).toBe('OAUTH_STATE_INVALID')
  })

  it('deny at the institution → OUTDATED / USER_AUTHORIZATION_NOT_GRANTED, and the application hears status=error', async () => {
    const item = await connect()
    const { callback } = await visitBank(item.userAction.attributes.url, { user: 'user-ok', decision: 'deny' })
    expect(callback.headers.get('location')).toBe(`${APP}?itemId=${item.id}&status=error`)
    const done = await engine.waitForItem(apiKey, item.id, settled)
    expect([done.status, done.executionStatus, done.error.code]).toEqual(['OUTDATED', 'USER_AUTHORIZATION_NOT_GRANTED', 'USER_AUTHORIZATION_NOT_GRANTED'])
    expect(done.error.message).toMatch(/declined/)
    expect(done.nextAutoSyncAt).toBeNull()
  })

  it('the window closes before the user comes back → USER_AUTHORIZATION_NOT_GRANTED; a late return is refused', async () => {
    const item = await connect()
    const opened = await fetch(item.userAction.attributes.url)
    expect(opened.status).toBe(200)
    await clock.advance(WINDOW_SECONDS * 1000)
    const done = await engine.waitForItem(apiKey, item.id, settled)
    expect([done.status, done.executionStatus]).toEqual(['OUTDATED', 'USER_AUTHORIZATION_NOT_GRANTED'])
    expect(done.error.message).toMatch(/in time/)
    const late = await fetch(`${engine.tributary.url}/oauth/callback?state=${new URL(item.userAction.attributes.url).searchParams.get('state')}&code=x`, { redirect: 'manual' })
    expect(late.status).toBe(400)
  })

  it('a consent revoked at the bank ends the next sync LOGIN_ERROR / USER_AUTHORIZATION_REVOKED; an update with the CPF renews it', async () => {
    const item = await connect()
    await visitBank(item.userAction.attributes.url, { user: 'user-revoked', decision: 'approve' })
    expect((await engine.waitForItem(apiKey, item.id, settled)).status).toBe('UPDATED')

    // The next sync runs without the user: the institution says the consent was revoked.
    expect((await engine.request('PATCH', `/items/${item.id}`, { apiKey, body: {} })).status).toBe(200)
    const revoked = await engine.waitForItem(apiKey, item.id, settled)
    expect([revoked.status, revoked.executionStatus, revoked.error.code]).toEqual(['LOGIN_ERROR', 'USER_AUTHORIZATION_REVOKED', 'USER_AUTHORIZATION_REVOKED'])
    expect(revoked.consentExpiresAt).toBeNull()
    const consents = (await engine.request('GET', `/consents?itemId=${item.id}`, { apiKey })).body.results
    expect(consents[0].revokedAt).toBe(clock.now().toISOString())

    // Renewal: an update sends the user through the institution again.
    expect((await engine.request('PATCH', `/items/${item.id}`, { apiKey, body: { parameters: { cpf: CPF } } })).status).toBe(200)
    const again = await engine.waitForItem(apiKey, item.id, waiting)
    await visitBank(again.userAction.attributes.url, { user: 'user-ok', decision: 'approve' })
    expect((await engine.waitForItem(apiKey, item.id, settled)).executionStatus).toBe('SUCCESS')
    expect((await engine.request('GET', `/consents?itemId=${item.id}`, { apiKey })).body.total).toBe(2)
  })

  it('a consent that serves one sync ends the second as USER_AUTHORIZATION_REVOKED', async () => {
    const item = await connect()
    await visitBank(item.userAction.attributes.url, { user: 'user-consent-syncs-1', decision: 'approve' })
    expect((await engine.waitForItem(apiKey, item.id, settled)).status).toBe('UPDATED')
    await engine.request('PATCH', `/items/${item.id}`, { apiKey, body: {} })
    expect((await engine.waitForItem(apiKey, item.id, settled)).executionStatus).toBe('USER_AUTHORIZATION_REVOKED')
  })

  it('the institution’s API failing → OUTDATED / SITE_NOT_AVAILABLE', async () => {
    const item = await connect()
    await visitBank(item.userAction.attributes.url, { user: 'user-api-error', decision: 'approve' })
    const done = await engine.waitForItem(apiKey, item.id, settled)
    expect([done.status, done.executionStatus]).toEqual(['OUTDATED', 'SITE_NOT_AVAILABLE'])
  })

  it('oauthRedirectUri: https only (http on loopback), and only the one the connect token allows', async () => {
    const refused = await engine.request('POST', '/items', { apiKey, body: { connectorId: OF, parameters: { cpf: CPF }, oauthRedirectUri: 'http://evil.example.com/' } })
    expect([refused.status, refused.body.codeDescription]).toEqual([400, 'OAUTH_REDIRECT_URI_INVALID'])
    const token = (await engine.request('POST', '/connect_token', { apiKey, body: { options: { oauthRedirectUri: APP } } })).body.accessToken
    const other = await engine.request('POST', '/items', { apiKey: token, body: { connectorId: OF, parameters: { cpf: CPF }, oauthRedirectUri: 'https://other.example.com/' } })
    expect([other.status, other.body.codeDescription]).toEqual([400, 'OAUTH_REDIRECT_URI_INVALID'])
    const fromToken = await engine.request('POST', '/items', { apiKey: token, body: { connectorId: OF, parameters: { cpf: CPF } } })
    expect(fromToken.body.oauthRedirectUri).toBe(APP)
    expect((await engine.request('GET', '/consents?itemId=' + fromToken.body.id, { apiKey: token })).status).toBe(403)
  })

  it('GET /consents/{id}: the consent, 404 CONSENT_NOT_FOUND for an unknown one', async () => {
    const missing = await engine.request('GET', '/consents/00000000-0000-4000-8000-000000000000', { apiKey })
    expect([missing.status, missing.body.codeDescription]).toEqual([404, 'CONSENT_NOT_FOUND'])
    const unknownItem = await engine.request('GET', '/consents?itemId=00000000-0000-4000-8000-000000000000', { apiKey })
    expect([unknownItem.status, unknownItem.body.codeDescription]).toEqual([404, 'ITEM_NOT_FOUND'])
  })
})

describe('consent expiry warning (item/consent_expiring, ours)', () => {
  it('is delivered to a real receiver once, the configured days before the consent expires', async () => {
    const received: any[] = []
    const server = http.createServer((req, res) => {
      let body = ''
      req.on('data', (c) => (body += c))
      req.on('end', () => {
        received.push(JSON.parse(body))
        res.end('ok')
      })
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`
      expect((await engine.request('POST', '/webhooks', { apiKey, body: { event: 'item/consent_expiring', url } })).status).toBe(200)
      const item = await connect()
      await visitBank(item.userAction.attributes.url, { user: 'user-consent-days-10', decision: 'approve' })
      const done = await engine.waitForItem(apiKey, item.id, settled)
      const expiresAt = new Date(clock.now().getTime() + 10 * 86_400_000).toISOString()
      expect(done.consentExpiresAt).toBe(expiresAt)

      // Four days on, the consent expires within the 7 configured: one warning.
      await clock.advance(2 * 86_400_000)
      await engine.tributary.scheduler.run()
      expect(received).toEqual([])
      await clock.advance(2 * 86_400_000)
      await engine.tributary.scheduler.run()
      await engine.tributary.scheduler.run()
      await vi.waitFor(() => expect(received).toHaveLength(1), { timeout: 10_000, interval: 20 })
      expect(received[0]).toMatchObject({ event: 'item/consent_expiring', itemId: item.id, consentExpiresAt: expiresAt, triggeredBy: 'INTERNAL' })
      // Days passed on the engine's clock: the API key of the start has expired.
      const consent = (await engine.request('GET', `/consents/${received[0].consentId}`, { apiKey: await engine.apiKey() })).body
      expect(consent).toMatchObject({ itemId: item.id, expiresAt })
    } finally {
      server.close()
    }
  })
})
