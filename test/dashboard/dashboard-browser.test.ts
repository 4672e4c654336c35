/**
 * The dashboard in a real browser (headless Chromium): sign in, find an item created through the
 * API, open it and read its execution timeline; watch a running execution advance live; use the
 * page with the keyboard alone, in Portuguese, on a phone-sized screen.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  BROWSER_AVAILABLE,
  browserStorage,
  CLIENT,
  launchBrowser,
  openContext,
  poll,
  reportFailure,
  screenshot,
  signInInBrowser,
  startConnectServer,
  type ConnectServer,
  type PageRecord,
} from './dashboard-harness.ts'

let server: ConnectServer
let browser: Browser
const opened: PageRecord[] = []

beforeAll(async () => {
  ;[server, browser] = await Promise.all([startConnectServer({ TRIBUTARY_SANDBOX_DELAY_MS: '250' }), launchBrowser()])
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
    expect(
      record.console.filter((line) => line.startsWith('error')),
      'console errors',
    ).toEqual([])
    await record.context.close()
  }
})

async function open(options: { width?: number; height?: number } = {}): Promise<PageRecord> {
  const record = await openContext(browser, server.base, { width: 1280, height: 900, ...options })
  opened.push(record)
  return record
}

/** An MFA item (Sandbox Bank MFA 2-step) that has reached its MFA question. */
async function waitingMfaItem(clientUserId: string): Promise<string> {
  const created = await server.api('POST', '/items', { connectorId: 2, parameters: { user: 'user-ok', password: 'password-ok' }, clientUserId })
  expect(created.status).toBe(200)
  await poll(async () => (await server.item(created.body.id)).status, 20_000).toBe('WAITING_USER_INPUT')
  return created.body.id
}

/** The timeline's segments as drawn: status, kind, and where each starts on the bar. */
const drawnSegments = (page: Page, executionId: string) =>
  page.$$eval(`svg.timeline[data-execution="${executionId}"] rect.seg`, (rects) =>
    rects.map((r) => ({
      status: r.getAttribute('data-status'),
      kind: r.getAttribute('data-kind'),
      x: Number(r.getAttribute('x')),
      fill: r.getAttribute('fill'),
      running: r.classList.contains('seg-running'),
    })),
  )

