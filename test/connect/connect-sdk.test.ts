/**
 * The reference's own Connect SDKs — pluggy-connect-sdk 2.14.2 and react-pluggy-connect 2.12.0,
 * from npm, bundled as an application would — open Tributary's Connect page from another origin
 * (a second local server) with the one option an application changes: `url`. The page is their
 * zoid child; what the application's callbacks receive is read back from the host page.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  BROWSER_AVAILABLE,
  launchBrowser,
  openContext,
  poll,
  reportFailure,
  screenshot,
  startConnectServer,
  startPageServer,
  type ConnectServer,
  type PageRecord,
  type PageServer,
} from './connect-harness.ts'

const HOSTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'sdk-hosts')
/** The frame zoid renders the page in (the SDK also shows a loader in a frame of its own). */
const WIDGET = 'iframe[name^="__zoid__pluggy_connect_widget__"]'

interface Call {
  name: string
  argument: any
}

let server: ConnectServer
let browser: Browser
let hostServer: PageServer
/** The application's origin: TRIBUTARY_CONNECT_FRAME_ANCESTORS lists it. */
let host = ''
/** Another origin, not listed. */
let foreign = ''
let record: PageRecord

/** The application's page with the plain SDK: window.openConnect(options) runs `new PluggyConnect({ ...options, callbacks }).init()`. */
const SDK_PAGE = `<!doctype html><html lang="en"><head><title>An application</title></head><body><h1>An application</h1>
<script src="/pluggy-connect.js"></script>
<script>
window.calls = []
const record = (name) => (argument) => { window.calls.push({ name, argument: argument === undefined ? null : JSON.parse(JSON.stringify(argument)) }) }
window.openConnect = (options) => {
  const widget = new PluggyConnect({ ...options, onSuccess: record('onSuccess'), onError: record('onError'), onEvent: record('onEvent'), onOpen: record('onOpen'), onClose: record('onClose'), onHide: record('onHide') })
  return widget.init().then(() => record('init resolved')())
}
</script></body></html>`

const reactPage = (config: Record<string, unknown>) =>
  `<!doctype html><html lang="en"><head><title>A React application</title></head><body><div id="root"></div>
<script type="application/json" id="config">${JSON.stringify(config)}</script><script src="/react-host.js"></script></body></html>`

async function bundleHosts(): Promise<void> {
  const result = await build({
    entryPoints: { 'pluggy-connect': path.join(HOSTS, 'pluggy-connect-global.js'), 'react-host': path.join(HOSTS, 'react-host.js') },
    outdir: path.join(HOSTS, 'out'),
    write: false,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  })
  for (const file of result.outputFiles) hostServer.pages.set(`/${path.basename(file.path)}`, file.text)
  hostServer.pages.set('/sdk', SDK_PAGE)
}

beforeAll(async () => {
  hostServer = await startPageServer()
  const port = hostServer.port
  host = `http://127.0.0.1:${port}`
  foreign = `http://localhost:${port}`
  ;[server, browser] = await Promise.all([startConnectServer({ TRIBUTARY_SANDBOX_DELAY_MS: '50' }, { frameAncestors: [host] }), launchBrowser(), bundleHosts()])
  record = await openContext(browser, server.base, { width: 1024, height: 800, allowOrigins: [host, foreign] })
})
afterAll(async () => {
  await browser?.close()
  await server?.stop()
  await hostServer?.close()
})
afterEach(async (context) => {
  if (context.task.result?.state === 'fail') await reportFailure(record, context.task.name)
  expect(record.external, 'requests to other hosts').toEqual([])
  expect(record.errors, 'page errors').toEqual([])
  expect(
    record.console.filter((line) => line.startsWith('error')),
    'console errors',
  ).toEqual([])
  record.console = []
})

const calls = (page: Page): Promise<Call[]> => page.evaluate(() => (window as any).calls)
const named = async (page: Page, name: string) => (await calls(page)).filter((call) => call.name === name).map((call) => call.argument)
const widget = (page: Page) => page.frameLocator(WIDGET)
const heading = (page: Page) => widget(page).getByRole('heading', { level: 1 })

