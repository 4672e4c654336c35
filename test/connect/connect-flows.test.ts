/**
 * The Connect page in a real browser (headless Chromium): each flow drives the page as a user
 * would, checks what the user sees, then checks what the API holds.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import {
  BROWSER_AVAILABLE,
  poll,
  browserStorage,
  reportFailure,
  launchBrowser,
  openContext,
  screenshot,
  startConnectServer,
  startPageServer,
  type ConnectServer,
  type PageRecord,
} from './connect-harness.ts'

let server: ConnectServer
let browser: Browser
const opened: PageRecord[] = []

beforeAll(async () => {
  ;[server, browser] = await Promise.all([startConnectServer({ TRIBUTARY_SANDBOX_DELAY_MS: '150' }), launchBrowser()])
})
afterAll(async () => {
  await browser?.close()
  await server?.stop()
})
afterEach(async (context) => {
  for (const record of opened.splice(0)) {
    if (context.task.result?.state === 'fail') await reportFailure(record, context.task.name)
    // Every page of every flow: nothing requested from another host, no script error, no CSP violation.
    expect(record.external, 'requests to other hosts').toEqual([])
    expect(record.errors, 'page errors').toEqual([])
    expect(
      record.console.filter((line) => line.startsWith('error')),
      'console errors',
    ).toEqual([])
    await record.context.close()
  }
})

async function open(token: string, query = 'includeSandbox=true', options: { width?: number; height?: number } = {}): Promise<PageRecord> {
  const record = await openContext(browser, server.base, options)
  opened.push(record)
  await record.page.goto(`${server.base}/connect?${query}#connectToken=${token}`)
  return record
}

/** Records every text the progress line shows (a screen can change faster than a test polls). */
async function recordSteps(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: string[] = []
    ;(window as any).__steps = seen
    new MutationObserver(() => {
      const text = document.querySelector('.progress-step')?.textContent
      if (text && seen.at(-1) !== text) seen.push(text)
    }).observe(document.getElementById('screen')!, { subtree: true, childList: true, characterData: true })
  })
}

const steps = (page: Page): Promise<string[]> => page.evaluate(() => (window as any).__steps ?? [])

/** The credentials never appear in a URL the page requested, nor in the console. */
function expectNoSecretLeak(record: PageRecord, secrets: string[]): void {
  for (const secret of secrets) {
    expect(record.requests.filter((url) => url.includes(secret))).toEqual([])
    expect(record.console.filter((line) => line.includes(secret))).toEqual([])
  }
}

async function signIn(page: Page, user: string, password: string): Promise<void> {
  await page.getByLabel('User', { exact: true }).fill(user)
  await page.getByLabel('Password', { exact: true }).fill(password)
}

