import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { loadConfig } from '../src/config.ts'
import { verifyWebhookSignature } from '../src/events/signature.ts'
import { startTributary } from '../src/main.ts'
import { CLIENT, OTHER_CLIENT } from './support/harness.ts'
import { finished, OK, startSandboxEngine, type SandboxEngine } from './support/sandbox-engine.ts'
import { WebhookReceiver } from './support/webhook-receiver.ts'

// The sandbox control API (SPEC §7.6, docs/sandbox.md) over real HTTP: items are created and
// updated with the unmodified pluggy-sdk client, events arrive at a real webhook receiver, and the
// engine's clock is a ManualClock the test moves (the MFA expiry, the authorization deadline).

const receiver = new WebhookReceiver()
let engine: SandboxEngine
let tributary: SandboxEngine['tributary']
let client: SandboxEngine['client']
let clock: SandboxEngine['clock']
let control: SandboxEngine['control']
let settled: SandboxEngine['settled']
let connected: SandboxEngine['connected']
let resync: SandboxEngine['resync']

/** A connector of a real institution (not a sandbox one): the control API refuses its items. */
const REAL_BANK = {
  id: 901,
  name: 'Real Bank',
  type: 'PERSONAL_BANK' as const,
  country: 'BR',
  credentials: [{ name: 'user', label: 'User', type: 'text' as const }],
  hasMFA: false,
  products: ['ACCOUNTS' as const],
  async login() {},
  async fetchAccounts() {
    return []
  },
}

beforeAll(async () => {
  await receiver.start()
  engine = await startSandboxEngine({ connectors: [REAL_BANK] })
  ;({ tributary, client, clock, control, settled, connected, resync } = engine)
})

afterAll(async () => {
  await engine?.stop()
  await receiver.stop()
})

