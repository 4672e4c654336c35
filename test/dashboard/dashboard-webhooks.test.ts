/**
 * The dashboard's events, webhooks and connectors pages in headless Chromium: a webhook delivery
 * that failed at a real receiver is sent again from the page and its new attempt appears; the
 * connector page charts outcomes and durations; and a page of another origin cannot frame it.
 */
import type { Browser } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { verifyWebhookSignature } from '../../src/events/signature.ts'
import {
  BROWSER_AVAILABLE,
  CLIENT,
  dashboardCall,
  launchBrowser,
  openContext,
  poll,
  reportFailure,
  screenshot,
  signInInBrowser,
  startConnectServer,
  startPageServer,
  startReceiver,
  type ConnectServer,
  type PageRecord,
  type Receiver,
} from './dashboard-harness.ts'

let server: ConnectServer
let browser: Browser
let receiver: Receiver
const opened: PageRecord[] = []

beforeAll(async () => {
  // One attempt per delivery: a refused delivery fails at once, and only "send again" tries it anew.
  ;[server, browser, receiver] = await Promise.all([startConnectServer({ TRIBUTARY_SANDBOX_DELAY_MS: '0', TRIBUTARY_WEBHOOK_MAX_ATTEMPTS: '1' }), launchBrowser(), startReceiver()])
})
afterAll(async () => {
  await browser?.close()
  await server?.stop()
  await receiver?.close()
})
afterEach(async (context) => {
  for (const record of opened.splice(0)) {
    if (context.task.result?.state === 'fail') await reportFailure(record, context.task.name)
    expect(record.external, 'requests to other hosts').toEqual([])
    expect(record.errors, 'page errors').toEqual([])
    await record.context.close()
  }
})

async function open(allowOrigins: string[] = []): Promise<PageRecord> {
  const record = await openContext(browser, server.base, { width: 1280, height: 900, allowOrigins })
  opened.push(record)
  return record
}

