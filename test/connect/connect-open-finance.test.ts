/**
 * Open Finance through the Connect page in a real browser (headless Chromium): the user picks the
 * sandbox Open Finance institution, types a CPF, goes to the institution's own page (a popup on a
 * wide screen, this window on a narrow one), logs in, picks the data to share, approves, comes back,
 * and sees the progress and the success — or the failure screen when they deny.
 */
import type { Browser } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { BROWSER_AVAILABLE, poll, reportFailure, launchBrowser, openContext, screenshot, startConnectServer, type ConnectServer, type PageRecord } from './connect-harness.ts'

let server: ConnectServer
let browser: Browser
const opened: PageRecord[] = []

beforeAll(async () => {
  ;[server, browser] = await Promise.all([startConnectServer({ TRIBUTARY_SANDBOX_DELAY_MS: '100' }), launchBrowser()])
})
afterAll(async () => {
  await browser?.close()
  await server?.stop()
})
afterEach(async (context) => {
  for (const record of opened.splice(0)) {
    if (context.task.result?.state === 'fail') await reportFailure(record, context.task.name)
    expect(record.external, 'requests to other hosts').toEqual([])
    expect(record.errors, 'page errors').toEqual([])
    await record.context.close()
  }
})

async function openConnect(width: number, tokenOptions: Record<string, unknown> = {}): Promise<PageRecord> {
  const token = await server.connectToken({ options: { clientUserId: 'open-finance', ...tokenOptions } })
  // The institution and Tributary's callback live at the server's public address (http://localhost:<port>).
  const record = await openContext(browser, server.base, { width, height: 820, allowOrigins: [server.tributary.url!] })
  opened.push(record)
  await record.page.goto(`${server.base}/connect?includeSandbox=true#connectToken=${token}`)
  const { page } = record
  await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Choose your institution')
  await page
    .getByRole('list', { name: 'Choose your institution' })
    .getByRole('button', { name: /^Sandbox Open Finance Bank/ })
    .click()
  await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in to Sandbox Open Finance Bank')
  await page.getByLabel('CPF', { exact: true }).fill('12345678909')
  await page.getByRole('button', { name: 'Connect', exact: true }).click()
  await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Continue at Sandbox Open Finance Bank')
  return record
}

/** At the institution's page: log in, keep every data group, approve or deny. */
async function atTheInstitution(page: PageRecord['page'], decision: 'Approve' | 'Deny'): Promise<void> {
  await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Log in to share your data')
  await page.getByLabel('User').fill('user-ok')
  await page.getByLabel('Password').fill('password-ok')
  await page.getByRole('button', { name: 'Log in' }).click()
  await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Choose the data to share')
  await screenshot(page, 'open-finance-consent')
  await page.getByRole('button', { name: decision }).click()
}

const itemIdOf = async (server: ConnectServer, clientUserId: string) => (await server.api('GET', `/items?clientUserId=${clientUserId}&pageSize=500`)).body.results.at(0)

describe.skipIf(!BROWSER_AVAILABLE)('Open Finance through the Connect page', () => {
  it('wide screen: CPF, the institution in a popup, approve, back, progress, UPDATED with data', async () => {
    const record = await openConnect(900)
    const { page } = record
    await screenshot(page, 'open-finance-continue')
    const [popup] = await Promise.all([record.context.waitForEvent('page'), page.getByRole('button', { name: 'Go to Sandbox Open Finance Bank' }).click()])
    popup.on('pageerror', (error) => record.errors.push(`popup: ${error.message}`))
    await atTheInstitution(popup, 'Approve')
    // The return page closes the popup by itself; the Connect page moved on meanwhile.
    await poll(() => popup.isClosed(), 15_000).toBe(true)
    await poll(() => page.getByRole('heading', { level: 1 }).textContent(), 30_000).toMatch(/connected/i)
    const item = await itemIdOf(server, 'open-finance')
    const stored = await server.waitFinished(item.id)
    expect([stored.status, stored.executionStatus]).toEqual(['UPDATED', 'SUCCESS'])
    expect((await server.api('GET', `/accounts?itemId=${item.id}`)).body.total).toBeGreaterThan(0)
    expect((await server.api('GET', `/consents?itemId=${item.id}`)).body.total).toBe(1)
  })

  it('narrow screen: the institution replaces the page; deny ends the item USER_AUTHORIZATION_NOT_GRANTED', async () => {
    const record = await openConnect(400, { clientUserId: 'open-finance-deny' })
    const { page } = record
    await page.getByRole('button', { name: 'Go to Sandbox Open Finance Bank' }).click()
    await atTheInstitution(page, 'Deny')
    // No oauthRedirectUri: Tributary's own page says so.
    await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Not authorized')
    const item = await itemIdOf(server, 'open-finance-deny')
    const stored = await server.waitFinished(item.id)
    expect([stored.status, stored.executionStatus]).toEqual(['OUTDATED', 'USER_AUTHORIZATION_NOT_GRANTED'])
  })

  it('through the API alone: create the item, open the URL it gives in the browser, approve; the item resumes by itself and the user lands on oauthRedirectUri', async () => {
    const created = await server.api('POST', '/items', { connectorId: 8, parameters: { cpf: '12345678909' }, oauthRedirectUri: 'http://localhost:9/back' })
    expect(created.status).toBe(200)
    let waiting: any
    await poll(async () => {
      waiting = await server.item(created.body.id)
      return waiting.status
    }).toBe('WAITING_USER_ACTION')
    const record = await openContext(browser, server.tributary.url!, { width: 900, height: 820, allowOrigins: ['http://localhost:9'] })
    opened.push(record)
    const { page } = record
    await page.goto(waiting.userAction.attributes.url)
    const landed = page.waitForRequest((request) => request.url().startsWith('http://localhost:9/back'))
    await atTheInstitution(page, 'Approve')
    // The application's own page is not served here: what matters is where the user is sent.
    expect((await landed).url()).toBe(`http://localhost:9/back?itemId=${created.body.id}&status=success`)
    const stored = await server.waitFinished(created.body.id)
    expect([stored.status, stored.executionStatus]).toEqual(['UPDATED', 'SUCCESS'])
  })
})