describe.skipIf(!BROWSER_AVAILABLE)('dashboard in Chromium', () => {
  it('sign in, find an item created through the API, open it: the 2-step MFA execution’s timeline shows every step in order, the MFA wait drawn as a wait', async () => {
    const itemId = await waitingMfaItem('dash-user-timeline')
    expect((await server.api('POST', `/items/${itemId}/mfa`, { token: '123456' })).status).toBe(200)
    expect((await server.waitFinished(itemId)).status).toBe('UPDATED')
    const [execution] = await server.executions(itemId)
    const apiSteps: string[] = execution.steps.map((s: { status: string }) => s.status)
    expect(apiSteps).toContain('WAITING_USER_INPUT')
    expect(apiSteps).toContain('LOGIN_MFA_IN_PROGRESS')

    const { page, context } = await open()
    await signInInBrowser(page, server.base)
    // The session is only an HttpOnly, SameSite=Strict cookie on /dashboard; nothing in the page's storage.
    const cookies = await context.cookies()
    expect(cookies.map((c) => ({ name: c.name, path: c.path, httpOnly: c.httpOnly, sameSite: c.sameSite }))).toEqual([
      { name: 'tributary_dashboard', path: '/dashboard', httpOnly: true, sameSite: 'Strict' },
    ])
    expect(await browserStorage(page)).toMatchObject({ local: 0, session: 0 })
    expect(await page.evaluate(() => document.cookie)).toBe('')

    await page.getByLabel('clientUserId').fill('dash-user-timeline')
    await page.getByRole('button', { name: 'Search' }).click()
    await poll(() => page.locator('tr[data-item]').count()).toBe(1)
    const row = page.locator(`tr[data-item="${itemId}"]`)
    await expect(row.textContent()).resolves.toContain('UPDATED')
    await screenshot(page, 'dashboard-items', { docs: true })
    await row.getByRole('link').click()

    await page.locator(`svg.timeline[data-execution="${execution.id}"]`).waitFor()
    const drawn = await drawnSegments(page, execution.id)
    expect(drawn.map((s) => s.status)).toEqual(apiSteps)
    // In order along the bar, each where its step started.
    for (let i = 1; i < drawn.length; i++) expect(drawn[i]!.x).toBeGreaterThanOrEqual(drawn[i - 1]!.x)
    const waiting = drawn.find((s) => s.status === 'WAITING_USER_INPUT')!
    expect(waiting.kind).toBe('waiting')
    expect(waiting.fill).toMatch(/^url\(#waiting-\d+\)$/)
    expect(drawn.find((s) => s.status === 'MERGING')?.kind).toBe('merging')
    for (const step of drawn.filter((s) => s.status !== 'WAITING_USER_INPUT' && s.status !== 'MERGING' && s.status !== 'SUCCESS')) expect(step.kind).toBe('step')
    expect(drawn.some((s) => s.running)).toBe(false)
    // The same steps in words, in order, the wait named as such.
    const listed = await page.$$eval(`article[data-execution="${execution.id}"] ol.steps li`, (items) => items.map((li) => ({ status: li.getAttribute('data-status'), text: li.textContent })))
    expect(listed.map((l) => l.status)).toEqual(apiSteps)
    expect(listed.find((l) => l.status === 'WAITING_USER_INPUT')!.text).toContain('waiting for the user')
    // The item's facts and data counts.
    await expect(page.locator('[data-field="status"]').textContent()).resolves.toBe('UPDATED')
    expect(Number(await page.locator('[data-count="accounts"]').textContent())).toBeGreaterThan(0)
    await screenshot(page, 'dashboard-item-timeline', { docs: true })
  })

  it('a running execution advances live on the item page, from the MFA wait to its outcome, without a reload', async () => {
    const itemId = await waitingMfaItem('dash-user-live')
    const [execution] = await server.executions(itemId)
    const { page } = await open()
    await signInInBrowser(page, server.base)
    await page.goto(`${server.base}/dashboard#/items/${itemId}`)
    await page.locator(`svg.timeline[data-execution="${execution.id}"]`).waitFor()
    const before = await drawnSegments(page, execution.id)
    expect(before.at(-1)).toMatchObject({ status: 'WAITING_USER_INPUT', kind: 'waiting', running: true })
    await screenshot(page, 'dashboard-item-waiting', { docs: true })

    // Every status the page shows for the execution, as it shows it.
    await page.evaluate(() => {
      const seen: string[] = []
      ;(window as any).__statuses = seen
      ;(window as any).__sameDocument = true
      new MutationObserver(() => {
        const status = document.querySelector('article.execution')?.getAttribute('data-status')
        if (status && seen.at(-1) !== status) seen.push(status)
      }).observe(document.getElementById('main')!, { subtree: true, childList: true, attributes: true })
    })
    expect((await server.api('POST', `/items/${itemId}/mfa`, { token: '123456' })).status).toBe(200)
    await poll(() => page.locator('article.execution').first().getAttribute('data-status'), 30_000).toBe('SUCCESS')
    const seen: string[] = await page.evaluate(() => (window as any).__statuses)
    expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true)
    // It went through in-progress steps on the way, each drawn as it came.
    expect(seen.at(-1)).toBe('SUCCESS')
    expect(seen.filter((s) => s.endsWith('_IN_PROGRESS') || s === 'MERGING').length).toBeGreaterThanOrEqual(2)
    const [finished] = await server.executions(itemId)
    expect((await drawnSegments(page, execution.id)).map((s) => s.status)).toEqual(finished.steps.map((s: { status: string }) => s.status))
    await expect(page.locator('[data-field="status"]').textContent()).resolves.toBe('UPDATED')
    // Screen readers are told the change (the picture itself is redrawn every second while a step runs).
    await expect(page.locator('[data-field="announcer"]').textContent()).resolves.toBe('Execution status: SUCCESS')
  })

  it('works with the keyboard alone: every field has a label, Tab reaches them in order, Enter signs in', async () => {
    const { page } = await open()
    await page.goto(`${server.base}/dashboard/sign-in`)
    await page.locator('form.sign-in').waitFor()
    for (const label of ['Client id', 'Client secret', 'API key', 'Language']) await expect(page.getByLabel(label).count()).resolves.toBe(1)
    const focused = async () => page.evaluate(() => document.activeElement?.id ?? '')
    const order: string[] = []
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab')
      order.push(await focused())
    }
    expect(order).toEqual(['language', 'clientId', 'clientSecret', 'apiKey'])
    await page.keyboard.press('Shift+Tab')
    await page.keyboard.press('Shift+Tab')
    await page.keyboard.type(CLIENT.clientId)
    await page.keyboard.press('Tab')
    await page.keyboard.type(CLIENT.clientSecret)
    await page.keyboard.press('Enter')
    await page.waitForURL(`${server.base}/dashboard`)
    await page.locator('nav.sections').waitFor()
    await page.locator('form.filters').waitFor()
    // From the top of the page: the skip link first, then the sections; the current one is marked for screen readers.
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content')
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Items')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Enter')
    await page.waitForURL(`${server.base}/dashboard#/events`)
    await poll(() => page.locator('main h1').textContent()).toBe('Events & webhooks')
    await poll(() => page.locator('nav.sections a[aria-current="page"]').textContent()).toBe('Events & webhooks')
  })

  it('every text on the items, item, events and connectors pages has a contrast of at least 4.5:1 with its background', async () => {
    const created = await server.api('POST', '/items', { connectorId: 0, parameters: { user: 'user-locked', password: 'password-ok' } })
    await server.waitFinished(created.body.id)
    const { page } = await open()
    await signInInBrowser(page, server.base)
    for (const hash of ['#/items', `#/items/${created.body.id}`, '#/events', '#/connectors']) {
      await page.goto(`${server.base}/dashboard${hash}`)
      await page.locator('main h1').waitFor()
      const worst = await page.evaluate(() => {
        const rgb = (value: string) => (value.match(/[\d.]+/g) ?? []).map(Number)
        const luminance = ([r, g, b]: number[]) => {
          const [R, G, B] = [r!, g!, b!].map((c) => (c / 255 <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4))
          return 0.2126 * R! + 0.7152 * G! + 0.0722 * B!
        }
        const background = (element: Element | null): number[] => {
          for (let e = element; e; e = e.parentElement) {
            const color = rgb(getComputedStyle(e).backgroundColor)
            if (color.length === 3 || (color.length === 4 && color[3]! > 0)) return color.slice(0, 3)
          }
          return [255, 255, 255]
        }
        let lowest = { ratio: 21, text: '' }
        const walker = document.createTreeWalker(document.getElementById('app')!, NodeFilter.SHOW_TEXT)
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const element = node.parentElement
          if (!node.textContent?.trim() || !element || element.closest('svg, .visually-hidden, .skip, option')) continue
          const [a, b] = [luminance(rgb(getComputedStyle(element).color)), luminance(background(element))]
          const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)
          if (ratio < lowest.ratio) lowest = { ratio, text: node.textContent.trim().slice(0, 40) }
        }
        return lowest
      })
      expect({ hash, ...worst, ratio: Math.round(worst.ratio * 10) / 10 }).toEqual({ hash, text: worst.text, ratio: expect.toSatisfy((r: number) => r >= 4.5) })
    }
  })

  it('speaks Portuguese to a Portuguese browser and fits a phone-sized screen', async () => {
    const created = await server.api('POST', '/items', { connectorId: 0, parameters: { user: 'user-ok', password: 'password-ok' }, clientUserId: 'dash-user-phone' })
    await server.waitFinished(created.body.id)
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'pt-BR', deviceScaleFactor: 1 })
    const record: PageRecord = { page: await context.newPage(), context, requests: [], external: [], console: [], errors: [] }
    opened.push(record)
    record.page.on('request', (request) => record.requests.push(request.url()))
    record.page.on('console', (message) => record.console.push(`${message.type()}: ${message.text()}`))
    record.page.on('pageerror', (error) => record.errors.push(error.message))
    const { page } = record
    await page.goto(`${server.base}/dashboard/sign-in`)
    await expect(page.locator('h1').textContent()).resolves.toBe('Entrar no painel')
    await page.getByLabel('Client id').fill(CLIENT.clientId)
    await page.getByLabel('Client secret').fill(CLIENT.clientSecret)
    await page.getByRole('button', { name: 'Entrar' }).click()
    await page.waitForURL(`${server.base}/dashboard`)
    await page.locator('table.items').waitFor()
    await expect(page.locator('h1').textContent()).resolves.toBe('Itens')
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('pt-BR')
    const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)
    expect(await fits()).toBe(true)
    await screenshot(page, 'dashboard-phone-items', { docs: true })
    await page.locator('table.items a').first().click()
    await page.locator('svg.timeline').first().waitFor()
    expect(await fits()).toBe(true)
    await screenshot(page, 'dashboard-phone-item', { docs: true })
  })
})