describe.skipIf(!BROWSER_AVAILABLE)('dashboard events, webhooks and connectors in Chromium', () => {
  it('a delivery the receiver refused is sent again from the page: the new attempt reaches the receiver, signed, and appears with its status code', async () => {
    receiver.answer = 500
    const created = await server.api('POST', '/items', { connectorId: 0, parameters: { user: 'user-ok', password: 'password-ok' }, webhookUrl: receiver.url, clientUserId: 'dash-webhook-user' })
    const itemId: string = created.body.id
    await server.waitFinished(itemId)
    const failedDelivery = async () => (await server.api('GET', `/webhook-deliveries?itemId=${itemId}&event=item/created`)).body.results[0]
    await poll(async () => (await failedDelivery())?.status, 20_000).toBe('FAILED')
    const delivery = await failedDelivery()
    expect(delivery).toMatchObject({ attempts: 1, lastResponseCode: 500 })
    const receivedBefore = receiver.received.length

    const { page, console: consoleLines } = await open()
    await signInInBrowser(page, server.base)
    await page.goto(`${server.base}/dashboard#/events`)
    const card = page.locator(`li[data-delivery="${delivery.id}"]`)
    await card.waitFor()
    await expect(card.locator('.badge').textContent()).resolves.toBe('FAILED')
    expect(await card.locator('ol.attempts li').evaluateAll((items) => items.map((li) => li.getAttribute('data-code')))).toEqual(['500'])
    // The signature header and a snippet that verifies it.
    await expect(page.locator('[data-field="signature-header"]').textContent()).resolves.toBe('X-Tributary-Signature')
    await expect(page.locator('.signature pre').textContent()).resolves.toContain("createHmac('sha256', secret)")

    receiver.answer = 200
    await card.getByRole('button', { name: 'Send again' }).click()
    await poll(() => card.locator('ol.attempts li').evaluateAll((items) => items.map((li) => li.getAttribute('data-code'))), 20_000).toEqual(['500', '200'])
    await expect(card.locator('.badge').textContent()).resolves.toBe('DELIVERED')
    await expect(card.locator('[data-field="code"]').textContent()).resolves.toBe('200')
    await expect(page.locator('p.notice').first().textContent()).resolves.toContain('Sent again')
    await screenshot(page, 'dashboard-webhooks', { docs: true })

    // The receiver really got it again, with a signature that verifies with the client secret.
    const resent = receiver.received.slice(receivedBefore).find((r) => r.answered === 200 && JSON.parse(r.body).event === 'item/created')!
    expect(resent).toBeDefined()
    expect(verifyWebhookSignature(resent.body, resent.headers['x-tributary-signature'] as string, CLIENT.clientSecret)).toBe(true)
    expect(consoleLines.filter((line) => line.startsWith('error'))).toEqual([])
  })

  it('the connector page shows each connector’s health, success rate, p50/p95 and failures by outcome, and charts each execution', async () => {
    for (const user of ['user-ok', 'user-ok', 'user-locked']) {
      const created = await server.api('POST', '/items', { connectorId: 0, parameters: { user, password: 'password-ok' } })
      await server.waitFinished(created.body.id)
    }
    const { page, console: consoleLines } = await open()
    await signInInBrowser(page, server.base)
    await page.goto(`${server.base}/dashboard#/connectors`)
    const bank = page.locator('article.connector[data-connector="0"]')
    await bank.waitFor()
    const { body } = await dashboardCall(server, 'GET', '/dashboard/api/connectors', { cookie: (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ') })
    const stats = body.results.find((c: { id: number }) => c.id === 0)
    expect(stats.finished).toBeGreaterThanOrEqual(3)
    await expect(bank.locator('[data-field="success-rate"]').textContent()).resolves.toBe(`${stats.successRate}%`)
    await expect(bank.locator('[data-field="failures"]').textContent()).resolves.toContain('ACCOUNT_LOCKED')
    await expect(bank.locator('[data-field="percentiles"]').textContent()).resolves.toMatch(/^\d.* \/ \d/)
    // One mark per finished execution: dots for successes, crosses for failures, and the two percentile lines.
    const chart = bank.locator('svg.chart')
    await expect(chart.locator('.dot').count()).resolves.toBe(stats.finished)
    await expect(chart.locator('.dot-failure').count()).resolves.toBe(stats.failuresByOutcome.reduce((n: number, f: { count: number }) => n + f.count, 0))
    await expect(chart.locator('.guide').count()).resolves.toBe(2)
    await screenshot(page, 'dashboard-connectors', { docs: true })
    expect(consoleLines.filter((line) => line.startsWith('error'))).toEqual([])
  })

  it("a page of another origin cannot frame the dashboard (the browser refuses it on frame-ancestors 'none')", async () => {
    const foreign = await startPageServer()
    try {
      const foreignOrigin = `http://127.0.0.1:${foreign.port}`
      foreign.pages.set('/embed.html', `<!doctype html><title>other site</title><iframe id="f" src="${server.base}/dashboard/sign-in" width="600" height="400"></iframe>`)
      const record = await open([foreignOrigin])
      const refused = record.page.waitForEvent('console', { predicate: (message) => message.text().includes("frame-ancestors 'none'"), timeout: 15_000 })
      await record.page.goto(`${foreignOrigin}/embed.html`)
      expect((await refused).text()).toContain(server.base)
      const child = record.page.frames().find((frame) => frame !== record.page.mainFrame())!
      const rendered = await child.evaluate(() => Boolean(document.querySelector('form.sign-in'))).catch(() => false)
      expect(rendered).toBe(false)
      // The same page opened directly does render: the refusal is the framing, not the page.
      const direct = await open()
      await direct.page.goto(`${server.base}/dashboard/sign-in`)
      await direct.page.locator('form.sign-in').waitFor()
    } finally {
      await foreign.close()
    }
  })

  it('sandbox controls: force an item’s next outcome and see it happen, reset its login, move the sandbox clock, put an institution in an outage and end it', async () => {
    const created = await server.api('POST', '/items', { connectorId: 0, parameters: { user: 'user-ok', password: 'password-ok' }, clientUserId: 'dash-sandbox-user' })
    const itemId: string = created.body.id
    await server.waitFinished(itemId)
    const { page, console: consoleLines } = await open()
    await signInInBrowser(page, server.base)
    await page.goto(`${server.base}/dashboard#/items/${itemId}`)
    await page.locator('section.sandbox').waitFor()
    await page.getByLabel('Next execution ends with').selectOption('SITE_NOT_AVAILABLE')
    await page.getByRole('button', { name: 'Force next outcome' }).click()
    await poll(() => page.locator('[data-field="sandbox-state"]').textContent()).toBe('Forced outcome: SITE_NOT_AVAILABLE.')
    await page.getByRole('button', { name: 'Update now' }).click()
    // The page follows the new execution to the forced outcome.
    await poll(() => page.locator('article.execution').first().getAttribute('data-status'), 20_000).toBe('SITE_NOT_AVAILABLE')
    await poll(() => page.locator('[data-field="status"]').textContent(), 10_000).toBe('OUTDATED')
    expect((await server.item(itemId)).error.code).toBe('SITE_NOT_AVAILABLE')
    await page.getByRole('button', { name: 'Reset login' }).click()
    await poll(() => page.locator('[data-field="sandbox-state"]').textContent()).toContain('Login reset.')
    expect((await server.api('GET', `/sandbox/items/${itemId}`)).body.loginReset).toBe(true)
    await screenshot(page, 'dashboard-sandbox', { docs: true })

    await page.goto(`${server.base}/dashboard#/connectors`)
    await page.getByRole('button', { name: 'Move 1 day' }).click()
    await poll(() => page.locator('[data-field="clock-notice"]').textContent()).toContain('Moved:')
    expect((await server.api('GET', '/sandbox/clock')).body.totalAdvanceSeconds).toBe(86_400)
    const bank = page.locator('article.connector[data-connector="0"]')
    await bank.getByLabel('Outage').selectOption('OFFLINE')
    await bank.getByRole('button', { name: 'Apply' }).click()
    await poll(() => bank.locator('.outage .notice').textContent()).toBe('Outage on: OFFLINE.')
    expect((await server.api('GET', '/sandbox/connectors/0/outage')).body.mode).toBe('OFFLINE')
    await bank.getByLabel('Outage').selectOption('')
    await bank.getByRole('button', { name: 'Apply' }).click()
    await poll(() => bank.locator('.outage .notice').textContent()).toBe('Outage ended.')
    expect((await server.api('GET', '/sandbox/connectors/0/outage')).status).toBe(404)
    expect(consoleLines.filter((line) => line.startsWith('error'))).toEqual([])
  })
})
