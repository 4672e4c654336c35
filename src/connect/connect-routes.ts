/**
 * The Connect page and its embedding (SPEC §6, §4a.15):
 *
 *   GET  /connect                 the single-page app (options and connectToken in the query or fragment,
 *                                 or from the reference Connect SDK that renders it)
 *   GET  /                        redirects to /connect: the SDK's `url` may then be the server's origin alone
 *   GET  /connect/assets/:file    its hashed script and stylesheet (cached for a year)
 *   GET  /connect.js              TributaryConnect(): opens the page in an iframe overlay
 *   GET  /connect/demo            a demo host page            } only with a demo client
 *   POST /connect/demo/token      a connect token for it      } (development)
 *   GET  /favicon.ico             404 (browsers ask for it; the answer must not be a 401)
 *
 * Pages are served with a strict Content-Security-Policy: only same-origin scripts, styles and
 * connections, images from the same origin or data: URLs, no form submissions, and framing only by
 * the origins in `frameAncestors` (default: this server's own origin).
 */
import type { FastifyReply } from 'fastify'
import { z } from 'zod'
import { Refusal } from '../engine/refusal.ts'
import type { App, HttpServices } from '../http/http-types.ts'
import { connectBundle, type ConnectAsset, type ConnectBundle } from './connect-bundle.ts'
import { frameAncestorsDirective } from './frame-ancestors.ts'

export interface ConnectRouteOptions {
  /**
   * The client the demo page's connect tokens belong to. The demo (GET /connect/demo and
   * POST /connect/demo/token) is served only when this is set: anyone who can reach the server can
   * get such a token, so it is for development (main.ts sets it to the bootstrap client outside
   * production).
   */
  demoClientId?: string | null
  /**
   * Origins allowed to embed /connect in an iframe (CSP frame-ancestors), besides this server's own:
   * e.g. ['https://app.example.com', 'https://*.example.com', 'http://localhost:*'].
   */
  frameAncestors?: readonly string[]
}

/** What the routes read from the HTTP services; `demoClientId` and `connectFrameAncestors` may be added there instead of passed as options. */
export type ConnectServices = Pick<HttpServices, 'tokens' | 'clock' | 'limits'> & {
  demoClientId?: string | null
  connectFrameAncestors?: readonly string[]
}

