/**
 * The developer dashboard (docs/dashboard.md):
 *
 *   GET  /dashboard                the single-page app (redirects to the sign-in page without a session)
 *   GET  /dashboard/sign-in        the sign-in page
 *   GET  /dashboard/assets/:file   its hashed script and stylesheet
 *   POST /dashboard/api/session    sign in: client id and secret, or an API key → session cookie
 *   GET  /dashboard/api/...        what the pages show (dashboard-api-routes.ts), with the session cookie
 *
 * The session is an encrypted HttpOnly, SameSite=Strict cookie on /dashboard only; every
 * state-changing request also carries the session's CSRF token. Pages are framed by no one.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { decodeJwt } from 'jose'
import { contentSecurityPolicy } from '../connect/connect-routes.ts'
import { Refusal } from '../engine/refusal.ts'
import type { App, HttpServices } from '../http/http-types.ts'
import { refusals } from '../http/schemas/error.ts'
import { registerDashboardApiRoutes } from './dashboard-api-routes.ts'
import { registerDashboardSandboxRoutes } from './dashboard-sandbox-routes.ts'
import { dashboardBundle, type DashboardBundle } from './dashboard-bundle.ts'
import { CHANGE_REFUSALS, Session, SESSION_REFUSALS, SignedOut, SignInBody } from './dashboard-schemas.ts'
import { CSRF_HEADER, csrfMatches, sessionCookie, type DashboardSession, type DashboardSessions } from './dashboard-session.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** The dashboard session of a /dashboard/api request, once checked. */
    dashboardSession: DashboardSession | null
  }
}

const PAGE_CSP = contentSecurityPolicy("frame-ancestors 'none'")

const PAGE_HEADERS = {
  'content-security-policy': PAGE_CSP,
  // For browsers that predate frame-ancestors.
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  'cache-control': 'no-store',
}

/** Refused when the session is missing: the API's error shape, so scripts and the page read it alike. */
const noSession = () => new Refusal('unauthorized', 'DASHBOARD_SESSION_MISSING', 'Sign in to the dashboard at /dashboard/sign-in (sessions last 30 minutes).')

function pageHtml(bundle: DashboardBundle, view: 'app' | 'sign-in'): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    '<meta name="robots" content="noindex">',
    '<title>Tributary dashboard</title>',
    // No favicon request (the server has none).
    '<link rel="icon" href="data:,">',
    `<link rel="stylesheet" href="/dashboard/assets/${bundle.css.fileName}">`,
    '</head>',
    `<body data-view="${view}">`,
    '<div id="app"><noscript>The dashboard needs JavaScript.</noscript></div>',
    `<script src="/dashboard/assets/${bundle.app.fileName}"></script>`,
    '</body>',
    '</html>',
  ].join('\n')
}

async function bundleOrRefuse(): Promise<DashboardBundle> {
  try {
    return await dashboardBundle()
  } catch (error) {
    throw new Refusal('not_found', 'NOT_FOUND', `The dashboard could not be built on this server (${(error as Error).message.split('\n')[0]}).`)
  }
}

const secureRequest = (request: FastifyRequest) => request.protocol === 'https'

