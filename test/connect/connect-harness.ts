/**
 * What the Connect page's end-to-end suites share: an engine listening on a real port with the
 * Connect routes, a headless Chromium (Debian's, through playwright-core), and helpers that read
 * the API's view of an item afterwards.
 */
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pino from 'pino'
import { expect, vi } from 'vitest'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { loadConfig } from '../../src/config.ts'
import { defineConnector, invalidCredentialsMfa, type ConnectorDefinition } from '../../src/connectors/sdk/index.ts'
import { startTributary, type Tributary } from '../../src/main.ts'
import { CLIENT } from '../support/harness.ts'

export { CLIENT }

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
/** The browser suites run where Chromium is installed, and must run in CI (a missing browser fails there). */
export const BROWSER_AVAILABLE = existsSync(CHROMIUM) || Boolean(process.env.CI)

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
/** Main screens go to docs/images when TRIBUTARY_DOCS_SCREENSHOTS=1; everything else (and by default everything) to a temporary directory. */
export const DOCS_IMAGES = path.join(ROOT, 'docs/images')
export const SCREENSHOT_DIR = process.env.TRIBUTARY_SCREENSHOT_DIR ?? path.join(os.tmpdir(), 'tributary-connect-screenshots')

/** A test institution whose login asks one MFA question of every other parameter type (select, image, password, text). */
export const CHALLENGE_CONNECTOR: ConnectorDefinition = defineConnector({
  id: 90,
  name: 'Challenge Bank',
  type: 'BUSINESS_BANK',
  country: 'BR',
  isSandbox: true,
  primaryColor: '#0E7490',
  hasMFA: true,
  products: ['ACCOUNTS'],
  credentials: [
    {
      name: 'branch',
      label: 'Branch',
      type: 'number',
      placeholder: '0001',
      validation: '^\\d{4}$',
      validationMessage: 'The branch has exactly 4 digits.',
      assistiveText: 'The 4 digits printed on your card.',
    },
    {
      name: 'accountType',
      label: 'Account type',
      type: 'select',
      options: [
        { value: 'checking', label: 'Checking account' },
        { value: 'savings', label: 'Savings account' },
      ],
    },
    { name: 'password', label: 'Internet banking password', type: 'password' },
    { name: 'nickname', label: 'Nickname', type: 'text', optional: true, placeholder: 'My company' },
  ],
  async login(ctx) {
    const channel = await ctx.askUser({
      name: 'channel',
      label: 'Where should we send your code?',
      type: 'select',
      options: [
        { value: 'sms', label: 'SMS to •••• 1234' },
        { value: 'email', label: 'E-mail to a•••@example.com' },
      ],
    })
    const captcha = await ctx.askUser({ name: 'captcha', label: 'Characters in the image', type: 'image', data: CAPTCHA_IMAGE, assistiveText: 'Type the 4 characters you see.' })
    const pin = await ctx.askUser({ name: 'pin', label: 'Card PIN', type: 'password', validation: '^\\d{4}$', validationMessage: 'The PIN has 4 digits.' })
    const word = await ctx.askUser({ name: 'word', label: 'Your secret word', type: 'text', placeholder: 'secret word' })
    if (channel !== 'sms' || captcha.toUpperCase() !== 'X7K2' || pin !== '4321' || word !== 'river') throw invalidCredentialsMfa()
  },
  async fetchAccounts() {
    return [{ providerId: 'acc-1', type: 'BANK', subtype: 'CHECKING_ACCOUNT', number: '0001/12345-6', name: 'Conta PJ', balance: 1234.56, currencyCode: 'BRL' }]
  },
})

const CAPTCHA_IMAGE = `data:image/svg+xml;base64,${Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="70" viewBox="0 0 200 70"><rect width="200" height="70" fill="#f1f5f9"/><path d="M0 50 L200 20" stroke="#94a3b8" stroke-width="3"/><text x="100" y="48" font-family="monospace" font-size="36" font-weight="700" fill="#0f172a" text-anchor="middle" letter-spacing="8">X7K2</text></svg>',
).toString('base64')}`

