/**
 * The API reference at /docs in a real browser (headless Chromium): it renders every documented
 * operation from /openapi.json with assets served by Tributary itself, and a developer can open an
 * operation and read its schema. With TRIBUTARY_DOCS_SCREENSHOTS=1 the page is saved to docs/images.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BROWSER_AVAILABLE, launchBrowser, openContext, reportFailure, screenshot, startConnectServer, type ConnectServer } from './connect-harness.ts'

let server: ConnectServer
let browser: Browser

beforeAll(async () => {
  ;[server, browser] = await Promise.all([startConnectServer(), launchBrowser()])
})
afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

describe.skipIf(!BROWSER_AVAILABLE)('the API reference in a browser', () => {
  it('renders every operation of /openapi.json at /docs, without requests to other hosts, and opens one', async (context) => {
    const spec = (await server.api('GET', '/openapi.json')).body
    const operations = Object.values(spec.paths as Record<string, Record<string, unknown>>).reduce((sum, methods) => sum + Object.keys(methods).length, 0)
    expect(operations).toBeGreaterThan(20)

    const record = await openContext(browser, server.base, { width: 1280, height: 900 })
    try {
      const { page } = record
      await page.goto(`${server.base}/docs`)
      await expect.poll(() => page.locator('.opblock').count(), { timeout: 15_000 }).toBe(operations)
      expect(await page.locator('.info .title').innerText()).toContain(spec.info.title)
      await screenshot(page, 'api-docs', { docs: true })

      // Opening an operation shows its parameters and responses, generated from the route schema.
      const getItem = page.locator('.opblock-get', { has: page.locator('[data-path="/items/{id}"]') }).first()
      await getItem.locator('.opblock-summary').first().click()
      await expect.poll(() => getItem.locator('.parameters-container').innerText(), { timeout: 10_000 }).toContain('id')

      expect(record.external, 'requests to other hosts').toEqual([])
      expect(record.errors, 'page errors').toEqual([])
    } catch (error) {
      await reportFailure(record, context.task.name)
      throw error
    } finally {
      await record.context.close()
    }
  })
})
