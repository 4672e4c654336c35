/**
 * The dashboard over plain HTTP: who gets in (a session cookie made by signing in), what is refused
 * without it, the CSRF token on changes, the session scoped to its client, the filters, the headers
 * that keep the page from being framed, and the switch that turns it off in production.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../src/config.ts'
import { DashboardSessions, SESSION_TTL_SECONDS } from '../../src/dashboard/dashboard-session.ts'
import { CLIENT, dashboardCall, OTHER_CLIENT, signInOverHttp, startConnectServer, type ConnectServer } from './dashboard-harness.ts'

let server: ConnectServer
let itemId: string

beforeAll(async () => {
  server = await startConnectServer({ TRIBUTARY_SANDBOX_DELAY_MS: '0', TRIBUTARY_CLIENTS: `${OTHER_CLIENT.clientId}:${OTHER_CLIENT.clientSecret}` })
  const created = await server.api('POST', '/items', { connectorId: 0, parameters: { user: 'user-ok', password: 'password-ok' }, clientUserId: 'dash-api-user' })
  itemId = created.body.id
  await server.waitFinished(itemId)
  await server.api('POST', '/items', { connectorId: 0, parameters: { user: 'user-locked', password: 'password-ok' }, clientUserId: 'dash-api-other' }).then((r) => server.waitFinished(r.body.id))
})
afterAll(() => server?.stop())

const JSON_ROUTES = [
  '/dashboard/api/session',
  '/dashboard/api/items',
  '/dashboard/api/connectors',
  '/dashboard/api/events',
  '/dashboard/api/webhooks',
  '/dashboard/api/webhook-deliveries',
  '/dashboard/api/webhook-signature',
]

describe('dashboard access', () => {
  it('a request without the session cookie is refused: 401 in the API’s error shape for JSON, a redirect to the sign-in for the page', async () => {
    for (const path of [...JSON_ROUTES, `/dashboard/api/items/${itemId}`, `/dashboard/api/items/${itemId}/executions`, `/dashboard/api/items/${itemId}/stream`]) {
      const reply = await dashboardCall(server, 'GET', path)
      expect({ path, status: reply.status, body: reply.body }).toEqual({
        path,
        status: 401,
        body: { code: 401, codeDescription: 'DASHBOARD_SESSION_MISSING', message: expect.stringContaining('/dashboard/sign-in') },
      })
    }
    const page = await dashboardCall(server, 'GET', '/dashboard')
    expect(page.status).toBe(302)
    expect(page.headers.get('location')).toBe('/dashboard/sign-in')
    // A forged cookie, and an API key in its place, are no session either.
    expect((await dashboardCall(server, 'GET', '/dashboard/api/items', { cookie: 'tributary_dashboard=eyJhbGciOiJkaXIifQ..x.y.z' })).status).toBe(401)
    expect((await dashboardCall(server, 'GET', '/dashboard/api/items', { cookie: `tributary_dashboard=${server.apiKey}` })).status).toBe(401)
  })

  it('signing in with the client id and secret sets an HttpOnly, SameSite=Strict cookie on /dashboard that opens every route; wrong keys get 401', async () => {
    const wrong = await dashboardCall(server, 'POST', '/dashboard/api/session', { body: { clientId: CLIENT.clientId, clientSecret: 'not-the-secret-at-all' } })
    expect(wrong).toMatchObject({ status: 401, body: { codeDescription: 'CLIENT_KEYS_UNAUTHORIZED' } })
    expect(wrong.headers.get('set-cookie')).toBeNull()

    const session = await signInOverHttp(server)
    expect(session.setCookie).toMatch(/^tributary_dashboard=[^;]+; Path=\/dashboard; HttpOnly; SameSite=Strict; Max-Age=1800$/)
    for (const path of JSON_ROUTES) expect({ path, status: (await dashboardCall(server, 'GET', path, { cookie: session.cookie })).status }).toEqual({ path, status: 200 })
    const me = await dashboardCall(server, 'GET', '/dashboard/api/session', { cookie: session.cookie })
    expect(me.body).toEqual({ clientId: CLIENT.clientId, csrfToken: session.csrfToken, expiresAt: expect.any(String) })
    expect(me.headers.get('cache-control')).toBe('no-store')
    // Signed in, the sign-in page leads to the dashboard.
    const signInPage = await dashboardCall(server, 'GET', '/dashboard/sign-in', { cookie: session.cookie })
    expect([signInPage.status, signInPage.headers.get('location')]).toEqual([302, '/dashboard'])
  })

  it('an API key opens a session that ends when the key would; a connect token does not', async () => {
    const session = await signInOverHttp(server, { apiKey: server.apiKey })
    expect((await dashboardCall(server, 'GET', '/dashboard/api/items', { cookie: session.cookie })).status).toBe(200)
    const connectToken = await server.connectToken()
    const refused = await dashboardCall(server, 'POST', '/dashboard/api/session', { body: { apiKey: connectToken } })
    expect(refused).toMatchObject({ status: 401, body: { codeDescription: 'API_KEY_INVALID' } })
  })

  it('a state-changing request needs the session’s CSRF token', async () => {
    const session = await signInOverHttp(server)
    const unknown = '00000000-0000-4000-8000-000000000000'
    const without = await dashboardCall(server, 'POST', `/dashboard/api/webhook-deliveries/${unknown}/retry`, { cookie: session.cookie })
    expect(without).toMatchObject({ status: 403, body: { code: 403, codeDescription: 'DASHBOARD_CSRF_INVALID' } })
    const otherToken = (await signInOverHttp(server)).csrfToken
    expect((await dashboardCall(server, 'POST', `/dashboard/api/webhook-deliveries/${unknown}/retry`, { cookie: session.cookie, csrfToken: otherToken })).status).toBe(403)
    const withToken = await dashboardCall(server, 'POST', `/dashboard/api/webhook-deliveries/${unknown}/retry`, { cookie: session.cookie, csrfToken: session.csrfToken })
    expect(withToken).toMatchObject({ status: 404, body: { codeDescription: 'WEBHOOK_DELIVERY_NOT_FOUND' } })
    // Every sandbox control is a change too.
    for (const [path, body] of [
      [`/dashboard/api/sandbox/items/${itemId}/outcome`, { executionStatus: 'ERROR' }],
      [`/dashboard/api/sandbox/items/${itemId}/reset-login`, undefined],
      [`/dashboard/api/items/${itemId}/update`, undefined],
      ['/dashboard/api/sandbox/clock', { advanceSeconds: 60 }],
      ['/dashboard/api/sandbox/connectors/0/outage', { mode: 'OFFLINE' }],
    ] as const) {
      expect({ path, status: (await dashboardCall(server, 'POST', path, { cookie: session.cookie, body })).status }).toEqual({ path, status: 403 })
    }
    expect((await server.api('GET', '/sandbox/connectors/0/outage')).status).toBe(404)
    expect((await server.api('GET', `/sandbox/items/${itemId}`)).body).toMatchObject({ outcome: null, loginReset: false })
    // Signing out clears the cookie.
    const out = await dashboardCall(server, 'POST', '/dashboard/api/session/end', { cookie: session.cookie, csrfToken: session.csrfToken })
    expect(out.status).toBe(200)
    expect(out.headers.get('set-cookie')).toMatch(/^tributary_dashboard=; Path=\/dashboard; HttpOnly; SameSite=Strict; Max-Age=0$/)
  })

  it('a session sees only its own client’s items: another client’s session gets 404 for them and an empty list', async () => {
    const other = await signInOverHttp(server, OTHER_CLIENT)
    for (const path of [
      `/dashboard/api/items/${itemId}`,
      `/dashboard/api/items/${itemId}/executions`,
      `/dashboard/api/items/${itemId}/stream`,
      `/dashboard/api/events?itemId=${itemId}`,
      `/dashboard/api/webhook-deliveries?itemId=${itemId}`,
    ]) {
      const reply = await dashboardCall(server, 'GET', path, { cookie: other.cookie })
      expect({ path, status: reply.status, code: reply.body.codeDescription }).toEqual({ path, status: 404, code: 'ITEM_NOT_FOUND' })
    }
    for (const path of [`/dashboard/api/sandbox/items/${itemId}/outcome`, `/dashboard/api/sandbox/items/${itemId}/reset-login`, `/dashboard/api/items/${itemId}/update`]) {
      const reply = await dashboardCall(server, 'POST', path, { cookie: other.cookie, csrfToken: other.csrfToken, ...(path.endsWith('outcome') ? { body: { executionStatus: 'ERROR' } } : {}) })
      expect({ path, status: reply.status, code: reply.body.codeDescription }).toEqual({ path, status: 404, code: 'ITEM_NOT_FOUND' })
    }
    expect((await dashboardCall(server, 'GET', '/dashboard/api/items', { cookie: other.cookie })).body.total).toBe(0)
    expect((await dashboardCall(server, 'GET', '/dashboard/api/events', { cookie: other.cookie })).body.results).toEqual([])
  })

  it('the items list filters by status, connector and clientUserId; the item page counts the data collected', async () => {
    const { cookie } = await signInOverHttp(server)
    const list = async (q: string) => (await dashboardCall(server, 'GET', `/dashboard/api/items?${q}`, { cookie })).body.results.map((r: any) => r.item.clientUserId)
    expect(await list('clientUserId=dash-api-user')).toEqual(['dash-api-user'])
    expect(await list('status=LOGIN_ERROR')).toEqual(['dash-api-other'])
    expect(await list('status=UPDATED&connectorId=0')).toEqual(['dash-api-user'])
    expect(await list('connectorId=90')).toEqual([])
    const detail = await dashboardCall(server, 'GET', `/dashboard/api/items/${itemId}`, { cookie })
    expect(detail.body.item.id).toBe(itemId)
    expect(detail.body.counts.accounts).toBeGreaterThan(0)
    expect(detail.body.counts.transactions).toBeGreaterThan(0)
    // The same counts as the API's own lists give.
    const accounts = (await server.api('GET', `/accounts?itemId=${itemId}`)).body
    expect(detail.body.counts.accounts).toBe(accounts.total)
    let transactions = 0
    for (const account of accounts.results) transactions += (await server.api('GET', `/transactions?accountId=${account.id}&pageSize=1`)).body.total
    expect(detail.body.counts.transactions).toBe(transactions)
    const listed = (await dashboardCall(server, 'GET', '/dashboard/api/items?clientUserId=dash-api-user', { cookie })).body.results[0]
    expect(listed.counts).toEqual(detail.body.counts)
    const connectors = (await dashboardCall(server, 'GET', '/dashboard/api/connectors', { cookie })).body.results
    const bank = connectors.find((c: any) => c.id === 0)
    expect(bank).toMatchObject({ finished: 2, successRate: 50, failuresByOutcome: [{ outcome: 'ACCOUNT_LOCKED', count: 1 }] })
    expect(bank.p95Ms).toBeGreaterThanOrEqual(bank.p50Ms)
  })

  it("the pages are never framed (CSP frame-ancestors 'none', X-Frame-Options DENY) and load nothing from elsewhere", async () => {
    for (const [path, cookie] of [
      ['/dashboard/sign-in', undefined],
      ['/dashboard', (await signInOverHttp(server)).cookie],
    ] as const) {
      const reply = await dashboardCall(server, 'GET', path, { cookie })
      expect(reply.status).toBe(200)
      const csp = reply.headers.get('content-security-policy')!
      expect(csp).toContain("frame-ancestors 'none'")
      expect(csp).toContain("default-src 'self'")
      expect(csp).toContain("connect-src 'self'")
      expect(reply.headers.get('x-frame-options')).toBe('DENY')
    }
  })
})

describe('dashboard sessions', () => {
  it('a session cookie expires after 30 minutes, and only this server’s key opens it', async () => {
    const start = new Date('2026-01-01T00:00:00Z')
    let now = start
    const sessions = new DashboardSessions('a-signing-secret-of-at-least-32-characters', () => now)
    const { cookieValue, session, maxAgeSeconds } = await sessions.issue('client-a')
    expect(maxAgeSeconds).toBe(SESSION_TTL_SECONDS)
    const header = `other=1; tributary_dashboard=${cookieValue}`
    expect(await new DashboardSessions('another-signing-secret-of-32-characters!', () => now).read(header)).toBeNull()
    now = new Date(start.getTime() + (SESSION_TTL_SECONDS - 1) * 1000)
    expect(await sessions.read(header)).toEqual(session)
    now = new Date(start.getTime() + (SESSION_TTL_SECONDS + 1) * 1000)
    expect(await sessions.read(header)).toBeNull()
  })
})

describe('dashboard switch', () => {
  it('is on outside production, off in production unless TRIBUTARY_DASHBOARD=true, and refuses a value that is not a boolean', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).dashboard).toBe(true)
    expect(loadConfig({ NODE_ENV: 'production' }).dashboard).toBe(false)
    expect(loadConfig({ NODE_ENV: 'production', TRIBUTARY_DASHBOARD: 'true' }).dashboard).toBe(true)
    expect(loadConfig({ NODE_ENV: 'development', TRIBUTARY_DASHBOARD: 'false' }).dashboard).toBe(false)
    expect(() => loadConfig({ TRIBUTARY_DASHBOARD: 'maybe' })).toThrow(ConfigError)
  })

  it('a server with the dashboard off has no such routes: like any unknown path, 401 without an API key and 404 with one', async () => {
    const off = await startConnectServer({ TRIBUTARY_DASHBOARD: 'false' })
    try {
      expect((await dashboardCall(off, 'GET', '/dashboard')).body.codeDescription).toBe('API_KEY_MISSING')
      expect((await dashboardCall(off, 'POST', '/dashboard/api/session', { body: CLIENT })).body.codeDescription).toBe('API_KEY_MISSING')
      expect(await off.api('GET', '/dashboard')).toMatchObject({ status: 404, body: { codeDescription: 'NOT_FOUND' } })
      expect(off.app.routeList.filter((r) => r.url.startsWith('/dashboard'))).toEqual([])
    } finally {
      await off.stop()
    }
  })
})
