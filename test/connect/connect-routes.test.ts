/**
 * The Connect routes without a browser: headers (CSP, caching), what the served code may and may
 * not contain, the demo's availability, and the page's pure parts (options, words, field rules).
 */
import { readdir, readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import Fastify, { type FastifyInstance } from 'fastify'
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod'
import { afterAll, describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../src/config.ts'
import { fieldError } from '../../src/connect/app/fields.ts'
import { DICTIONARIES, ERROR_SCREENS, STEP_KEYS, translator, type MessageKey } from '../../src/connect/app/i18n.ts'
import { itemIdOfToken, readOptions, urlWithoutToken } from '../../src/connect/app/options.ts'
import { connectBundle } from '../../src/connect/connect-bundle.ts'
import { registerConnectRoutes, type ConnectRouteOptions } from '../../src/connect/connect-routes.ts'
import type { CredentialField } from '../../src/connectors/sdk/index.ts'
import { ERROR_OUTCOME_ITEM_STATUS, ERROR_OUTCOMES, STEP_ORDER, errorCodeOf } from '../../src/domain/statuses.ts'
import { systemClock } from '../../src/engine/clock.ts'
import { validateParameters } from '../../src/engine/validate-parameters.ts'
import type { App } from '../../src/http/app.ts'
import { TokenAuthority } from '../../src/http/auth.ts'
import { registerErrorHandling } from '../../src/http/errors.ts'
import { RateLimiter } from '../../src/http/rate-limit.ts'

const APP_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/connect/app')
const require = createRequire(import.meta.url)
const tokens = new TokenAuthority('connect-routes-suite-signing-secret-0123456789')
const apps: App[] = []
afterAll(async () => {
  for (const app of apps) await app.close()
})

/** The Connect routes alone on a Fastify app with the API's error handling. */
async function connectApp(options: ConnectRouteOptions = {}): Promise<App> {
  const app = Fastify({ logger: false, routerOptions: { maxParamLength: 200 } }).withTypeProvider<ZodTypeProvider>()
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  registerErrorHandling(app as unknown as FastifyInstance)
  const limits = { auth: new RateLimiter(1000, 60_000), itemUpdate: new RateLimiter(1000, 60_000), itemCreate: new RateLimiter(1000, 60_000) }
  await registerConnectRoutes(app, { tokens, clock: systemClock, limits }, options)
  await app.ready()
  apps.push(app)
  return app
}

function directives(csp: string): Map<string, string> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name!, values.join(' ')]),
  )
}

describe('GET /connect', () => {
  it('serves the page with a strict Content-Security-Policy, no caching, and only same-origin assets', async () => {
    const app = await connectApp()
    const reply = await app.inject({ method: 'GET', url: '/connect?connectToken=abc&includeSandbox=true' })
    expect(reply.statusCode).toBe(200)
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(reply.headers['cache-control']).toBe('no-store')
    expect(reply.headers['referrer-policy']).toBe('no-referrer')
    expect(reply.headers['x-content-type-options']).toBe('nosniff')
    const csp = directives(String(reply.headers['content-security-policy']))
    expect(csp.get('default-src')).toBe("'self'")
    expect(csp.get('script-src')).toBe("'self'")
    expect(csp.get('style-src')).toBe("'self'")
    expect(csp.get('img-src')).toBe("'self' data:")
    expect(csp.get('connect-src')).toBe("'self'")
    expect(csp.get('frame-ancestors')).toBe("'self'")
    expect(csp.get('form-action')).toBe("'none'")
    expect(csp.get('object-src')).toBe("'none'")
    expect(String(reply.headers['content-security-policy'])).not.toMatch(/unsafe-inline|unsafe-eval/)

    const html = reply.body
    expect(html).not.toContain('abc')
    expect(html).not.toMatch(/https?:\/\//)
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/) // no inline script
    expect(html).not.toMatch(/\sstyle=/)
    const references = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!)
    expect(references.length).toBe(2)
    for (const reference of references) {
      expect(reference).toMatch(/^\/connect\/assets\/(app|connect)\.[0-9a-f]{16}\.(js|css)$/)
      const asset = await app.inject({ method: 'GET', url: reference })
      expect(asset.statusCode).toBe(200)
      expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable')
      expect(asset.headers['content-type']).toMatch(reference.endsWith('.js') ? /^text\/javascript/ : /^text\/css/)
      const again = await app.inject({ method: 'GET', url: reference, headers: { 'if-none-match': String(asset.headers.etag) } })
      expect(again.statusCode).toBe(304)
    }
  })

  it('answers unknown assets with the API error shape', async () => {
    const app = await connectApp()
    for (const url of ['/connect/assets/app.js', '/connect/assets/..%2F..%2Fpackage.json', `/connect/assets/${'x'.repeat(150)}`]) {
      const reply = await app.inject({ method: 'GET', url })
      expect(reply.statusCode, url).toBeGreaterThanOrEqual(400)
      expect(reply.statusCode, url).toBeLessThan(500)
      expect(reply.json()).toMatchObject({ code: reply.statusCode, codeDescription: expect.stringMatching(/^[A-Z_]+$/) })
    }
  })

  it('lets the configured origins embed the page, and refuses a value that is not an origin', async () => {
    const app = await connectApp({ frameAncestors: ['https://app.example.com', 'https://*.example.org', 'http://localhost:*'] })
    const reply = await app.inject({ method: 'GET', url: '/connect' })
    expect(directives(String(reply.headers['content-security-policy'])).get('frame-ancestors')).toBe("'self' https://app.example.com https://*.example.org http://localhost:*")
    await expect(connectApp({ frameAncestors: ["https://ok.example.com; script-src 'unsafe-inline'"] })).rejects.toThrow(/is not an origin/)
    await expect(connectApp({ frameAncestors: ['javascript:alert(1)'] })).rejects.toThrow(/is not an origin/)
  })
})