async function signIn(page: Page, user: string, password: string, submit = 'Connect'): Promise<void> {
  await widget(page).getByLabel('User', { exact: true }).fill(user)
  await widget(page).getByLabel('Password', { exact: true }).fill(password)
  await widget(page).getByRole('button', { name: submit, exact: true }).click()
}

/** Opens the plain SDK on the application's page; resolves when init() does (zoid's handshake done). */
async function openSdk(page: Page, options: Record<string, unknown>): Promise<void> {
  await page.goto(`${host}/sdk`)
  await page.evaluate((o) => (window as any).openConnect(o), options)
}

describe.skipIf(!BROWSER_AVAILABLE)('the reference’s Connect SDKs', () => {
  it('init() connects the 2-step MFA bank with the code typed in the widget; onSuccess gets the item; the events come in the reference’s order and names', async () => {
    const token = await server.connectToken({ options: { clientUserId: 'sdk-mfa' } })
    const { page } = record
    // The one line an application changes: url, here the server's bare origin.
    await openSdk(page, { url: server.base, connectToken: token, includeSandbox: true })
    expect(await named(page, 'init resolved')).toHaveLength(1)
    expect(await named(page, 'onOpen')).toHaveLength(1)
    await poll(() => heading(page).textContent()).toBe('Choose your institution')
    // The SDK's frame on a desktop, and the page inside it: nothing wider than 320 px.
    expect(await page.locator(WIDGET).boundingBox()).toMatchObject({ width: 320, height: 568 })
    const inside = page.frames().find((frame) => frame.name().startsWith('__zoid__pluggy_connect_widget__'))!
    expect(await inside.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0)
    await screenshot(page, 'connect-sdk-institutions', { docs: true })

    await widget(page)
      .getByRole('button', { name: /^Sandbox Bank MFA 2-step/ })
      .click()
    await signIn(page, 'user-ok', 'password-ok')
    await poll(() => heading(page).textContent(), 20_000).toBe('Sandbox Bank MFA 2-step needs a confirmation')
    // ITEM_RESPONSE comes with every read of the item, the one that shows the question included.
    await poll(async () => (await named(page, 'onEvent')).some((e) => e.event === 'ITEM_RESPONSE' && e.item.status === 'WAITING_USER_INPUT')).toBe(true)
    await widget(page).getByLabel('Code sent by SMS').fill('123456')
    await screenshot(page, 'connect-sdk-mfa', { docs: true })
    await widget(page).getByRole('button', { name: 'Continue' }).click()
    await poll(async () => (await named(page, 'onSuccess')).length, 30_000).toBe(1)
    await poll(() => heading(page).textContent()).toBe('Connected!')

    const [{ item }] = await named(page, 'onSuccess')
    const stored = await server.item(item.id)
    expect(item).toEqual(stored)
    expect(item).toMatchObject({ status: 'UPDATED', executionStatus: 'SUCCESS', clientUserId: 'sdk-mfa', connector: { id: 2 } })

    const events = await named(page, 'onEvent')
    expect(events.map((e) => e.event).filter((e) => e !== 'ITEM_RESPONSE')).toEqual([
      'SELECTED_INSTITUTION',
      'SUBMITTED_LOGIN',
      'LOGIN_SUCCESS',
      'SUBMITTED_MFA',
      'LOGIN_MFA_SUCCESS',
      'LOGIN_STEP_COMPLETED',
    ])
    const names = events.map((e) => e.event)
    // The create answer is a read too: ITEM_RESPONSE, then LOGIN_SUCCESS with the same item.
    expect(names[names.indexOf('LOGIN_SUCCESS') - 1]).toBe('ITEM_RESPONSE')
    expect(names[names.indexOf('LOGIN_MFA_SUCCESS') - 1]).toBe('ITEM_RESPONSE')
    expect(names.at(-1)).toBe('ITEM_RESPONSE')
    for (const event of events) {
      expect(typeof event.timestamp).toBe('number')
      if (event.event === 'SELECTED_INSTITUTION') expect(event.connector).toMatchObject({ id: 2, name: 'Sandbox Bank MFA 2-step', hasMFA: true, credentials: expect.any(Array) })
      else if (event.event.startsWith('SUBMITTED_')) expect(Object.keys(event).sort()).toEqual(['event', 'timestamp'])
      else expect(event.item.id).toBe(item.id)
    }
    expect(events.find((e) => e.event === 'LOGIN_STEP_COMPLETED').item.executionStatus).not.toMatch(/^(CREATED|LOGIN_|WAITING)/)
    expect(events.map((e) => e.timestamp)).toEqual([...events.map((e) => e.timestamp)].sort((a, b) => a - b))
    expect(events.at(-1).item).toEqual(item)
    expect(await named(page, 'onError')).toEqual([])

    // Done: zoid closes the frame; the SDK calls onClose, once.
    await widget(page).getByRole('button', { name: 'Done' }).click()
    await poll(() => page.locator(WIDGET).count()).toBe(0)
    expect(await named(page, 'onClose')).toHaveLength(1)
    expect(await named(page, 'onOpen')).toHaveLength(1)
  })

  it('a refused login calls onError with { message, data: { item } }; selectedConnectorId opens that form with the list one step back', async () => {
    const token = await server.connectToken({ options: { clientUserId: 'sdk-locked' } })
    const { page } = record
    await openSdk(page, { url: `${server.base}/connect`, connectToken: token, includeSandbox: true, selectedConnectorId: 0, language: 'en' })
    await poll(() => heading(page).textContent()).toBe('Sign in to Sandbox Bank')
    expect(await widget(page).getByRole('button', { name: 'Back' }).isVisible()).toBe(true)
    await signIn(page, 'user-locked', 'password-ok')
    await poll(async () => (await named(page, 'onError')).length, 30_000).toBe(1)
    await poll(() => heading(page).textContent()).toBe('Your account is locked')

    const [error] = await named(page, 'onError')
    expect(Object.keys(error).sort()).toEqual(['data', 'message'])
    expect(error.message).toEqual(expect.any(String))
    expect(error.data.item).toMatchObject({ status: 'LOGIN_ERROR', executionStatus: 'ACCOUNT_LOCKED', error: { code: 'ACCOUNT_LOCKED', message: error.message } })
    expect(error.data.item).toEqual(await server.item(error.data.item.id))
    expect(await named(page, 'onSuccess')).toEqual([])
    const events = (await named(page, 'onEvent')).map((e) => e.event).filter((e) => e !== 'ITEM_RESPONSE')
    expect(events).toEqual(['SELECTED_INSTITUTION', 'SUBMITTED_LOGIN', 'LOGIN_SUCCESS'])
  })

  it('updateItem reconnects an existing item: new credentials for one the bank refused, at once for one whose credentials still work', async () => {
    const created = await server.api('POST', '/items', { connectorId: 0, parameters: { user: 'user-ok', password: 'wrong-password' }, clientUserId: 'sdk-update' })
    const refused = await server.waitFinished(created.body.id)
    expect(refused).toMatchObject({ status: 'LOGIN_ERROR', executionStatus: 'INVALID_CREDENTIALS' })
    const { page } = record
    await openSdk(page, { url: server.base, connectToken: await server.connectToken({ itemId: refused.id }), updateItem: refused.id })
    await poll(() => heading(page).textContent()).toBe('Update your connection to Sandbox Bank')
    await signIn(page, 'user-ok', 'password-ok', 'Update connection')
    await poll(async () => (await named(page, 'onSuccess')).length, 30_000).toBe(1)
    expect((await named(page, 'onSuccess'))[0].item).toMatchObject({ id: refused.id, status: 'UPDATED', executionStatus: 'SUCCESS' })

    // Its credentials work now: update mode runs them at once (forceAskForCredentials would ask).
    await openSdk(page, { url: server.base, connectToken: await server.connectToken({ itemId: refused.id }), updateItem: refused.id })
    await poll(async () => (await named(page, 'onSuccess')).length, 30_000).toBe(1)
    expect((await named(page, 'onSuccess'))[0].item).toMatchObject({ id: refused.id, status: 'UPDATED' })
    expect((await named(page, 'onEvent')).map((e) => e.event)).not.toContain('SUBMITTED_LOGIN')
    const executions = await server.executions(refused.id)
    expect(executions.map((e: any) => [e.status, e.triggeredBy])).toEqual([
      ['SUCCESS', 'USER'],
      ['SUCCESS', 'USER'],
      ['INVALID_CREDENTIALS', 'CLIENT'],
    ])
  })

  it('react-pluggy-connect: innerRef gets show/hide; closed while waiting for the code, the widget hides (onHide), shows again and connects', async () => {
    const token = await server.connectToken({ options: { clientUserId: 'sdk-react' } })
    hostServer.pages.set('/react', reactPage({ url: server.base, connectToken: token, includeSandbox: true, selectedConnectorId: 2, allowConnectInBackground: true, theme: 'dark' }))
    const { page } = record
    await page.goto(`${host}/react`)
    await poll(() => named(page, 'innerRef')).toEqual([['hide', 'show']])
    await poll(() => heading(page).textContent()).toBe('Sign in to Sandbox Bank MFA 2-step')
    const inside = page.frames().find((frame) => frame.name().startsWith('__zoid__pluggy_connect_widget__'))!
    expect(await inside.evaluate(() => document.documentElement.dataset.theme)).toBe('dark')
    await signIn(page, 'user-ok', 'password-ok')
    await poll(() => heading(page).textContent(), 20_000).toBe('Sandbox Bank MFA 2-step needs a confirmation')

    expect(await page.evaluate(() => document.body.className)).toMatch(/has-modal-visible/)
    await widget(page).getByRole('button', { name: 'Close' }).click()
    await poll(async () => (await named(page, 'onHide')).length).toBe(1)
    await poll(() => page.locator(WIDGET).isVisible()).toBe(false)
    // The application's page scrolls again while the widget works in the background.
    await poll(() => page.evaluate(() => document.body.className)).not.toMatch(/has-modal-visible/)
    expect(await named(page, 'onClose')).toEqual([])
    await page.evaluate(() => (window as any).connect.show())
    await poll(() => page.locator(WIDGET).isVisible()).toBe(true)
    await widget(page).getByLabel('Code sent by SMS').fill('123456')
    await widget(page).getByRole('button', { name: 'Continue' }).click()
    await poll(async () => (await named(page, 'onSuccess')).length, 30_000).toBe(1)
    expect((await named(page, 'onSuccess'))[0].item).toMatchObject({ status: 'UPDATED', clientUserId: 'sdk-react', connector: { id: 2 } })
    expect(await named(page, 'onLoadError')).toEqual([])
  })

  it('a page of an origin TRIBUTARY_CONNECT_FRAME_ANCESTORS does not list gets no Connect page: init() never resolves', async () => {
    const token = await server.connectToken({ options: { clientUserId: 'sdk-foreign' } })
    const { page } = record
    await page.goto(`${foreign}/sdk`)
    await page.evaluate((o) => void (window as any).openConnect(o), { url: server.base, connectToken: token, includeSandbox: true })
    await poll(() => record.console.some((line) => line.includes('frame-ancestors'))).toBe(true)
    const inside = page.frames().find((frame) => frame.name().startsWith('__zoid__pluggy_connect_widget__'))
    expect(await inside?.evaluate(() => document.getElementById('app') !== null).catch(() => false)).toBe(false)
    expect(await named(page, 'init resolved')).toEqual([])
    expect(await named(page, 'onEvent')).toEqual([])
    record.console = record.console.filter((line) => !line.includes('frame-ancestors'))
  })
})