describe.skipIf(!BROWSER_AVAILABLE)('the Connect page in a browser', () => {
  it('no-MFA success: institution list with search and type filter, credential form with validation, named progress steps, success; the API holds the item', async () => {
    const token = await server.connectToken({ options: { clientUserId: 'flow-no-mfa' } })
    const record = await open(token)
    const { page } = record

    await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Choose your institution')
    // The token left the address bar at once.
    expect(page.url()).not.toContain(token)
    expect(page.url()).not.toContain('connectToken')
    const list = page.getByRole('list', { name: 'Choose your institution' })
    await poll(() => list.getByRole('button').count()).toBe(10)
    await poll(() => list.getByRole('button', { name: /^Sandbox Bank Sandbox$/ }).isVisible()).toBe(true)
    await screenshot(page, 'connect-institutions', { docs: true })

    // Search by name, then filter by type.
    await page.getByLabel('Search institutions').fill('mfa')
    const names = () => list.locator('.institution-name').allTextContents()
    await poll(names).toEqual(['Sandbox Bank MFA 1-step', 'Sandbox Bank MFA 2-step'])
    await page.getByLabel('Search institutions').fill('')
    await page.getByLabel('Type').selectOption({ label: 'Business bank' })
    await poll(names).toEqual(['Challenge Bank', 'Sandbox Bank Empresas'])
    await page.getByLabel('Type').selectOption({ label: 'All types' })
    await page.getByLabel('Search institutions').fill('nothing like this')
    await poll(() => page.getByText('No institution matches your search.').isVisible()).toBe(true)
    await page.getByLabel('Search institutions').fill('sandbox bank')

    await list.getByRole('button', { name: /^Sandbox Bank Sandbox$/ }).click()
    await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in to Sandbox Bank')
    const user = page.getByLabel('User', { exact: true })
    const password = page.getByLabel('Password', { exact: true })
    expect(await password.getAttribute('type')).toBe('password')
    expect(await user.getAttribute('placeholder')).toBe('user-ok')
    await poll(() => page.getByText('The sandbox accepts only password-ok.').isVisible()).toBe(true)

    // Client-side validation: nothing is sent while a required field is empty.
    await page.getByRole('button', { name: 'Connect', exact: true }).click()
    await poll(() => page.getByText('User is required.').isVisible()).toBe(true)
    expect(await user.getAttribute('aria-invalid')).toBe('true')
    expect(record.requests.some((url) => url.endsWith('/items'))).toBe(false)

    await signIn(page, 'user-ok', 'password-ok')
    await page.getByRole('button', { name: 'Show Password' }).click()
    expect(await password.getAttribute('type')).toBe('text')
    await page.getByRole('button', { name: 'Hide Password' }).click()
    expect(await password.getAttribute('type')).toBe('password')
    await screenshot(page, 'connect-credentials', { docs: true })

    await recordSteps(page)
    await page.getByRole('button', { name: 'Connect', exact: true }).click()
    await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Connecting to Sandbox Bank')
    await page.waitForFunction(() => document.querySelector('.progress-step')?.textContent?.startsWith('Collecting'))
    await screenshot(page, 'connect-progress', { docs: true })
    await poll(() => page.getByRole('heading', { level: 1 }).textContent(), 30_000).toBe('Connected!')
    await screenshot(page, 'connect-success', { docs: true })

    // The progress named the steps in plain words, in order.
    const shown = await steps(page)
    expect(shown).toEqual(expect.arrayContaining(['Signing in to your institution…', 'Collecting your accounts…', 'Collecting your transactions…', 'Saving your data…']))
    expect(shown.indexOf('Collecting your transactions…')).toBeGreaterThan(shown.indexOf('Collecting your accounts…'))

    const items = await server.api('GET', '/items?clientUserId=flow-no-mfa')
    expect(items.body.total).toBe(1)
    const item = items.body.results[0]
    expect(item).toMatchObject({ status: 'UPDATED', executionStatus: 'SUCCESS', error: null, connector: { id: 0 } })
    const executions = await server.executions(item.id)
    expect(executions.map((e: any) => [e.status, e.triggeredBy])).toEqual([['SUCCESS', 'USER']])
    const accounts = await server.api('GET', `/accounts?itemId=${item.id}`)
    expect(accounts.body.total).toBeGreaterThan(0)

    expect(await browserStorage(page)).toEqual({ local: 0, session: 0, cookies: 0 })
    expectNoSecretLeak(record, ['password-ok'])
  })

  it('with the event stream blocked, polling carries the flow to its end', async () => {
    const token = await server.connectToken({ options: { clientUserId: 'flow-polling' } })
    const record = await openContext(browser, server.base)
    opened.push(record)
    const { page } = record
    let refused = 0
    await page.route('**/items/*/events?**', (route) => {
      refused++
      return route.abort()
    })
    await page.goto(`${server.base}/connect?includeSandbox=true&connectorIds=0&products=ACCOUNTS,TRANSACTIONS,NOT_A_PRODUCT#connectToken=${token}`)
    await signIn(page, 'user-ok', 'password-ok')
    await page.getByRole('button', { name: 'Connect', exact: true }).click()
    await poll(() => page.getByRole('heading', { level: 1 }).textContent(), 30_000).toBe('Connected!')
    expect(refused).toBeGreaterThan(0)
    const item = (await server.api('GET', '/items?clientUserId=flow-polling')).body.results[0]
    expect(record.requests.filter((url) => url === `${server.base}/items/${item.id}`).length).toBeGreaterThan(1)
    // The products option reached the item (unknown names dropped).
    expect(item).toMatchObject({ status: 'UPDATED', executionStatus: 'SUCCESS', products: ['ACCOUNTS', 'TRANSACTIONS'] })
    // The aborted stream requests are the browser's console errors here, and only those.
    record.console = record.console.filter((line) => line !== 'error: Failed to load resource: net::ERR_FAILED')
  })

  it('2-step MFA: the code prompt with its label, validation and countdown, then success', async () => {
    const token = await server.connectToken({ options: { clientUserId: 'flow-mfa' } })
    // One connector given: the list is skipped.
    const { page } = await open(token, 'includeSandbox=true&connectorIds=2')
    await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in to Sandbox Bank MFA 2-step')
    await signIn(page, 'user-ok', 'password-ok')
    await page.getByRole('button', { name: 'Connect', exact: true }).click()

    await poll(() => page.getByRole('heading', { level: 1 }).textContent(), 20_000).toBe('Sandbox Bank MFA 2-step needs a confirmation')
    const code = page.getByLabel('Code sent by SMS')
    expect(await code.getAttribute('inputmode')).toBe('numeric')
    expect(await code.getAttribute('autocomplete')).toBe('one-time-code')
    await poll(() => page.getByRole('timer').textContent()).toMatch(/^Time left: [45]:\d\d$/)
    await poll(() => page.getByText('Type the 6-digit code the bank sent to your phone. In the sandbox it is always 123456.').isVisible()).toBe(true)
    await code.fill('12')
    await page.getByRole('button', { name: 'Continue' }).click()
    await poll(() => page.getByText('The code must have exactly 6 digits.').isVisible()).toBe(true)
    await code.fill('123456')
    await screenshot(page, 'connect-mfa', { docs: true })
    await page.getByRole('button', { name: 'Continue' }).click()
    await poll(() => page.getByRole('heading', { level: 1 }).textContent(), 30_000).toBe('Connected!')
    await screenshot(page, 'flow-mfa-success')

    const items = await server.api('GET', '/items?clientUserId=flow-mfa')
    expect(items.body.total).toBe(1)
    expect(items.body.results[0]).toMatchObject({ status: 'UPDATED', executionStatus: 'SUCCESS', parameter: null })
    const [execution] = await server.executions(items.body.results[0].id)
    expect(execution.steps.map((s: any) => s.status)).toEqual(expect.arrayContaining(['WAITING_USER_INPUT', 'LOGIN_MFA_IN_PROGRESS', 'SUCCESS']))
  })

  it('a wrong password shows the credentials error; new credentials on the same item then succeed', async () => {
    const token = await server.connectToken({ options: { clientUserId: 'flow-retry' } })
    const record = await open(token)
    const { page } = record
    await page.getByRole('button', { name: /^Sandbox Bank Sandbox$/ }).click()
    await signIn(page, 'user-ok', 'not-the-password')
    await page.getByRole('button', { name: 'Connect', exact: true }).click()

    await poll(() => page.getByRole('heading', { level: 1 }).textContent(), 20_000).toBe('The credentials were not accepted')
    await poll(() => page.getByText('INVALID_CREDENTIALS', { exact: true }).isVisible()).toBe(true)
    await screenshot(page, 'connect-error', { docs: true })
    const first = (await server.api('GET', '/items?clientUserId=flow-retry')).body.results[0]
    expect(first).toMatchObject({ status: 'LOGIN_ERROR', executionStatus: 'INVALID_CREDENTIALS', error: { code: 'INVALID_CREDENTIALS' } })

    await page.getByRole('button', { name: 'Enter credentials again' }).click()
    await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Update your connection to Sandbox Bank')
    // Nothing was kept from the first attempt.
    expect(await page.getByLabel('Password', { exact: true }).inputValue()).toBe('')
    await signIn(page, 'user-ok', 'password-ok')
    await page.getByRole('button', { name: 'Update connection' }).click()
    await poll(() => page.getByRole('heading', { level: 1 }).textContent(), 30_000).toBe('Connected!')
    await screenshot(page, 'flow-retry-success')

    const items = await server.api('GET', '/items?clientUserId=flow-retry')
    expect(items.body.total).toBe(1)
    expect(items.body.results[0]).toMatchObject({ id: first.id, status: 'UPDATED', executionStatus: 'SUCCESS', error: null, consecutiveFailedLoginAttempts: 0 })
    const executions = await server.executions(first.id)
    expect(executions.map((e: any) => [e.status, e.triggeredBy])).toEqual([
      ['SUCCESS', 'USER'],
      ['INVALID_CREDENTIALS', 'USER'],
    ])
    expectNoSecretLeak(record, ['password-ok', 'not-the-password'])
    expect(await browserStorage(page)).toEqual({ local: 0, session: 0, cookies: 0 })
  })

  it('update mode: an existing item is updated with new credentials, and synced again as it is with an item-bound token', async () => {
    const created = await server.api('POST', '/items', { connectorId: 0, parameters: { user: 'user-ok', password: 'password-ok' }, clientUserId: 'flow-update' })
    expect(created.status).toBe(200)
    await server.waitFinished(created.body.id)
    const token = await server.connectToken({ itemId: created.body.id })

    const { page } = await open(token, `updateItem=${created.body.id}`)
    await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Update your connection to Sandbox Bank')
    await screenshot(page, 'flow-update-credentials')
    await signIn(page, 'user-ok-account-warning', 'password-ok')
    await page.getByRole('button', { name: 'Update connection' }).click()
    await poll(() => page.getByRole('heading', { level: 1 }).textContent(), 30_000).toBe('Connected!')
    await screenshot(page, 'flow-update-success')
    let item = await server.item(created.body.id)
    expect(item).toMatchObject({ status: 'UPDATED', executionStatus: 'SUCCESS' })
    expect(item.statusDetail.accounts.warnings).toEqual([expect.objectContaining({ code: 'SANDBOX_ACCOUNT_DATA_INCOMPLETE' })])

    // The same token without updateItem: the page finds the item in the token and offers to sync as is.
    const second = await open(token, '')
    await poll(() => second.page.getByRole('heading', { level: 1 }).textContent()).toBe('Update your connection to Sandbox Bank')
    await second.page.getByRole('button', { name: 'Sync now with the saved credentials' }).click()
    await poll(() => second.page.getByRole('heading', { level: 1 }).textContent(), 30_000).toBe('Connected!')

    item = await server.item(created.body.id)
    expect(item).toMatchObject({ status: 'UPDATED', executionStatus: 'SUCCESS' })
    const executions = await server.executions(created.body.id)
    expect(executions.map((e: any) => [e.status, e.triggeredBy])).toEqual([
      ['SUCCESS', 'USER'],
      ['SUCCESS', 'USER'],
      ['SUCCESS', 'CLIENT'],
    ])
    expect((await server.api('GET', '/items?clientUserId=flow-update')).body.total).toBe(1)
  })

  it('device authorization: the instructions, then the engine’s follow-up finishes by itself', async () => {
    const token = await server.connectToken({ options: { clientUserId: 'flow-device' } })
    const { page } = await open(token, 'includeSandbox=true&connectorIds=3')
    await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in to Sandbox Bank App Authorization')
    await signIn(page, 'user-auth-pending-1', 'password-ok')
    await page.getByRole('button', { name: 'Connect', exact: true }).click()

    await poll(() => page.getByRole('heading', { level: 1 }).textContent(), 20_000).toBe('Approve the access in your app')
    await poll(() => page.getByText('Open the Sandbox Bank app and approve the access request.').isVisible()).toBe(true)
    // Read the pending state before anything slow: the follow-up starts TRIBUTARY_AUTH_PENDING_RETRY_SECONDS later.
    const pending = (await server.api('GET', '/items?clientUserId=flow-device')).body.results[0]
    expect(pending.userAction).toMatchObject({ instructions: 'Open the Sandbox Bank app and approve the access request.' })
    await screenshot(page, 'connect-device-authorization', { docs: true })

    // No click: the follow-up execution (TRIBUTARY_AUTH_PENDING_RETRY_SECONDS=3) logs in and collects.
    await poll(() => page.getByRole('heading', { level: 1 }).textContent(), 30_000).toBe('Connected!')
    const item = await server.item(pending.id)
    expect(item).toMatchObject({ status: 'UPDATED', executionStatus: 'SUCCESS', userAction: null })
    const executions = await server.executions(pending.id)
    expect(executions.map((e: any) => [e.status, e.triggeredBy])).toEqual([
      ['SUCCESS', 'INTERNAL'],
      ['USER_AUTHORIZATION_PENDING', 'USER'],
    ])
  })

  it('MFA prompts of every other parameter type: select, image challenge, password, text', async () => {
    const token = await server.connectToken({ options: { clientUserId: 'flow-challenges' } })
    const { page } = await open(token, 'includeSandbox=true&connectorTypes=BUSINESS_BANK')
    await page.getByRole('button', { name: /^Challenge Bank/ }).click()
    await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in to Challenge Bank')

    // Generated from the connector's fields: number with its rule, select with options, password, optional text.
    await page.getByLabel('Branch').fill('12')
    await page.getByRole('button', { name: 'Connect', exact: true }).click()
    await poll(() => page.getByText('The branch has exactly 4 digits.').isVisible()).toBe(true)
    await poll(() => page.getByText('Account type is required.').isVisible()).toBe(true)
    expect(await page.getByLabel('Nickname (optional)').getAttribute('aria-required')).toBe('false')
    await page.getByLabel('Branch').fill('0001')
    await page.getByLabel('Account type').selectOption('checking')
    await page.getByLabel('Internet banking password', { exact: true }).fill('s3cret-pass')
    await page.getByRole('button', { name: 'Connect', exact: true }).click()

    const mfaScreen = () => poll(() => page.getByRole('heading', { level: 1 }).textContent(), 20_000).toBe('Challenge Bank needs a confirmation')
    await mfaScreen()
    await page.getByLabel('Where should we send your code?').selectOption({ label: 'SMS to •••• 1234' })
    await page.getByRole('button', { name: 'Continue' }).click()

    await poll(() => page.getByRole('img', { name: 'Challenge from Challenge Bank' }).isVisible(), 20_000).toBe(true)
    await screenshot(page, 'flow-mfa-image')
    await page.getByLabel('Characters in the image').fill('X7K2')
    await page.getByRole('button', { name: 'Continue' }).click()

    await poll(() => page.getByLabel('Card PIN', { exact: true }).getAttribute('type'), 20_000).toBe('password')
    await page.getByLabel('Card PIN', { exact: true }).fill('12')
    await page.getByRole('button', { name: 'Continue' }).click()
    await poll(() => page.getByText('The PIN has 4 digits.').isVisible()).toBe(true)
    await page.getByLabel('Card PIN', { exact: true }).fill('4321')
    await page.getByRole('button', { name: 'Continue' }).click()

    await poll(() => page.getByLabel('Your secret word').isVisible(), 20_000).toBe(true)
    await page.getByLabel('Your secret word').fill('river')
    await page.getByRole('button', { name: 'Continue' }).click()
    await poll(() => page.getByRole('heading', { level: 1 }).textContent(), 30_000).toBe('Connected!')

    const item = (await server.api('GET', '/items?clientUserId=flow-challenges')).body.results[0]
    expect(item).toMatchObject({ status: 'UPDATED', executionStatus: 'SUCCESS', connector: { id: 90 } })
    const [execution] = await server.executions(item.id)
    expect(execution.steps.filter((s: any) => s.status === 'WAITING_USER_INPUT')).toHaveLength(4)
  })

  it('keyboard only at 360 px wide, in Portuguese: every control named, nothing wider than the screen', async () => {
    const token = await server.connectToken({ options: { clientUserId: 'flow-keyboard' } })
    const { page } = await open(token, 'includeSandbox=true&language=pt-BR', { width: 360, height: 740 })
    await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Escolha sua instituição')
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('pt-BR')

    const unnamedControls = () =>
      page.evaluate(() =>
        Array.from(document.querySelectorAll('input, select, button, [role=progressbar]'))
          .filter((el) => (el as HTMLElement).offsetParent !== null)
          .filter((el) => {
            const labelled = (el as HTMLInputElement).labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')
            return !labelled && !(el.tagName === 'BUTTON' && el.textContent?.trim())
          })
          .map((el) => el.outerHTML.slice(0, 120)),
      )
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect(await unnamedControls()).toEqual([])
    expect(await overflow()).toBeLessThanOrEqual(0)
    await screenshot(page, 'flow-360-institutions')

    // Tab to the institution and choose it with Enter.
    const focusedName = () => page.evaluate(() => document.activeElement?.textContent ?? '')
    // The logo's monogram ("SB") is part of the button's text until (unless) the logo image shows.
    const isSandboxBank = (name: string) => /^(SB)?Sandbox BankSandbox$/.test(name)
    for (let i = 0; i < 30 && !isSandboxBank(await focusedName()); i++) await page.keyboard.press('Tab')
    expect(await focusedName()).toMatch(/^(SB)?Sandbox BankSandbox$/)
    await page.keyboard.press('Enter')
    await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Entre no Sandbox Bank')
    expect(await unnamedControls()).toEqual([])
    expect(await overflow()).toBeLessThanOrEqual(0)

    // Focus starts on the heading; Tab reaches the fields in order; Enter submits.
    const focusedLabel = () => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.labels?.[0]?.textContent ?? '')
    for (let i = 0; i < 10 && (await focusedLabel()) !== 'User'; i++) await page.keyboard.press('Tab')
    await page.keyboard.type('user-ok')
    await page.keyboard.press('Tab')
    expect(await focusedLabel()).toBe('Password')
    await page.keyboard.type('password-ok')
    await screenshot(page, 'flow-360-credentials')
    await page.keyboard.press('Enter')
    await poll(() => page.getByRole('heading', { level: 1 }).textContent(), 30_000).toBe('Conectado!')
    expect(await overflow()).toBeLessThanOrEqual(0)
    expect((await server.api('GET', '/items?clientUserId=flow-keyboard')).body.results[0]).toMatchObject({ status: 'UPDATED' })
  })

  it('with TRIBUTARY_CONNECT_FRAME_ANCESTORS unset, a page of another origin cannot frame the page', async () => {
    const other = await startPageServer()
    onTestFinished(other.close)
    other.pages.set('/', `<!doctype html><title>Elsewhere</title><iframe title="framed" src="${server.base}/connect#connectToken=${await server.connectToken()}"></iframe>`)
    const origin = `http://localhost:${other.port}`
    const record = await openContext(browser, server.base, { allowOrigins: [origin] })
    opened.push(record)
    await record.page.goto(`${origin}/`)
    await poll(() => record.console.some((line) => line.includes("frame-ancestors 'self'"))).toBe(true)
    const framed = record.page.frames().find((frame) => frame !== record.page.mainFrame())
    expect(await framed?.evaluate(() => document.getElementById('app') !== null).catch(() => false)).toBe(false)
    record.console = record.console.filter((line) => !line.includes('frame-ancestors'))
  })

  it('without a token the page says what is missing', async () => {
    const record = await openContext(browser, server.base)
    opened.push(record)
    await record.page.goto(`${server.base}/connect`)
    await poll(() => record.page.getByRole('alert').textContent()).toBe('This page needs a connect token. Open it from the application you are connecting to.')
    // An expired or forged token: the first call is refused and the page says so.
    await record.page.goto(`${server.base}/connect?includeSandbox=true#connectToken=not-a-token`)
    await poll(() => record.page.getByRole('alert').textContent()).toBe('This connection link has expired. Close this window and start again.')
    // The browser reports the refused call (401) on its console; that one is expected here.
    record.console = record.console.filter((line) => !line.includes('401'))
  })
})