export interface ConnectServer {
  tributary: Tributary
  app: NonNullable<Tributary['app']>
  base: string
  apiKey: string
  /** A connect token of the test client (optionally bound to an item, with options). */
  connectToken(body?: Record<string, unknown>): Promise<string>
  api<T = any>(method: string, url: string, body?: unknown): Promise<{ status: number; body: T }>
  item(id: string): Promise<any>
  executions(id: string): Promise<any[]>
  /** Polls the API until the item is finished (neither UPDATING nor waiting for the user). */
  waitFinished(id: string, timeoutMs?: number): Promise<any>
  stop(): Promise<void>
}

/**
 * An engine serving the API and the Connect page on a loopback port, through the composition root
 * (startTributary), as `npm start` does: `frameAncestors` goes through TRIBUTARY_CONNECT_FRAME_ANCESTORS.
 */
export async function startConnectServer(env: Record<string, string> = {}, options: { frameAncestors?: string[] } = {}): Promise<ConnectServer> {
  const config = loadConfig({
    TRIBUTARY_DATA_DIR: ':memory:',
    PORT: '0',
    HOST: '127.0.0.1',
    TRIBUTARY_SANDBOX_DELAY_MS: '100',
    TRIBUTARY_CLIENT_ID: CLIENT.clientId,
    TRIBUTARY_CLIENT_SECRET: CLIENT.clientSecret,
    TRIBUTARY_POLL_INTERVAL_MS: '50',
    TRIBUTARY_AUTH_PENDING_RETRY_SECONDS: '3',
    TRIBUTARY_AUTH_RATE_LIMIT: '10000',
    TRIBUTARY_ITEM_UPDATE_RATE_LIMIT: '10000',
    LOG_LEVEL: 'silent',
    ...(options.frameAncestors ? { TRIBUTARY_CONNECT_FRAME_ANCESTORS: options.frameAncestors.join(' ') } : {}),
    ...env,
  })
  const logger = pino({ level: process.env.TEST_LOG ?? 'silent' })
  const tributary = await startTributary(config, { logger, connectors: [CHALLENGE_CONNECTOR] })
  const app = tributary.app!
  const address = app.server.address()
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`

  const call = async (method: string, url: string, body?: unknown, key?: string) => {
    const response = await fetch(`${base}${url}`, {
      method,
      headers: { ...(key ? { 'x-api-key': key } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    })
    const text = await response.text()
    let parsed: any = text
    try {
      parsed = JSON.parse(text)
    } catch {}
    return { status: response.status, body: parsed }
  }
  const auth = await call('POST', '/auth', CLIENT)
  const apiKey: string = auth.body.apiKey

  const server: ConnectServer = {
    tributary,
    app,
    base,
    apiKey,
    async connectToken(body = {}) {
      const reply = await call('POST', '/connect_token', body, apiKey)
      if (reply.status !== 200) throw new Error(`connect token: ${reply.status} ${JSON.stringify(reply.body)}`)
      return reply.body.accessToken
    },
    api: (method, url, body) => call(method, url, body, apiKey),
    async item(id) {
      const reply = await call('GET', `/items/${id}`, undefined, apiKey)
      if (reply.status !== 200) throw new Error(`item ${id}: ${reply.status} ${JSON.stringify(reply.body)}`)
      return reply.body
    },
    async executions(id) {
      const reply = await call('GET', `/items/${id}/executions?pageSize=100`, undefined, apiKey)
      if (reply.status !== 200) throw new Error(`executions ${id}: ${reply.status}`)
      return reply.body.results
    },
    waitFinished: (id, timeoutMs = 30_000) =>
      vi.waitFor(
        async () => {
          const item = await server.item(id)
          if (['UPDATING', 'WAITING_USER_INPUT', 'WAITING_USER_ACTION'].includes(item.status)) throw new Error(`item ${id} did not finish in ${timeoutMs} ms; last: ${JSON.stringify(item)}`)
          return item
        },
        { timeout: timeoutMs, interval: 100 },
      ),
    stop: () => tributary.stop(),
  }
  return server
}

export interface PageServer {
  /** Path → body: `.js` paths are served as JavaScript, the rest as HTML. */
  pages: Map<string, string>
  port: number
  close(): Promise<void>
}

/** A second local server: another origin on loopback (Chromium lets no public origin frame or script a loopback page). */
export async function startPageServer(): Promise<PageServer> {
  const pages = new Map<string, string>()
  const server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0]!
    const body = pages.get(path)
    response.writeHead(body === undefined ? 404 : 200, { 'content-type': path.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/html; charset=utf-8' }).end(body ?? 'not found')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { pages, port: (server.address() as AddressInfo).port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}

export const BROWSER_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: BROWSER_ARGS })
}

/** Everything a page did that the suites check: requests (to spot other hosts), console output, errors. */
export interface PageRecord {
  page: Page
  context: BrowserContext
  requests: string[]
  /** Requests to any other origin: aborted, and listed here. */
  external: string[]
  console: string[]
  errors: string[]
}

/**
 * A fresh browser context (no storage shared between tests). Requests to any origin other than the
 * server's (and `allowOrigins`) are aborted and recorded: the page must make none.
 */
export async function openContext(browser: Browser, base: string, options: { width?: number; height?: number; allowOrigins?: string[] } = {}): Promise<PageRecord> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 420, height: options.height ?? 820 }, deviceScaleFactor: 1, locale: 'en-US' })
  const record: PageRecord = { page: undefined as unknown as Page, context, requests: [], external: [], console: [], errors: [] }
  const allowed = [new URL(base).origin, ...(options.allowOrigins ?? [])]
  await context.route('**/*', async (route) => {
    const url = route.request().url()
    if (url.startsWith('data:') || allowed.includes(new URL(url).origin)) return route.fallback()
    record.external.push(url)
    return route.abort()
  })
  context.setDefaultTimeout(15_000)
  const page = await context.newPage()
  record.page = page
  page.on('request', (request) => record.requests.push(request.url()))
  page.on('console', (message) => record.console.push(`${message.type()}: ${message.text()}`))
  page.on('pageerror', (error) => record.errors.push(error.message))
  return record
}

export async function screenshot(page: Page, name: string, options: { docs?: boolean } = {}): Promise<string> {
  const toDocs = options.docs && process.env.TRIBUTARY_DOCS_SCREENSHOTS === '1'
  const dir = toDocs ? DOCS_IMAGES : SCREENSHOT_DIR
  await mkdir(dir, { recursive: true })
  const file = path.join(dir, `${name}.png`)
  // Let the entering screen settle (the progress bar animates its width).
  await page.waitForTimeout(150)
  await page.screenshot({ path: file, fullPage: false, animations: 'disabled', caret: 'hide' })
  return file
}

/** What the browser kept after a flow: nothing (no credentials, no token) in any storage. */
export async function browserStorage(page: Page): Promise<{ local: number; session: number; cookies: number }> {
  const sizes = await page.evaluate(() => ({ local: window.localStorage.length, session: window.sessionStorage.length }))
  const cookies = (await page.context().cookies()).length
  return { ...sizes, cookies }
}

/** After a failed test: a screenshot and what the page showed, for the CI log. */
export async function reportFailure(record: PageRecord, testName: string): Promise<void> {
  try {
    const file = await screenshot(record.page, `failed-${testName.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 60)}`)
    const text = await record.page.evaluate(() => document.body.innerText.slice(0, 2000))
    console.error(`[${testName}] page at failure (${file}):\n${text}\nconsole: ${record.console.join(' | ')}\nerrors: ${record.errors.join(' | ')}`)
  } catch (error) {
    console.error(`[${testName}] could not report the page: ${(error as Error).message}`)
  }
}

/** expect.poll with room for a slow machine (what the user sees may take a few seconds to change); `message` names what is awaited. */
export function poll<T>(read: () => T | Promise<T>, timeout = 10_000, message?: string) {
  return expect.poll(read, { timeout, interval: 50, ...(message ? { message } : {}) })
}
