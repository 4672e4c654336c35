/**
 * What the dashboard suites share: the Connect suites' server and browser (a real engine on a
 * loopback port, Debian's Chromium), a sign-in over HTTP, and a webhook receiver on another port.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Page } from 'playwright-core'
import { CLIENT, type ConnectServer } from '../connect/connect-harness.ts'

export * from '../connect/connect-harness.ts'
export { OTHER_CLIENT } from '../support/harness.ts'

export interface DashboardSessionCookie {
  /** `tributary_dashboard=…`, for a Cookie header. */
  cookie: string
  /** The whole Set-Cookie header, flags included. */
  setCookie: string
  csrfToken: string
}

export async function signInOverHttp(server: ConnectServer, body: Record<string, string> = CLIENT): Promise<DashboardSessionCookie> {
  const response = await fetch(`${server.base}/dashboard/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  if (response.status !== 200) throw new Error(`sign-in: ${response.status} ${await response.text()}`)
  const setCookie = response.headers.get('set-cookie')!
  const { csrfToken } = (await response.json()) as { csrfToken: string }
  return { cookie: setCookie.split(';')[0]!, setCookie, csrfToken }
}

/** A dashboard API call with (or without) a session cookie and CSRF token. */
export async function dashboardCall(
  server: ConnectServer,
  method: string,
  path: string,
  options: { cookie?: string; csrfToken?: string; body?: unknown } = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(`${server.base}${path}`, {
    method,
    redirect: 'manual',
    headers: {
      ...(options.cookie ? { cookie: options.cookie } : {}),
      ...(options.csrfToken ? { 'x-csrf-token': options.csrfToken } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  })
  const text = await response.text()
  let body: any = text
  try {
    body = JSON.parse(text)
  } catch {}
  return { status: response.status, body, headers: response.headers }
}

/** Signs in through the page, as a developer would. */
export async function signInInBrowser(page: Page, base: string): Promise<void> {
  await page.goto(`${base}/dashboard`)
  await page.waitForURL(`${base}/dashboard/sign-in`)
  await page.getByLabel('Client id').fill(CLIENT.clientId)
  await page.getByLabel('Client secret').fill(CLIENT.clientSecret)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(`${base}/dashboard`)
  await page.locator('nav.sections').waitFor()
}

export interface Receiver {
  url: string
  /** What the receiver answers next. */
  answer: number
  received: { headers: IncomingHttpHeaders; body: string; answered: number }[]
  close(): Promise<void>
}

/** A real webhook receiver on loopback that answers whatever status `answer` holds. */
export async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = { url: '', answer: 200, received: [], close: async () => {} }
  const server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk) => (body += chunk))
    request.on('end', () => {
      receiver.received.push({ headers: request.headers, body, answered: receiver.answer })
      response.writeHead(receiver.answer).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`
  receiver.close = () => new Promise<void>((resolve) => server.close(() => resolve()))
  return receiver
}