describe('around the page', () => {
  it('GET / leads to the page (the reference SDK may be given the bare origin); GET /favicon.ico is a 404, never a 401', async () => {
    const app = await connectApp()
    const root = await app.inject({ method: 'GET', url: '/' })
    expect(root.statusCode).toBe(302)
    expect(root.headers.location).toBe('/connect')
    const icon = await app.inject({ method: 'GET', url: '/favicon.ico' })
    expect(icon.statusCode).toBe(404)
    expect(icon.json()).toMatchObject({ code: 404, codeDescription: 'NOT_FOUND', message: 'This server has no favicon.' })
  })

  it('TRIBUTARY_CONNECT_FRAME_ANCESTORS: origins separated by spaces or commas; anything else stops the start with one line naming it', () => {
    expect(loadConfig({ TRIBUTARY_DATA_DIR: ':memory:' }).connectFrameAncestors).toEqual([])
    expect(loadConfig({ TRIBUTARY_DATA_DIR: ':memory:', TRIBUTARY_CONNECT_FRAME_ANCESTORS: ' https://app.example.com, https://*.example.org http://localhost:*' }).connectFrameAncestors).toEqual([
      'https://app.example.com',
      'https://*.example.org',
      'http://localhost:*',
    ])
    for (const bad of ["https://ok.example.com;script-src 'unsafe-inline'", 'app.example.com/path', 'javascript:alert(1)']) {
      expect(() => loadConfig({ TRIBUTARY_DATA_DIR: ':memory:', TRIBUTARY_CONNECT_FRAME_ANCESTORS: bad })).toThrow(ConfigError)
      expect(() => loadConfig({ TRIBUTARY_DATA_DIR: ':memory:', TRIBUTARY_CONNECT_FRAME_ANCESTORS: bad })).toThrow(/^TRIBUTARY_CONNECT_FRAME_ANCESTORS: "[^\n]+" is not an origin[^\n]*$/)
    }
  })
})