export function contentSecurityPolicy(frameAncestors: string, options: { frames?: boolean } = {}): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    `frame-src ${options.frames ? "'self'" : "'none'"}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    frameAncestors,
  ].join('; ')
}

const COMMON_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
}

function pageHtml(bundle: ConnectBundle, title: string, bodyClass: string, body: string, scripts: string[]): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    '<meta name="robots" content="noindex">',
    `<title>${title}</title>`,
    `<link rel="stylesheet" href="/connect/assets/${bundle.css.fileName}">`,
    '</head>',
    `<body class="${bodyClass}">`,
    body,
    ...scripts.map((src) => `<script src="${src}"></script>`),
    '</body>',
    '</html>',
  ].join('\n')
}

const DEMO_BODY = `<main class="demo">
<h1>Tributary Connect demo</h1>
<p>This page plays the part of your application. It asks this server for a connect token (your backend would call <code>POST /connect_token</code> with its API key) and opens the Connect widget with <code>connect.js</code>.</p>
<p>Sandbox credentials: user <code>user-ok</code>, password <code>password-ok</code>, MFA code <code>123456</code>.</p>
<div class="demo-controls">
<div class="field"><label for="demo-language" class="field-label">Language</label><select id="demo-language"><option value="en">English</option><option value="pt-BR">Português (Brasil)</option></select></div>
<button id="demo-open" type="button" class="primary">Connect an account</button>
</div>
<div id="demo-result" class="demo-result" role="status"></div>
<h2>Widget events</h2>
<ol id="demo-log" class="demo-log" aria-label="Widget events"></ol>
</main>`

async function bundleOrRefuse(): Promise<ConnectBundle> {
  try {
    return await connectBundle()
  } catch (error) {
    // Not a 5xx: the page is missing, the API is fine. The cause is logged where the build failed.
    throw new Refusal('not_found', 'CONNECT_PAGE_UNAVAILABLE', `The Connect page could not be built on this server (${(error as Error).message.split('\n')[0]}).`)
  }
}

function sendAsset(reply: FastifyReply, asset: ConnectAsset, cacheControl: string, ifNoneMatch: string | undefined, extra: Record<string, string> = {}) {
  const etag = `"${asset.hash}"`
  reply.headers({ ...COMMON_HEADERS, ...extra, 'cache-control': cacheControl, etag })
  if (ifNoneMatch === etag) return reply.code(304).send()
  return reply.type(asset.contentType).send(asset.body)
}

export async function registerConnectRoutes(app: App, services: ConnectServices, options: ConnectRouteOptions = {}): Promise<void> {
  const demoClientId = options.demoClientId ?? services.demoClientId ?? null
  const frameAncestors = frameAncestorsDirective(options.frameAncestors ?? services.connectFrameAncestors ?? [])
  const pageCsp = contentSecurityPolicy(frameAncestors)
  const demoCsp = contentSecurityPolicy("frame-ancestors 'self'", { frames: true })

  // Start building now, so the first visitor does not wait; a failure is logged and retried on use.
  connectBundle().catch((error) => app.log.error({ err: error }, 'the Connect page could not be built; GET /connect answers 404 until it can'))

  const pageHeaders = (csp: string) => ({ ...COMMON_HEADERS, 'content-security-policy': csp, 'cache-control': 'no-store', 'content-type': 'text/html; charset=utf-8' })

  // The URL may carry ?connectToken=: this route logs only warnings and errors, never the request line.
  app.get('/connect', { config: { access: 'public' }, logLevel: 'warn', schema: { hide: true } }, async (_request, reply) => {
    const bundle = await bundleOrRefuse()
    reply.headers(pageHeaders(pageCsp))
    return pageHtml(bundle, 'Tributary Connect', 'page', '<div id="app" class="app"><noscript>Connecting an account needs JavaScript.</noscript></div>', [`/connect/assets/${bundle.app.fileName}`])
  })

  // The reference Connect SDK navigates its frame to `url` exactly; its default is an origin alone
  // (and it checks its messages' origin against `url` as a string), so the root leads to the page.
  app.get('/', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) => reply.redirect('/connect', 302))

  app.get('/favicon.ico', { config: { access: 'public' }, schema: { hide: true } }, async () => {
    throw new Refusal('not_found', 'NOT_FOUND', 'This server has no favicon.')
  })

  app.get('/connect/assets/:file', { config: { access: 'public' }, schema: { hide: true, params: z.object({ file: z.string().max(100) }) } }, async (request, reply) => {
    const bundle = await bundleOrRefuse()
    const asset = bundle.byName.get(request.params.file)
    if (!asset) throw new Refusal('not_found', 'NOT_FOUND', `There is no Connect asset ${request.params.file.slice(0, 100)}.`)
    return sendAsset(reply, asset, 'public, max-age=31536000, immutable', request.headers['if-none-match'], { 'cross-origin-resource-policy': 'same-origin' })
  })

  app.get('/connect.js', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const bundle = await bundleOrRefuse()
    // Loaded by other sites' pages: allowed cross-origin; a fixed name, so revalidated often.
    return sendAsset(reply, bundle.embed, 'public, max-age=300, must-revalidate', request.headers['if-none-match'], {
      'cross-origin-resource-policy': 'cross-origin',
      'access-control-allow-origin': '*',
    })
  })

  if (!demoClientId) return

  app.get('/connect/demo', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) => {
    const bundle = await bundleOrRefuse()
    reply.headers(pageHeaders(demoCsp))
    return pageHtml(bundle, 'Tributary Connect demo', 'demo-page', DEMO_BODY, ['/connect.js', `/connect/assets/${bundle.demo.fileName}`])
  })

  app.post('/connect/demo/token', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    await services.limits.auth.take(`${request.ip}|connect-demo`, reply, 'demo connect tokens from this address')
    reply.headers({ 'cache-control': 'no-store', ...COMMON_HEADERS })
    const accessToken = await services.tokens.issueConnectToken(demoClientId, null, { clientUserId: 'connect-demo' })
    return { accessToken }
  })
}