describe('forced outcomes', () => {
  it('ends the next execution with INVALID_CREDENTIALS and its provider message, once, and tells the application through its webhook', async () => {
    const hook = 'forced-invalid'
    const item = await connected(OK, 0, receiver.url(hook))
    expect(item.executionStatus).toBe('SUCCESS')
    const forced = await control('PUT', `/sandbox/items/${item.id}/outcome`, { executionStatus: 'INVALID_CREDENTIALS', providerMessage: 'Senha expirada.' })
    expect(forced.status).toBe(200)
    expect(forced.body).toMatchObject({ itemId: item.id, executionStatus: 'INVALID_CREDENTIALS', once: true, appliedToExecutionId: null, providerMessage: 'Senha expirada.' })

    const failed = await resync(item.id)
    expect(failed).toMatchObject({ status: 'LOGIN_ERROR', executionStatus: 'INVALID_CREDENTIALS', error: { code: 'INVALID_CREDENTIALS', providerMessage: 'Senha expirada.' } })
    const read = await control('GET', `/sandbox/items/${item.id}/outcome`)
    expect(read.body.appliedToExecutionId).toEqual(expect.any(String))
    await vi.waitFor(() => expect(receiver.at(hook).map((r) => r.body.event)).toContain('item/error'), { timeout: 10_000, interval: 20 })
    const error = receiver.at(hook).find((r) => r.body.event === 'item/error')!
    expect(error.body).toMatchObject({ itemId: item.id, error: { code: 'INVALID_CREDENTIALS' } })
    expect(verifyWebhookSignature(error.raw, error.signature, CLIENT.clientSecret, 300, Math.floor(clock.now().getTime() / 1000))).toBe(true)

    // Once: the execution after it follows the user's own scenario again.
    expect((await resync(item.id, OK)).executionStatus).toBe('SUCCESS')
  })

  it('keeps an outcome until it is cleared when once is false', async () => {
    const item = await connected()
    await control('PUT', `/sandbox/items/${item.id}/outcome`, { executionStatus: 'SITE_NOT_AVAILABLE', once: false })
    expect(await resync(item.id)).toMatchObject({ status: 'OUTDATED', executionStatus: 'SITE_NOT_AVAILABLE' })
    expect(await resync(item.id)).toMatchObject({ status: 'OUTDATED', executionStatus: 'SITE_NOT_AVAILABLE' })
    expect((await control('GET', `/sandbox/items/${item.id}`)).body).toMatchObject({ outcome: { executionStatus: 'SITE_NOT_AVAILABLE', once: false, appliedToExecutionId: null }, loginReset: false })
    expect(await control('DELETE', `/sandbox/items/${item.id}/outcome`)).toEqual({ status: 200, body: { count: 1 } })
    expect((await resync(item.id)).executionStatus).toBe('SUCCESS')
    expect((await control('GET', `/sandbox/items/${item.id}/outcome`)).body.codeDescription).toBe('SANDBOX_OUTCOME_NOT_FOUND')
  })

  it('fails the products asked for a PARTIAL_SUCCESS, and only those', async () => {
    const item = await connected()
    await control('PUT', `/sandbox/items/${item.id}/outcome`, { executionStatus: 'PARTIAL_SUCCESS', failingProducts: ['IDENTITY', 'LOANS'], providerMessage: 'Fora do ar.' })
    const partial = (await resync(item.id)) as any
    expect(partial.executionStatus).toBe('PARTIAL_SUCCESS')
    expect(partial.statusDetail.identity.isUpdated).toBe(false)
    expect(partial.statusDetail.loans.isUpdated).toBe(false)
    expect(partial.statusDetail.creditCards.isUpdated).toBe(true)
  })

  it('produces every outcome a sandbox institution can end an execution with, whatever the user name chose', async () => {
    const outcomes = [
      'SUCCESS',
      'ERROR',
      'MERGE_ERROR',
      'SITE_NOT_AVAILABLE',
      'CONNECTION_ERROR',
      'ALREADY_LOGGED_IN',
      'ACCOUNT_NEEDS_ACTION',
      'INVALID_CREDENTIALS_MFA',
      'ACCOUNT_LOCKED',
      'ACCOUNT_CREDENTIALS_RESET',
      'USER_NOT_SUPPORTED',
      'USER_AUTHORIZATION_REVOKED',
      'USER_AUTHORIZATION_PENDING',
    ]
    // user-locked would end ACCOUNT_LOCKED: the forced outcome comes first.
    const items = await Promise.all(outcomes.map(() => connected({ user: 'user-locked', password: 'password-ok' })))
    await Promise.all(items.map((item, i) => control('PUT', `/sandbox/items/${item.id}/outcome`, { executionStatus: outcomes[i] })))
    const ended = await Promise.all(items.map((item) => resync(item.id, { user: 'user-locked', password: 'password-ok' })))
    expect(ended.map((item) => item.executionStatus)).toEqual(outcomes)
    const pending = ended.at(-1)!
    expect(pending.status).toBe('OUTDATED')
    expect(pending.userAction).toMatchObject({ instructions: expect.any(String) })
  })

  it('lets the MFA wait expire for USER_INPUT_TIMEOUT: every code sent is asked again until the clock passes the expiry', async () => {
    const item = await connected()
    await control('PUT', `/sandbox/items/${item.id}/outcome`, { executionStatus: 'USER_INPUT_TIMEOUT' })
    await client.updateItem(item.id)
    const waiting = await settled(item.id, (i) => i.status === 'WAITING_USER_INPUT')
    await client.updateItemMFA(item.id, { token: '123456' })
    await settled(item.id, (i) => i.status === 'WAITING_USER_INPUT' && i.parameter?.expiresAt !== waiting.parameter?.expiresAt)
    await clock.advance(tributary.config.mfaTimeoutSeconds * 1000 + 1000)
    expect(await settled(item.id)).toMatchObject({ status: 'OUTDATED', executionStatus: 'USER_INPUT_TIMEOUT' })
  })

  it('requests authorization on every execution for USER_AUTHORIZATION_NOT_GRANTED until the deadline passes', async () => {
    const item = await connected()
    await control('PUT', `/sandbox/items/${item.id}/outcome`, { executionStatus: 'USER_AUTHORIZATION_NOT_GRANTED', once: false })
    expect((await resync(item.id)).executionStatus).toBe('USER_AUTHORIZATION_PENDING')
    await clock.advance(tributary.config.authPendingDeadlineSeconds * 1000 + 1000)
    await tributary.scheduler.run()
    expect(await settled(item.id, (i) => finished(i) && i.executionStatus !== 'USER_AUTHORIZATION_PENDING')).toMatchObject({ executionStatus: 'USER_AUTHORIZATION_NOT_GRANTED' })
    await control('DELETE', `/sandbox/items/${item.id}/outcome`)
  })

  it('refuses an outcome it cannot keep, with the field named', async () => {
    const item = await connected()
    const products = await control('PUT', `/sandbox/items/${item.id}/outcome`, { executionStatus: 'SUCCESS', failingProducts: ['IDENTITY'] })
    expect(products.status).toBe(400)
    expect(products.body).toMatchObject({ codeDescription: 'SANDBOX_OUTCOME_INVALID', data: { field: 'failingProducts' } })
    const once = await control('PUT', `/sandbox/items/${item.id}/outcome`, { executionStatus: 'USER_AUTHORIZATION_NOT_GRANTED' })
    expect(once.body).toMatchObject({ codeDescription: 'SANDBOX_OUTCOME_INVALID', data: { field: 'once' } })
    const unknown = await control('PUT', `/sandbox/items/${item.id}/outcome`, { executionStatus: 'UPDATING' })
    expect(unknown.body.codeDescription).toBe('VALIDATION_ERROR')
    expect(unknown.body.details[0].parameter).toBe('body.executionStatus')
  })
})

