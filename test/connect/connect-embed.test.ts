/**
 * The Connect page embedded (connect.js on the demo host page, and on a page of another origin),
 * and the MFA timeout with its retry — on an engine whose MFA wait is a few seconds.
 */
import type { Browser } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { BROWSER_AVAILABLE, poll, launchBrowser, openContext, reportFailure, screenshot, startConnectServer, startPageServer, type ConnectServer, type PageRecord } from './connect-harness.ts'

// The embedding pages are served by a second local server: http://127.0.0.1:<its port> is another
// origin that frame-ancestors allows (http://127.0.0.1:*), http://localhost:<its port> one it does
// not. (Both loopback: Chromium would not let a public origin load a loopback script.)
const HOST_PATTERN = 'http://127.0.0.1:*'

let server: ConnectServer
let browser: Browser
const opened: PageRecord[] = []

beforeAll(async () => {
  ;[server, browser] = await Promise.all([startConnectServer({ TRIBUTARY_MFA_TIMEOUT_SECONDS: '4', TRIBUTARY_SANDBOX_DELAY_MS: '50' }, { frameAncestors: [HOST_PATTERN] }), launchBrowser()])
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

/** A second local server for the embedding pages, closed when the test ends. */
async function serveHostPages(): Promise<{ pages: Map<string, string>; hostPort: number }> {
  const { pages, port, close } = await startPageServer()
  onTestFinished(close)
  return { pages, hostPort: port }
}

async function context(allowOrigins: string[] = []): Promise<PageRecord> {
  const record = await openContext(browser, server.base, { width: 900, height: 820, allowOrigins })
  opened.push(record)
  return record
}

describe.skipIf(!BROWSER_AVAILABLE)('MFA timeout', () => {
  it('the countdown runs out, the timeout screen offers a retry, and the retry on the same item succeeds', async () => {
    const token = await server.connectToken({ options: { clientUserId: 'flow-timeout' } })
    const record = await openContext(browser, server.base)
    opened.push(record)
    const { page } = record
    await page.goto(`${server.base}/connect?includeSandbox=true&connectorIds=2#connectToken=${token}`)
    await page.getByLabel('User', { exact: true }).fill('user-ok')
    await page.getByLabel('Password', { exact: true }).fill('password-ok')
    await page.getByRole('button', { name: 'Connect', exact: true }).click()
    await poll(() => page.getByRole('heading', { level: 1 }).textContent(), 20_000).toBe('Sandbox Bank MFA 2-step needs a confirmation')
    await poll(() => page.getByRole('timer').textContent()).toMatch(/^Time left: 0:0\d$/)

    // Nobody answers.
    await poll(() => page.getByRole('heading', { level: 1 }).textContent(), 30_000).toBe('The time to answer ran out')
    await screenshot(page, 'flow-mfa-timeout')
    const items = await server.api('GET', '/items?clientUserId=flow-timeout')
    const timedOut = items.body.results[0]
    expect(timedOut).toMatchObject({ status: 'OUTDATED', executionStatus: 'USER_INPUT_TIMEOUT', error: { code: 'USER_INPUT_TIMEOUT' }, parameter: null })

    await page.getByRole('button', { name: 'Try again' }).click()
    await poll(() => page.getByRole('heading', { level: 1 }).textContent(), 20_000).toBe('Sandbox Bank MFA 2-step needs a confirmation')
    await page.getByLabel('Code sent by SMS').fill('123456')
    await page.getByRole('button', { name: 'Continue' }).click()
    await poll(() => page.getByRole('heading', { level: 1 }).textContent(), 30_000).toBe('Connected!')

    const item = await server.item(timedOut.id)
    expect(item).toMatchObject({ status: 'UPDATED', executionStatus: 'SUCCESS', error: null })
    const executions = await server.executions(timedOut.id)
    expect(executions.map((e: any) => [e.status, e.triggeredBy])).toEqual([
      ['SUCCESS', 'USER'],
      ['USER_INPUT_TIMEOUT', 'USER'],
    ])
    expect((await server.api('GET', '/items?clientUserId=flow-timeout')).body.total).toBe(1)
  })
})

describe.skipIf(!BROWSER_AVAILABLE)('embedding with connect.js', () => {
  it('the demo host page gets a token, opens the widget, and receives onEvent and onSuccess; forged messages are ignored', async () => {
    const record = await context()
    const { page } = record
    await page.goto(`${server.base}/connect/demo`)
    await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Tributary Connect demo')
    await page.getByRole('button', { name: 'Connect an account' }).click()
    await poll(() => page.getByRole('dialog', { name: 'Tributary Connect' }).isVisible()).toBe(true)
    const frame = page.frameLocator('iframe[title="Tributary Connect"]')
    await poll(() => frame.getByRole('heading', { level: 1 }).textContent()).toBe('Choose your institution')
    // The token is not left in the iframe's address either.
    const widget = page.frames().find((f) => f.url().startsWith(`${server.base}/connect`))!
    expect(widget.url()).not.toContain('connectToken')

    // A message that claims to come from the widget but comes from the host window itself: ignored.
    await page.evaluate(() => window.postMessage({ source: 'tributary-connect', type: 'SUCCESS', payload: { item: { id: 'forged', status: 'UPDATED', executionStatus: 'SUCCESS' } } }, '*'))

    await frame.getByRole('button', { name: /^Sandbox Bank Sandbox$/ }).click()
    await frame.getByLabel('User', { exact: true }).fill('user-ok')
    await frame.getByLabel('Password', { exact: true }).fill('password-ok')
    await frame.getByRole('button', { name: 'Connect', exact: true }).click()
    await poll(() => frame.getByRole('heading', { level: 1 }).textContent(), 30_000).toBe('Connected!')

    const result = page.locator('#demo-result')
    await poll(() => result.textContent()).toMatch(/^Connected: item [0-9a-f-]{36} is UPDATED \(SUCCESS\)\.$/)
    await screenshot(page, 'connect-embed-demo', { docs: true })
    const itemId = /item ([0-9a-f-]{36})/.exec((await result.textContent())!)![1]
    const log = (await page.locator('#demo-log li').allTextContents()).map((line) => line.replace(/^\S+\s+(?:[AP]M\s+)?/, ''))
    for (const event of ['OPEN', 'SELECTED_INSTITUTION', 'SUBMITTED_LOGIN', 'ITEM_RESPONSE', 'LOGIN_SUCCESS', 'CONNECTION_SUCCESS']) {
      expect(log).toContain(`onEvent ${event}`)
    }
    expect(log).toContain(`onSuccess item ${itemId}`)
    expect(log.join('\n')).not.toContain('forged')

    await frame.getByRole('button', { name: 'Done' }).click()
    await poll(() => page.locator('iframe').count()).toBe(0)
    expect(await page.locator('#demo-log li').last().textContent()).toMatch(/onClose$/)
    expect(await page.getByRole('button', { name: 'Connect an account' }).isEnabled()).toBe(true)

    const item = await server.item(itemId)
    expect(item).toMatchObject({ status: 'UPDATED', executionStatus: 'SUCCESS', clientUserId: 'connect-demo', connector: { id: 0 } })
  })

  it('a page of another origin allowed by frame-ancestors embeds the widget; one not allowed cannot frame it', async () => {
    const { pages, hostPort } = await serveHostPages()
    const HOST = `http://127.0.0.1:${hostPort}`
    const EVIL = `http://localhost:${hostPort}`
    const token = await server.connectToken({ options: { clientUserId: 'flow-cross-origin' } })
    const record = await context([HOST, EVIL])
    const { page } = record
    const hostPage = `<!doctype html><html lang="en"><head><title>Host</title></head><body>
<h1>An application</h1><button id="open">Link your bank</button><p id="result"></p><ol id="events"></ol>
<script src="${server.base}/connect.js"></script>
<script>
document.getElementById('open').addEventListener('click', () => {
  const add = (text) => { const li = document.createElement('li'); li.textContent = text; document.getElementById('events').append(li) }
  TributaryConnect({
    url: '${server.base}', connectToken: '${token}', includeSandbox: true, connectorIds: [0], language: 'en',
    onEvent: (e) => add(e.event),
    onSuccess: ({ item }) => { document.getElementById('result').textContent = 'success ' + item.id + ' ' + item.status },
    onError: ({ message }) => { document.getElementById('result').textContent = 'error ' + message },
    onClose: () => add('closed'),
  })
})
</script></body></html>`
    pages.set('/embed-host', hostPage)
    pages.set('/evil', `<!doctype html><title>Evil</title><iframe title="stolen" src="${server.base}/connect#connectToken=${token}"></iframe>`)

    await page.goto(`${HOST}/embed-host`)
    await page.getByRole('button', { name: 'Link your bank' }).click()
    const frame = page.frameLocator('iframe[title="Tributary Connect"]')
    await poll(() => frame.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in to Sandbox Bank')
    // Another origin posting a look-alike message: ignored (origin check).
    await page.evaluate(() => window.postMessage({ source: 'tributary-connect', type: 'SUCCESS', payload: { item: { id: 'forged', status: 'UPDATED' } } }, '*'))
    await frame.getByLabel('User', { exact: true }).fill('user-ok')
    await frame.getByLabel('Password', { exact: true }).fill('password-ok')
    await frame.getByRole('button', { name: 'Connect', exact: true }).click()
    await poll(() => page.locator('#result').textContent(), 30_000).toMatch(/^success [0-9a-f-]{36} UPDATED$/)
    const events = await page.locator('#events li').allTextContents()
    expect(events).toEqual(expect.arrayContaining(['OPEN', 'SELECTED_INSTITUTION', 'SUBMITTED_LOGIN', 'ITEM_RESPONSE', 'LOGIN_SUCCESS', 'CONNECTION_SUCCESS']))
    await screenshot(page, 'flow-cross-origin-embed')
    await frame.getByRole('button', { name: 'Close' }).first().click()
    await poll(() => page.locator('#events li').last().textContent()).toBe('closed')
    const itemId = (await page.locator('#result').textContent())!.split(' ')[1]
    expect(await server.item(itemId)).toMatchObject({ status: 'UPDATED', clientUserId: 'flow-cross-origin' })

    // frame-ancestors: a page of an origin not in the list gets no Connect page in its frame.
    await page.goto(`${EVIL}/evil`)
    // The browser's report of the refusal is what proves the frame was decided on (not a wait).
    await expect.poll(() => record.console.some((line) => line.includes('frame-ancestors')), { timeout: 10_000, message: "the browser's frame-ancestors refusal in the console" }).toBe(true)
    const framed = page.frames().find((f) => f !== page.mainFrame())
    expect(await framed?.evaluate(() => document.querySelector('#app') !== null).catch(() => false)).toBe(false)
    record.console = record.console.filter((line) => !line.includes('frame-ancestors'))
  })

  it('mode popup opens the widget in a window of its own, relays its callbacks, and closing the window calls onClose', async () => {
    const { pages, hostPort } = await serveHostPages()
    const HOST = `http://127.0.0.1:${hostPort}`
    const token = await server.connectToken({ options: { clientUserId: 'flow-popup' } })
    const record = await context([HOST])
    const { page } = record
    pages.set(
      '/popup-host',
      `<!doctype html><html lang="en"><head><title>Host</title></head><body>
<button id="open">Link your bank</button><p id="result"></p><ol id="events"></ol>
<script src="${server.base}/connect.js"></script>
<script>
document.getElementById('open').addEventListener('click', () => {
  const add = (text) => { const li = document.createElement('li'); li.textContent = text; document.getElementById('events').append(li) }
  TributaryConnect({
    url: '${server.base}', connectToken: '${token}', includeSandbox: true, connectorIds: [0], language: 'en', mode: 'popup',
    onEvent: (e) => add(e.event),
    onSuccess: ({ item }) => { document.getElementById('result').textContent = 'success ' + item.id + ' ' + item.status },
    onClose: () => add('closed'),
  })
})
</script></body></html>`,
    )
    await page.goto(`${HOST}/popup-host`)
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Link your bank' }).click()])
    popup.on('pageerror', (error) => record.errors.push(error.message))
    expect(await page.locator('iframe').count()).toBe(0)
    await poll(() => popup.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in to Sandbox Bank')
    await popup.getByLabel('User', { exact: true }).fill('user-ok')
    await popup.getByLabel('Password', { exact: true }).fill('password-ok')
    await popup.getByRole('button', { name: 'Connect', exact: true }).click()
    await poll(() => page.locator('#result').textContent(), 30_000).toMatch(/^success [0-9a-f-]{36} UPDATED$/)
    expect(await page.locator('#events li').allTextContents()).toEqual(expect.arrayContaining(['OPEN', 'SUBMITTED_LOGIN', 'CONNECTION_SUCCESS']))
    const itemId = (await page.locator('#result').textContent())!.split(' ')[1]
    expect(await server.item(itemId)).toMatchObject({ status: 'UPDATED', clientUserId: 'flow-popup' })

    // The user closes the window itself: the host hears of it.
    await popup.close()
    await poll(() => page.locator('#events li').last().textContent()).toBe('closed')
  })
})