describe('the served code', () => {
  it('makes no request to other hosts, stores nothing in the browser, and logs nothing', async () => {
    const bundle = await connectBundle()
    for (const asset of [bundle.app, bundle.embed, bundle.demo]) {
      const code = asset.body.toString('utf8')
      // The only absolute URL is the SVG namespace (a name, never fetched).
      expect(new Set([...code.matchAll(/https?:\/\/[^\s"'`)]+/g)].map((m) => m[0]))).toEqual(new Set(asset === bundle.app ? ['http://www.w3.org/2000/svg'] : []))
      expect(code).not.toMatch(/localStorage|sessionStorage|indexedDB|document\.cookie|caches\.open/)
      expect(code).not.toMatch(/console\.(log|info|warn|error|debug)/)
      expect(code).not.toMatch(/outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/)
    }
    // innerHTML: none in the page's own code; the bundle has zoid's one, in its parent-side iframe
    // helper, which a child never runs.
    const own = await readdir(APP_DIR, { recursive: true })
    for (const file of own.filter((f) => f.endsWith('.ts'))) expect(await readFile(path.join(APP_DIR, file), 'utf8'), file).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML/)
    const zoid = await readFile(require.resolve('zoid/dist/zoid.frame.js'), 'utf8')
    expect(bundle.app.body.toString('utf8').split('innerHTML').length).toBe(zoid.split('innerHTML').length)
    const css = bundle.css.body.toString('utf8')
    expect(css).not.toMatch(/url\(|@import|@font-face/)
  })

  it('serves connect.js for other sites: cross-origin readable, revalidated by ETag', async () => {
    const app = await connectApp()
    const reply = await app.inject({ method: 'GET', url: '/connect.js' })
    expect(reply.statusCode).toBe(200)
    expect(reply.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(reply.headers['cross-origin-resource-policy']).toBe('cross-origin')
    expect(reply.headers['access-control-allow-origin']).toBe('*')
    expect(reply.headers['cache-control']).toBe('public, max-age=300, must-revalidate')
    expect(reply.body).toContain('TributaryConnect')
    expect((await app.inject({ method: 'GET', url: '/connect.js', headers: { 'if-none-match': String(reply.headers.etag) } })).statusCode).toBe(304)
  })
})

describe('the demo', () => {
  it('is not served without a demo client', async () => {
    const app = await connectApp()
    for (const [method, url] of [
      ['GET', '/connect/demo'],
      ['POST', '/connect/demo/token'],
    ] as const) {
      const reply = await app.inject({ method, url })
      expect(reply.statusCode).toBe(404)
      expect(reply.json()).toMatchObject({ code: 404, codeDescription: 'NOT_FOUND' })
    }
  })

  it('with a demo client: the host page, and connect tokens of that client', async () => {
    const app = await connectApp({ demoClientId: 'demo-client' })
    const page = await app.inject({ method: 'GET', url: '/connect/demo' })
    expect(page.statusCode).toBe(200)
    const csp = directives(String(page.headers['content-security-policy']))
    expect(csp.get('frame-src')).toBe("'self'")
    expect(csp.get('script-src')).toBe("'self'")
    expect(page.body).toContain('<script src="/connect.js"></script>')
    const reply = await app.inject({ method: 'POST', url: '/connect/demo/token' })
    expect(reply.statusCode).toBe(200)
    expect(reply.headers['cache-control']).toBe('no-store')
    const principal = await tokens.verify(reply.json().accessToken)
    expect(principal).toMatchObject({ kind: 'connect', clientId: 'demo-client', itemId: null, options: { clientUserId: 'connect-demo' } })
  })
})

describe('the page’s options', () => {
  const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJpdGVtSWQiOiIxMjM0NTY3OC05YWJjLTRkZWYtODEyMy00NTY3ODlhYmNkZWYiLCJraW5kIjoiY29ubmVjdCJ9.c2ln'

  it('reads the query and the fragment (the fragment wins) and drops values that are not valid', () => {
    const options = readOptions(
      {
        search: '?connectToken=from-query&language=en&connectorIds=1,x,2&countries=br,USA&connectorTypes=PERSONAL_BANK,<b>',
        hash: '#connectToken=from-fragment&includeSandbox=true&updateItem=not-a-uuid&parentOrigin=https://app.example.com/path',
      },
      ['pt-BR'],
    )
    expect(options).toEqual({
      connectToken: 'from-fragment',
      includeSandbox: true,
      connectorIds: [1, 2],
      connectorTypes: ['PERSONAL_BANK'],
      countries: ['BR'],
      products: [],
      updateItem: null,
      selectedConnectorId: null,
      language: 'en',
      theme: 'light',
      autoUpdate: false,
      allowConnectInBackground: false,
      prefill: {},
      parentOrigin: 'https://app.example.com',
    })
    expect(readOptions({ search: '', hash: '' }, ['pt-PT', 'en']).language).toBe('pt-BR')
    expect(readOptions({ search: '?language=fr', hash: '' }, ['de']).language).toBe('en')
    expect(readOptions({ search: '?parentOrigin=javascript:alert(1)', hash: '' }, []).parentOrigin).toBeNull()
  })

  it('takes the token out of the address, wherever it was', () => {
    expect(urlWithoutToken('https://t.example/connect?connectToken=a&includeSandbox=true#connectToken=b&language=pt-BR')).toBe('/connect?includeSandbox=true#language=pt-BR')
    expect(urlWithoutToken('https://t.example/connect#connectToken=b')).toBe('/connect')
  })

  it('finds the item an item-bound token names (update mode without updateItem)', () => {
    expect(itemIdOfToken(TOKEN)).toBe('12345678-9abc-4def-8123-456789abcdef')
    expect(itemIdOfToken('not.a.token')).toBeNull()
    expect(itemIdOfToken('')).toBeNull()
  })
})

describe('the page’s words', () => {
  it('names every in-progress step, in both languages', () => {
    for (const language of ['en', 'pt-BR'] as const) {
      const t = translator(language)
      for (const status of [...STEP_ORDER, 'WAITING_USER_INPUT'] as const) {
        const words = t(STEP_KEYS[status])
        expect(words, `${language} ${status}`).toMatch(/…$/)
        expect(words).not.toContain('_')
      }
    }
    expect(translator('en')(STEP_KEYS.TRANSACTIONS_IN_PROGRESS)).toBe('Collecting your transactions…')
  })

  it('has an error screen for every error code of SPEC §2.2, with the action its item status calls for', () => {
    for (const outcome of ERROR_OUTCOMES) {
      const code = errorCodeOf(outcome)
      const screen = ERROR_SCREENS[code as keyof typeof ERROR_SCREENS]
      expect(screen, code).toBeDefined()
      // OUTDATED: the credentials were accepted, the same item runs again. LOGIN_ERROR: never a plain retry.
      if (ERROR_OUTCOME_ITEM_STATUS[outcome] === 'OUTDATED') expect(screen.action, code).toBe('retry')
      else expect(screen.action, code).not.toBe('retry')
    }
    expect(ERROR_SCREENS.INVALID_CREDENTIALS.action).toBe('credentials')
    expect(ERROR_SCREENS.INVALID_CREDENTIALS_MFA.action).toBe('credentials')
    expect(ERROR_SCREENS.ACCOUNT_LOCKED.action).toBe('contact-bank')
    expect(Object.keys(ERROR_SCREENS).sort()).toEqual(ERROR_OUTCOMES.map(errorCodeOf).sort())
  })

  it('has the same messages, with the same placeholders, in English and Brazilian Portuguese', () => {
    const en = DICTIONARIES.en
    const pt = DICTIONARIES['pt-BR']
    expect(Object.keys(pt).sort()).toEqual(Object.keys(en).sort())
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
    for (const key of Object.keys(en) as MessageKey[]) {
      expect(pt[key].trim(), key).not.toBe('')
      expect(placeholders(pt[key]), key).toEqual(placeholders(en[key]))
    }
  })
})

describe('the credential form’s rules', () => {
  it('match the server’s (required unless optional, the field regex, select values)', () => {
    const fields: CredentialField[] = [
      { name: 'user', label: 'User', type: 'text' },
      { name: 'token', label: 'Code', type: 'number', validation: '^\\d{6}$', validationMessage: 'Six digits.' },
      { name: 'nick', label: 'Nickname', type: 'text', optional: true, validation: '^[a-z]+$' },
      { name: 'kind', label: 'Kind', type: 'select', options: [{ value: 'a', label: 'A' }] },
      { name: 'loose', label: 'Loose', type: 'text', validation: '\\d' },
    ]
    const t = translator('en')
    const values = ['', 'x', '123456', '12345', 'abc', 'a', 'b', 'x1y', ' 123456', '1234567']
    for (const field of fields) {
      for (const value of values) {
        const client = fieldError(field, value, t)
        const server = validateParameters([field], { [field.name]: value })
        expect(client === null, `${field.name}=${JSON.stringify(value)}`).toBe(server.length === 0)
        if (server.length && field.validationMessage && value !== '') expect(client).toBe(field.validationMessage)
      }
    }
    expect(fieldError(fields[0]!, '', t)).toBe('User is required.')
  })
})