describe('reset login', () => {
  it('makes every sync end LOGIN_ERROR / INVALID_CREDENTIALS until the item is given credentials again', async () => {
    const item = await connected()
    const reset = await control('POST', `/sandbox/items/${item.id}/reset-login`)
    expect(reset.body).toMatchObject({ itemId: item.id, loginReset: true, loginResetAt: expect.any(String) })
    expect(await resync(item.id)).toMatchObject({ status: 'LOGIN_ERROR', executionStatus: 'INVALID_CREDENTIALS', error: { code: 'INVALID_CREDENTIALS' } })
    // The reference's answer to an update without credentials of a LOGIN_ERROR item.
    await expect(client.updateItem(item.id)).rejects.toThrow()
    expect((await resync(item.id, OK)).executionStatus).toBe('SUCCESS')
    expect((await control('GET', `/sandbox/items/${item.id}`)).body.loginReset).toBe(false)
  })
})

describe('fire webhook', () => {
  it('sends any item event as the engine would: signed, to the webhooks subscribed, in the delivery log', async () => {
    const hook = 'fired'
    const item = await connected()
    await client.createWebhook('all', receiver.url(hook))
    const fired = await control('POST', `/sandbox/items/${item.id}/fire-webhook`, { event: 'item/updated' })
    expect(fired.status).toBe(200)
    expect(fired.body).toMatchObject({ event: 'item/updated', itemId: item.id, payload: { event: 'item/updated', itemId: item.id, eventId: fired.body.eventId } })
    const deleted = await control('POST', `/sandbox/items/${item.id}/fire-webhook`, { event: 'transactions/deleted' })
    expect(deleted.body, JSON.stringify(deleted.body)).toMatchObject({ event: 'transactions/deleted' })
    expect(deleted.body.payload).toMatchObject({ accountId: expect.any(String), transactionIds: expect.any(Array) })
    expect(deleted.body.payload.transactionIds.length).toBeGreaterThan(0)

    await vi.waitFor(() => expect(receiver.at(hook).map((r) => r.body.eventId)).toEqual(expect.arrayContaining([fired.body.eventId, deleted.body.eventId])), { timeout: 10_000, interval: 20 })
    const received = receiver.at(hook).find((r) => r.body.eventId === fired.body.eventId)!
    expect(received.body).toEqual(fired.body.payload)
    expect(verifyWebhookSignature(received.raw, received.signature, CLIENT.clientSecret, 300, Math.floor(clock.now().getTime() / 1000))).toBe(true)
    const log = await control('GET', `/webhook-deliveries?itemId=${item.id}&event=item/updated`)
    expect(log.body.results.some((d: any) => d.eventId === fired.body.eventId && d.status === 'DELIVERED')).toBe(true)
  })
})