export async function registerDashboardRoutes(app: App, services: HttpServices, sessions: DashboardSessions): Promise<void> {
  dashboardBundle().catch((error) => app.log.error({ err: error }, 'the dashboard could not be built; GET /dashboard answers 404 until it can'))
  const sessionOf = (request: FastifyRequest) => sessions.read(request.headers.cookie)

  app.get('/dashboard', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    if (!(await sessionOf(request))) return reply.redirect('/dashboard/sign-in', 302)
    const bundle = await bundleOrRefuse()
    reply.headers({ ...PAGE_HEADERS, 'content-type': 'text/html; charset=utf-8' })
    return pageHtml(bundle, 'app')
  })

  app.get('/dashboard/sign-in', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    if (await sessionOf(request)) return reply.redirect('/dashboard', 302)
    const bundle = await bundleOrRefuse()
    reply.headers({ ...PAGE_HEADERS, 'content-type': 'text/html; charset=utf-8' })
    return pageHtml(bundle, 'sign-in')
  })

  app.get('/dashboard/assets/:file', { config: { access: 'public' }, schema: { hide: true } }, async (request: FastifyRequest<{ Params: { file: string } }>, reply: FastifyReply) => {
    const bundle = await bundleOrRefuse()
    const asset = bundle.byName.get(String(request.params.file).slice(0, 100))
    if (!asset) throw new Refusal('not_found', 'NOT_FOUND', `There is no dashboard asset ${String(request.params.file).slice(0, 100)}.`)
    const etag = `"${asset.hash}"`
    reply.headers({ 'x-content-type-options': 'nosniff', 'cache-control': 'public, max-age=31536000, immutable', etag, 'cross-origin-resource-policy': 'same-origin' })
    if (request.headers['if-none-match'] === etag) return reply.code(304).send()
    return reply.type(asset.contentType).send(asset.body)
  })

  // Signing in needs no session (nor CSRF token): it is what makes one. A foreign page cannot post
  // JSON here without a CORS preflight this server never answers, and the cookie is SameSite=Strict.
  app.post(
    '/dashboard/api/session',
    {
      config: { access: 'public' },
      schema: { hide: true, body: SignInBody, response: { 200: Session, ...refusals({ 401: ['CLIENT_KEYS_UNAUTHORIZED', 'API_KEY_INVALID', 'API_KEY_EXPIRED'], 429: ['RATE_LIMIT_EXCEEDED'] }) } },
    },
    async (request, reply) => {
      const body = request.body
      let clientId: string
      let notAfter: Date | undefined
      if ('apiKey' in body) {
        await services.limits.auth.take(`${request.ip}|dashboard-key`, reply, 'dashboard sign-ins from this address')
        const principal = await services.tokens.verify(body.apiKey)
        if (principal.kind !== 'api') throw new Refusal('unauthorized', 'API_KEY_INVALID', 'A connect token cannot open the dashboard; sign in with an API key or the client id and secret.')
        clientId = principal.clientId
        // The session ends when the key would have (verified above, so its claims are the server's).
        notAfter = new Date((decodeJwt(body.apiKey).exp ?? 0) * 1000)
      } else {
        await services.limits.auth.take(`${request.ip}|${body.clientId}`, reply, 'authentication attempts for this client from this address')
        if (!(await services.authenticateClient(body.clientId, body.clientSecret))) {
          throw new Refusal('unauthorized', 'CLIENT_KEYS_UNAUTHORIZED', 'The client id and secret do not match an active client.')
        }
        clientId = body.clientId
      }
      const { session, cookieValue, maxAgeSeconds } = await sessions.issue(clientId, notAfter)
      reply.header('set-cookie', sessionCookie(cookieValue, maxAgeSeconds, secureRequest(request)))
      reply.header('cache-control', 'no-store')
      return { clientId, csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() }
    },
  )

  await app.register(async (scope: App) => {
    scope.decorateRequest('dashboardSession', null)
    // Every other dashboard API route: the session first, then (for changes) its CSRF token.
    scope.addHook('onRequest', async (request) => {
      const session = await sessionOf(request)
      if (!session) throw noSession()
      if (request.method !== 'GET' && request.method !== 'HEAD' && !csrfMatches(session, request.headers[CSRF_HEADER])) {
        throw new Refusal('forbidden', 'DASHBOARD_CSRF_INVALID', 'Send the session’s CSRF token (from GET /dashboard/api/session) in the X-CSRF-Token header.')
      }
      request.dashboardSession = session
    })
    scope.addHook('onSend', async (_request, reply) => {
      reply.header('cache-control', 'no-store')
    })

    scope.get('/dashboard/api/session', { config: { access: 'public' }, schema: { hide: true, response: { 200: Session, ...SESSION_REFUSALS } } }, async (request) => {
      const session = request.dashboardSession!
      return { clientId: session.clientId, csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() }
    })

    scope.post('/dashboard/api/session/end', { config: { access: 'public' }, schema: { hide: true, response: { 200: SignedOut, ...CHANGE_REFUSALS } } }, async (request, reply) => {
      reply.header('set-cookie', sessionCookie('', 0, secureRequest(request)))
      return { signedOut: true as const }
    })

    registerDashboardApiRoutes(scope, services)
    registerDashboardSandboxRoutes(scope, services)
  })
}