describe('who may use it', () => {
  it('refuses items of other connectors, other clients’ items, and connect tokens', async () => {
    const real = await client.createItem(REAL_BANK.id, { user: 'ana' })
    const refused = await control('PUT', `/sandbox/items/${real.id}/outcome`, { executionStatus: 'ERROR' })
    expect(refused.status, JSON.stringify(refused.body)).toBe(400)
    expect(refused.body.codeDescription).toBe('SANDBOX_CONNECTOR_REQUIRED')

    const mine = await connected()
    const theirs = await control('POST', `/sandbox/items/${mine.id}/reset-login`, undefined, OTHER_CLIENT)
    expect(theirs).toMatchObject({ status: 404, body: { codeDescription: 'ITEM_NOT_FOUND' } })
    expect((await control('GET', `/sandbox/items/${mine.id}`)).body.loginReset).toBe(false)

    const { accessToken } = await client.createConnectToken(mine.id)
    const response = await fetch(`${tributary.url}/sandbox/items/${mine.id}`, { headers: { 'x-api-key': accessToken } })
    expect(response.status).toBe(403)
  })

  it('is off when NODE_ENV=production unless TRIBUTARY_SANDBOX_CONTROL=true, and refuses an invalid value by name', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).sandboxControl).toBe(false)
    expect(loadConfig({ NODE_ENV: 'production', TRIBUTARY_SANDBOX_CONTROL: 'true' }).sandboxControl).toBe(true)
    expect(loadConfig({}).sandboxControl).toBe(true)
    expect(() => loadConfig({ TRIBUTARY_SANDBOX_CONTROL: 'sometimes' })).toThrow(/^TRIBUTARY_SANDBOX_CONTROL: /)
  })

  it('answers SANDBOX_CONTROL_DISABLED, with the variable to set, on an engine where it is off', async () => {
    const off = await startTributary(
      loadConfig({
        TRIBUTARY_DATA_DIR: ':memory:',
        TRIBUTARY_SANDBOX_DELAY_MS: '0',
        TRIBUTARY_CLIENT_ID: CLIENT.clientId,
        TRIBUTARY_CLIENT_SECRET: CLIENT.clientSecret,
        TRIBUTARY_SANDBOX_CONTROL: 'false',
        LOG_LEVEL: 'silent',
      }),
      { listen: false, logger: pino({ level: 'silent' }) },
    )
    try {
      const { apiKey } = (await off.app!.inject({ method: 'POST', url: '/auth', payload: CLIENT })).json()
      const reply = await off.app!.inject({ method: 'GET', url: '/sandbox/items/00000000-0000-4000-8000-000000000000', headers: { 'x-api-key': apiKey } })
      expect(reply.statusCode).toBe(404)
      expect(reply.json()).toMatchObject({ codeDescription: 'SANDBOX_CONTROL_DISABLED', message: expect.stringContaining('TRIBUTARY_SANDBOX_CONTROL=true') })
      // The payments side of the control API (paying a Pix QR code) is off with it.
      const payPix = await off.app!.inject({ method: 'POST', url: '/sandbox/payments/intents/7b0f4a53-6f7e-4d43-9e58-2a1a3b9f0c11/pay-pix', headers: { 'x-api-key': apiKey } })
      expect(payPix.statusCode).toBe(404)
      expect(payPix.json()).toMatchObject({ codeDescription: 'SANDBOX_CONTROL_DISABLED' })
    } finally {
      await off.stop()
    }
  })
})
