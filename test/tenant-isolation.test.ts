import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { addDays, brasiliaDateOf } from '../src/domain/payments/calendar-date.ts'
import { answerAtBank, PAYER_BANK, PAYERS } from './payments/payment-support.ts'
import { OTHER_CLIENT, startTestEngine, type TestEngine } from './support/harness.ts'

/**
 * Walks every route the app serves. A route that names a resource of a client (by path id or by
 * an `itemId` / `accountId` filter) must answer another client exactly as for a missing one; a
 * public route is listed as such. A new route that is in neither table fails this test until
 * someone decides which it is.
 */
let engine: TestEngine
let ownerKey: string
let otherKey: string
const ids: Record<string, string> = {}

beforeAll(async () => {
  engine = await startTestEngine()
  ownerKey = await engine.apiKey()
  otherKey = await engine.apiKey(OTHER_CLIENT)
  const item = await engine.createItem(ownerKey, { connectorId: 0, parameters: { user: 'user-ok', password: 'password-ok' }, webhookUrl: 'http://127.0.0.1:9/hook' })
  await engine.waitForItem(ownerKey, item.id)
  ids.item = item.id
  const accounts = (await engine.request('GET', `/accounts?itemId=${item.id}`, { apiKey: ownerKey })).body.results
  ids.account = accounts[0].id
  ids.transaction = (await engine.request('GET', `/transactions?accountId=${ids.account}`, { apiKey: ownerKey })).body.results[0].id
  ids.investment = (await engine.request('GET', `/investments?itemId=${item.id}`, { apiKey: ownerKey })).body.results[0].id
  ids.identity = (await engine.request('GET', `/identity?itemId=${item.id}`, { apiKey: ownerKey })).body.id
  ids.card = accounts.find((a: { type: string }) => a.type === 'CREDIT').id
  ids.bill = (await engine.request('GET', `/bills?accountId=${ids.card}`, { apiKey: ownerKey })).body.results[0].id
  ids.loan = (await engine.request('GET', `/loans?itemId=${item.id}`, { apiKey: ownerKey })).body.results[0].id
  ids.customer = (await engine.request('POST', '/payments/customers', { apiKey: ownerKey, body: { name: 'Ana Souza', email: 'ana@example.com', cpf: '529.982.247-25', type: 'INDIVIDUAL' } })).body.id
  ids.recipient = (await engine.request('POST', '/payments/recipients', { apiKey: ownerKey, body: { pixKey: '529.982.247-25' } })).body.id
  ids.webhook = (await engine.request('POST', '/webhooks', { apiKey: ownerKey, body: { event: 'all', url: 'http://127.0.0.1:9/all' } })).body.id
  ids.delivery = (await engine.request('GET', `/webhook-deliveries?itemId=${item.id}`, { apiKey: ownerKey })).body.results[0].id
  await engine.request('POST', '/sandbox/users', { apiKey: ownerKey, body: { user: 'tenant-user' } })
  await createPayments()
})

/** The owner's request answered with 200, or the test stops saying what the engine answered. */
async function owned(method: string, url: string, body?: unknown) {
  const reply = await engine.request(method, url, { apiKey: ownerKey, ...(body !== undefined ? { body } : {}) })
  if (reply.status !== 200) throw new Error(`${method} ${url} answered ${reply.status}: ${JSON.stringify(reply.body)}`)
  return reply.body
}

/** The owner's request, once the engine moved it to `status` (the engine runs on the real clock here). */
const requestReaches = (id: string, status: string) => vi.waitFor(async () => expect((await owned('GET', `/payments/requests/${id}`)).status).toBe(status), { timeout: 20_000, interval: 20 })

/** The payer starts an intent for the owner's request and authorizes its consent at the sandbox bank (over HTTP). */
async function authorizedAtBank(paymentRequestId: string, status: string): Promise<void> {
  const intent = await owned('POST', '/payments/intents', { paymentRequestId, connectorId: PAYER_BANK, parameters: { cpf: PAYERS.settles } })
  expect((await answerAtBank(intent.consentUrl, 'approve')).status).toBe(200)
  await requestReaches(paymentRequestId, status)
}

/** One of each payment resource of the owner: requests, an intent, a schedule's payment, a Pix Automático payment, a smart account, a bulk payment, a smart transfer. */
async function createPayments(): Promise<void> {
  const day = (offset: number) => addDays(brasiliaDateOf(engine.clock.now()), offset)
  const oneOff = () => owned('POST', '/payments/requests', { amount: 10, recipientId: ids.recipient, isSandbox: true })
  ids.paymentRequest = (await oneOff()).id
  ids.paymentIntent = (await owned('POST', '/payments/intents', { paymentRequestId: ids.paymentRequest, connectorId: PAYER_BANK, parameters: { cpf: PAYERS.settles } })).id

  ids.scheduledRequest = (await owned('POST', '/payments/requests', { amount: 25, recipientId: ids.recipient, schedule: { type: 'DAILY', startDate: day(2), occurrences: 3 }, isSandbox: true })).id
  await authorizedAtBank(ids.scheduledRequest, 'SCHEDULED')
  ids.scheduledPayment = (await owned('GET', `/payments/requests/${ids.scheduledRequest}/schedules`)).results[0].id

  const mandate = { isSandbox: true, description: 'Plano', interval: 'MONTHLY', startDate: day(0), fixedAmount: 59.9, isRetryAccepted: true, recipientId: ids.recipient }
  ids.automaticPixRequest = (await owned('POST', '/payments/requests/automatic-pix', mandate)).id
  await authorizedAtBank(ids.automaticPixRequest, 'AUTHORIZED')
  ids.automaticPixPayment = (await owned('POST', `/payments/requests/${ids.automaticPixRequest}/automatic-pix/schedule`, { amount: 59.9, date: day(5) })).id

  ids.smartAccount = (await owned('POST', '/payments/smart-accounts', { name: 'Loja', taxNumber: '11.222.333/0001-81', email: 'loja@example.com', phoneNumber: '+5511987654321', isSandbox: true })).id
  ids.bulkRequest = (await oneOff()).id
  ids.bulkPayment = (await owned('POST', '/payments/bulk', { smartAccountId: ids.smartAccount, paymentRequestIds: [ids.bulkRequest] })).id

  // The owner's recipient is the payer's own Pix key: a smart transfer moves money between the payer's accounts.
  const preauthorization = await owned('POST', '/smart-transfers/preauthorizations', { connectorId: PAYER_BANK, parameters: { cpf: PAYERS.settles }, recipientIds: [ids.recipient] })
  ids.preauthorization = preauthorization.id
  expect((await answerAtBank(preauthorization.consentUrl, 'approve')).status).toBe(200)
  await vi.waitFor(async () => expect((await owned('GET', `/smart-transfers/preauthorizations/${ids.preauthorization}`)).status).toBe('COMPLETED'), { timeout: 20_000, interval: 20 })
  ids.smartTransferPayment = (await owned('POST', '/smart-transfers/payments', { preauthorizationId: ids.preauthorization, recipientId: ids.recipient, amount: 10 })).id
}
afterAll(() => engine?.stop())

/**
 * Routes that hold a client's resource: the request another client sends, and the code it must get
 * (a 404, or — for a creating call whose body names the resource — the 400 naming that field that an
 * unknown id gets).
 */
const SCOPED: Record<string, { url: () => string; code: string; body?: () => unknown; status?: 400; field?: string }> = {
  'GET /items/:id': { url: () => `/items/${ids.item}`, code: 'ITEM_NOT_FOUND' },
  'PATCH /items/:id': { url: () => `/items/${ids.item}`, code: 'ITEM_NOT_FOUND', body: () => ({}) },
  'DELETE /items/:id': { url: () => `/items/${ids.item}`, code: 'ITEM_NOT_FOUND' },
  'POST /items/:id/mfa': { url: () => `/items/${ids.item}/mfa`, code: 'ITEM_NOT_FOUND', body: () => ({ token: '123456' }) },
  'PATCH /items/:id/disable-auto-sync': { url: () => `/items/${ids.item}/disable-auto-sync`, code: 'ITEM_NOT_FOUND' },
  'GET /items/:id/executions': { url: () => `/items/${ids.item}/executions`, code: 'ITEM_NOT_FOUND' },
  'GET /items/:id/events': { url: () => `/items/${ids.item}/events`, code: 'ITEM_NOT_FOUND' },
  'POST /connect_token': { url: () => '/connect_token', code: 'ITEM_NOT_FOUND', body: () => ({ itemId: ids.item }) },
  'GET /accounts': { url: () => `/accounts?itemId=${ids.item}`, code: 'ITEM_NOT_FOUND' },
  'GET /accounts/:id': { url: () => `/accounts/${ids.account}`, code: 'ACCOUNT_NOT_FOUND' },
  'GET /transactions': { url: () => `/transactions?accountId=${ids.account}`, code: 'ACCOUNT_NOT_FOUND' },
  'GET /v2/transactions': { url: () => `/v2/transactions?accountId=${ids.account}`, code: 'ACCOUNT_NOT_FOUND' },
  'GET /transactions/:id': { url: () => `/transactions/${ids.transaction}`, code: 'TRANSACTION_NOT_FOUND' },
  'GET /investments': { url: () => `/investments?itemId=${ids.item}`, code: 'ITEM_NOT_FOUND' },
  'GET /investments/:id': { url: () => `/investments/${ids.investment}`, code: 'INVESTMENT_NOT_FOUND' },
  'GET /investments/:id/transactions': { url: () => `/investments/${ids.investment}/transactions`, code: 'INVESTMENT_NOT_FOUND' },
  'GET /identity': { url: () => `/identity?itemId=${ids.item}`, code: 'ITEM_NOT_FOUND' },
  'GET /identity/:id': { url: () => `/identity/${ids.identity}`, code: 'IDENTITY_NOT_FOUND' },
  'PATCH /transactions/:id': { url: () => `/transactions/${ids.transaction}`, code: 'TRANSACTION_NOT_FOUND', body: () => ({ categoryId: '05000000' }) },
  'GET /bills': { url: () => `/bills?accountId=${ids.card}`, code: 'ACCOUNT_NOT_FOUND' },
  'GET /bills/:id': { url: () => `/bills/${ids.bill}`, code: 'BILL_NOT_FOUND' },
  'GET /loans': { url: () => `/loans?itemId=${ids.item}`, code: 'ITEM_NOT_FOUND' },
  'GET /loans/:id': { url: () => `/loans/${ids.loan}`, code: 'LOAN_NOT_FOUND' },
  'GET /accounts/:id/statements': { url: () => `/accounts/${ids.account}/statements`, code: 'ACCOUNT_NOT_FOUND' },
  'GET /payments/customers/:id': { url: () => `/payments/customers/${ids.customer}`, code: 'PAYMENT_CUSTOMER_NOT_FOUND' },
  'PATCH /payments/customers/:id': { url: () => `/payments/customers/${ids.customer}`, code: 'PAYMENT_CUSTOMER_NOT_FOUND', body: () => ({ name: 'Someone Else' }) },
  'DELETE /payments/customers/:id': { url: () => `/payments/customers/${ids.customer}`, code: 'PAYMENT_CUSTOMER_NOT_FOUND' },
  'GET /payments/recipients/:id': { url: () => `/payments/recipients/${ids.recipient}`, code: 'PAYMENT_RECIPIENT_NOT_FOUND' },
  'PATCH /payments/recipients/:id': { url: () => `/payments/recipients/${ids.recipient}`, code: 'PAYMENT_RECIPIENT_NOT_FOUND', body: () => ({ name: 'Someone Else', taxNumber: '52998224725' }) },
  'DELETE /payments/recipients/:id': { url: () => `/payments/recipients/${ids.recipient}`, code: 'PAYMENT_RECIPIENT_NOT_FOUND' },
  'GET /payments/requests/:id': { url: () => `/payments/requests/${ids.paymentRequest}`, code: 'PAYMENT_REQUEST_NOT_FOUND' },
  'DELETE /payments/requests/:id': { url: () => `/payments/requests/${ids.paymentRequest}`, code: 'PAYMENT_REQUEST_NOT_FOUND' },
  // Creating calls whose body names the owner's resource answer as for an unknown one.
  'POST /payments/requests': { url: () => '/payments/requests', code: 'PAYMENT_RECIPIENT_NOT_FOUND', body: () => ({ amount: 10, recipientId: ids.recipient, isSandbox: true }) },
  'POST /payments/requests/automatic-pix': {
    url: () => '/payments/requests/automatic-pix',
    code: 'VALIDATION_ERROR',
    status: 400,
    field: 'body.recipientId',
    body: () => ({ isSandbox: true, interval: 'MONTHLY', startDate: brasiliaDateOf(engine.clock.now()), fixedAmount: 10, recipientId: ids.recipient }),
  },
  'POST /payments/intents': {
    url: () => '/payments/intents',
    code: 'PAYMENT_REQUEST_NOT_FOUND',
    body: () => ({ paymentRequestId: ids.paymentRequest, connectorId: PAYER_BANK, parameters: { cpf: PAYERS.settles } }),
  },
  'GET /payments/intents/:id': { url: () => `/payments/intents/${ids.paymentIntent}`, code: 'PAYMENT_INTENT_NOT_FOUND' },
  'POST /sandbox/payments/intents/:id/pay-pix': { url: () => `/sandbox/payments/intents/${ids.paymentIntent}/pay-pix`, code: 'PAYMENT_INTENT_NOT_FOUND' },
  'GET /payments/requests/:id/schedules': { url: () => `/payments/requests/${ids.scheduledRequest}/schedules`, code: 'PAYMENT_REQUEST_NOT_FOUND' },
  'GET /payments/requests/:id/schedules/:scheduleId': { url: () => `/payments/requests/${ids.scheduledRequest}/schedules/${ids.scheduledPayment}`, code: 'PAYMENT_REQUEST_NOT_FOUND' },
  'POST /payments/requests/:id/schedules/:scheduleId/cancel': { url: () => `/payments/requests/${ids.scheduledRequest}/schedules/${ids.scheduledPayment}/cancel`, code: 'PAYMENT_REQUEST_NOT_FOUND' },
  'POST /payments/requests/:id/schedules/cancel': { url: () => `/payments/requests/${ids.scheduledRequest}/schedules/cancel`, code: 'PAYMENT_REQUEST_NOT_FOUND' },
  'POST /payments/requests/:id/automatic-pix/schedule': {
    url: () => `/payments/requests/${ids.automaticPixRequest}/automatic-pix/schedule`,
    code: 'PAYMENT_REQUEST_NOT_FOUND',
    body: () => ({ amount: 59.9, date: addDays(brasiliaDateOf(engine.clock.now()), 6) }),
  },
  'POST /payments/requests/:id/automatic-pix/cancel': { url: () => `/payments/requests/${ids.automaticPixRequest}/automatic-pix/cancel`, code: 'PAYMENT_REQUEST_NOT_FOUND' },
  'GET /payments/requests/:id/automatic-pix/schedules': { url: () => `/payments/requests/${ids.automaticPixRequest}/automatic-pix/schedules`, code: 'PAYMENT_REQUEST_NOT_FOUND' },
  'GET /payments/requests/:id/automatic-pix/schedules/:paymentId': {
    url: () => `/payments/requests/${ids.automaticPixRequest}/automatic-pix/schedules/${ids.automaticPixPayment}`,
    code: 'PAYMENT_REQUEST_NOT_FOUND',
  },
  'POST /payments/requests/:id/automatic-pix/schedules/:paymentId/retry': {
    url: () => `/payments/requests/${ids.automaticPixRequest}/automatic-pix/schedules/${ids.automaticPixPayment}/retry`,
    code: 'PAYMENT_REQUEST_NOT_FOUND',
    body: () => ({ date: addDays(brasiliaDateOf(engine.clock.now()), 7) }),
  },
  'POST /payments/requests/:id/automatic-pix/schedules/:paymentId/cancel': {
    url: () => `/payments/requests/${ids.automaticPixRequest}/automatic-pix/schedules/${ids.automaticPixPayment}/cancel`,
    code: 'PAYMENT_REQUEST_NOT_FOUND',
  },
  'GET /payments/smart-accounts/:id': { url: () => `/payments/smart-accounts/${ids.smartAccount}`, code: 'SMART_ACCOUNT_NOT_FOUND' },
  'GET /payments/smart-accounts/:id/balance': { url: () => `/payments/smart-accounts/${ids.smartAccount}/balance`, code: 'SMART_ACCOUNT_NOT_FOUND' },
  'POST /payments/bulk': {
    url: () => '/payments/bulk',
    code: 'VALIDATION_ERROR',
    status: 400,
    field: 'body.smartAccountId',
    body: () => ({ smartAccountId: ids.smartAccount, paymentRequestIds: [ids.bulkRequest] }),
  },
  'GET /payments/bulk/:id': { url: () => `/payments/bulk/${ids.bulkPayment}`, code: 'PAYMENT_BULK_NOT_FOUND' },
  'DELETE /payments/bulk/:id': { url: () => `/payments/bulk/${ids.bulkPayment}`, code: 'PAYMENT_BULK_NOT_FOUND' },
  'POST /smart-transfers/preauthorizations': {
    url: () => '/smart-transfers/preauthorizations',
    code: 'VALIDATION_ERROR',
    status: 400,
    field: 'body.recipientIds.0',
    body: () => ({ connectorId: PAYER_BANK, parameters: { cpf: PAYERS.settles }, recipientIds: [ids.recipient] }),
  },
  'GET /smart-transfers/preauthorizations/:id': { url: () => `/smart-transfers/preauthorizations/${ids.preauthorization}`, code: 'SMART_TRANSFER_PREAUTHORIZATION_NOT_FOUND' },
  'POST /smart-transfers/payments': {
    url: () => '/smart-transfers/payments',
    code: 'VALIDATION_ERROR',
    status: 400,
    field: 'body.preauthorizationId',
    body: () => ({ preauthorizationId: ids.preauthorization, recipientId: ids.recipient, amount: 10 }),
  },
  'GET /smart-transfers/payments/:id': { url: () => `/smart-transfers/payments/${ids.smartTransferPayment}`, code: 'SMART_TRANSFER_PAYMENT_NOT_FOUND' },
  'GET /opportunities': { url: () => `/opportunities?itemId=${ids.item}`, code: 'ITEM_NOT_FOUND' },
  'GET /webhooks/:id': { url: () => `/webhooks/${ids.webhook}`, code: 'WEBHOOK_NOT_FOUND' },
  'PATCH /webhooks/:id': { url: () => `/webhooks/${ids.webhook}`, code: 'WEBHOOK_NOT_FOUND', body: () => ({ enabled: false }) },
  'DELETE /webhooks/:id': { url: () => `/webhooks/${ids.webhook}`, code: 'WEBHOOK_NOT_FOUND' },
  'GET /webhook-deliveries': { url: () => `/webhook-deliveries?itemId=${ids.item}`, code: 'ITEM_NOT_FOUND' },
  'POST /webhook-deliveries/:id/retry': { url: () => `/webhook-deliveries/${ids.delivery}/retry`, code: 'WEBHOOK_DELIVERY_NOT_FOUND' },
  'GET /events': { url: () => `/events?itemId=${ids.item}`, code: 'ITEM_NOT_FOUND' },
  'GET /consents': { url: () => `/consents?itemId=${ids.item}`, code: 'ITEM_NOT_FOUND' },
  // The owner's item is not an Open Finance one: no consent of its own to aim at, so an unknown id.
  'GET /consents/:id': { url: () => '/consents/00000000-0000-4000-8000-000000000000', code: 'CONSENT_NOT_FOUND' },
  'GET /sandbox/items/:id': { url: () => `/sandbox/items/${ids.item}`, code: 'ITEM_NOT_FOUND' },
  'PUT /sandbox/items/:id/outcome': { url: () => `/sandbox/items/${ids.item}/outcome`, code: 'ITEM_NOT_FOUND', body: () => ({ executionStatus: 'ERROR', once: false }) },
  'GET /sandbox/items/:id/outcome': { url: () => `/sandbox/items/${ids.item}/outcome`, code: 'ITEM_NOT_FOUND' },
  'DELETE /sandbox/items/:id/outcome': { url: () => `/sandbox/items/${ids.item}/outcome`, code: 'ITEM_NOT_FOUND' },
  'POST /sandbox/items/:id/reset-login': { url: () => `/sandbox/items/${ids.item}/reset-login`, code: 'ITEM_NOT_FOUND' },
  'POST /sandbox/items/:id/fire-webhook': { url: () => `/sandbox/items/${ids.item}/fire-webhook`, code: 'ITEM_NOT_FOUND', body: () => ({ event: 'item/deleted' }) },
  'GET /sandbox/items/:id/transactions': { url: () => `/sandbox/items/${ids.item}/transactions`, code: 'ITEM_NOT_FOUND' },
  'POST /sandbox/items/:id/transactions': {
    url: () => `/sandbox/items/${ids.item}/transactions`,
    code: 'ITEM_NOT_FOUND',
    body: () => ({ accountId: ids.account, description: 'x', amount: 1 }),
  },
  'PATCH /sandbox/items/:id/transactions/:transactionId': { url: () => `/sandbox/items/${ids.item}/transactions/${ids.transaction}`, code: 'ITEM_NOT_FOUND', body: () => ({ amount: 1 }) },
  'POST /sandbox/items/:id/transactions/:transactionId/post': { url: () => `/sandbox/items/${ids.item}/transactions/${ids.transaction}/post`, code: 'ITEM_NOT_FOUND' },
  'POST /sandbox/items/:id/transactions/:transactionId/restate': { url: () => `/sandbox/items/${ids.item}/transactions/${ids.transaction}/restate`, code: 'ITEM_NOT_FOUND' },
  'DELETE /sandbox/items/:id/transactions/:transactionId': { url: () => `/sandbox/items/${ids.item}/transactions/${ids.transaction}`, code: 'ITEM_NOT_FOUND' },
  'GET /sandbox/users/:user': { url: () => '/sandbox/users/tenant-user', code: 'SANDBOX_USER_NOT_FOUND' },
  'DELETE /sandbox/users/:user': { url: () => '/sandbox/users/tenant-user', code: 'SANDBOX_USER_NOT_FOUND' },
}

/** Routes with no client resource in their path or filters (lists are scoped to the caller's own rows). */
const NOT_SCOPED = new Set([
  'POST /auth',
  'GET /health',
  'GET /ready',
  'GET /metrics',
  'GET /openapi.json',
  'GET /connectors',
  'GET /connectors/:id',
  // Public and cacheable: a connector's logo is no client's resource.
  'GET /connectors/:id/logo',
  'GET /categories',
  'GET /categories/:id',
  // Payment institutions are the same for every client; the payment lists show the caller's own rows.
  'GET /payments/recipients/institutions',
  'GET /payments/recipients/institutions/:id',
  'POST /payments/customers',
  'GET /payments/customers',
  'POST /payments/recipients',
  'GET /payments/recipients',
  // Public: the signed link is the credential, and it names the client (test/dropin-products.test.ts).
  'GET /account-statements/:id/file',
  'POST /connectors/:id/validate',
  'POST /items',
  'GET /items',
  'POST /webhooks',
  'GET /webhooks',
  'GET /',
  'GET /favicon.ico',
  'GET /connect',
  'GET /connect/assets/:file',
  'GET /connect.js',
  'GET /connect/demo',
  'POST /connect/demo/token',
  // The dashboard takes no API key: its routes are scoped by the session cookie's client, which
  // test/dashboard/dashboard-api.test.ts checks with another client's session.
  'GET /dashboard',
  'GET /dashboard/sign-in',
  'GET /dashboard/assets/:file',
  'POST /dashboard/api/session',
  'GET /dashboard/api/session',
  'POST /dashboard/api/session/end',
  'GET /dashboard/api/items',
  'GET /dashboard/api/items/:id',
  'GET /dashboard/api/items/:id/executions',
  'GET /dashboard/api/items/:id/stream',
  'GET /dashboard/api/events',
  'GET /dashboard/api/webhooks',
  'GET /dashboard/api/webhook-signature',
  'GET /dashboard/api/webhook-deliveries',
  'POST /dashboard/api/webhook-deliveries/:id/retry',
  'GET /dashboard/api/connectors',
  'GET /dashboard/api/sandbox/items/:id',
  'POST /dashboard/api/sandbox/items/:id/outcome',
  'POST /dashboard/api/sandbox/items/:id/reset-login',
  'POST /dashboard/api/items/:id/update',
  'POST /dashboard/api/sandbox/clock',
  'POST /dashboard/api/sandbox/connectors/:id/outage',
  // Open Finance: the return from an institution (bound to an execution by its one-time state) and
  // the sandbox institution's own pages and endpoints (bound to their own random request ids and tokens).
  'GET /oauth/callback',
  'GET /sandbox/open-finance/authorize',
  'POST /sandbox/open-finance/login',
  'POST /sandbox/open-finance/decision',
  'POST /sandbox/open-finance/token',
  'GET /sandbox/open-finance/consent',
  // The sandbox control API's routes of the caller's own sandbox: its clock, its outages, its users.
  'GET /sandbox/clock',
  'POST /sandbox/clock',
  'PUT /sandbox/connectors/:id/outage',
  'GET /sandbox/connectors/:id/outage',
  'DELETE /sandbox/connectors/:id/outage',
  'POST /sandbox/users',
  'GET /sandbox/users',
  // Payments: creating calls that name no resource of another client, and lists of the caller's own
  // rows (a paymentRequestId filter of /payments/intents narrows them: another client's id lists nothing, as an unknown one).
  'POST /payments/smart-accounts',
  'GET /payments/smart-accounts',
  'GET /payments/requests',
  'GET /payments/intents',
  'GET /payments/bulk',
  'GET /smart-transfers/preauthorizations',
  // Public: the payment page, whose random request (or bulk payment) id is the link the payer was given.
  'GET /pay/:id',
  'POST /pay/:id',
  'GET /pay/:id/return',
  'GET /pay/bulk/:id',
  'POST /pay/bulk/:id',
  'GET /pay/bulk/:id/return',
  // The sandbox payer bank's own endpoints and pages, public like an institution's (bound to their own random consent and payment ids).
  'POST /sandbox/open-finance/payments/consents',
  'GET /sandbox/open-finance/payments/consents/:id',
  'POST /sandbox/open-finance/payments/consents/:id/pix',
  'GET /sandbox/open-finance/payments/pix/:id',
  'GET /sandbox/open-finance/payments/accounts/pix',
  'GET /sandbox/open-finance/payments/authorize/:id',
  'POST /sandbox/open-finance/payments/authorize/:id/decision',
  'POST /sandbox/open-finance/payments/authorize/:id/scenario',
  'POST /sandbox/open-finance/payments/authorize/:id/second-approval',
])

describe('connect-token scope on every route', () => {
  it('a connect token is refused (403) on every route that is not open to it, and limited to its own items on those that are', async () => {
    const token = (await engine.request('POST', '/connect_token', { apiKey: ownerKey, body: {} })).body.accessToken
    const routes = engine.tributary.app!.routeList.filter((r) => r.access === 'api')
    expect(routes.length).toBeGreaterThan(10)
    for (const route of routes) {
      const key = `${route.method} ${route.url}`
      const url = SCOPED[key]?.url() ?? route.url.replace(/:\w+/g, '00000000-0000-4000-8000-000000000000')
      const body = SCOPED[key]?.body?.() ?? (route.method === 'GET' || route.method === 'DELETE' ? undefined : {})
      const reply = await engine.request(route.method, url, { apiKey: token, ...(body !== undefined ? { body } : {}) })
      expect({ route: key, status: reply.status, code: reply.body?.codeDescription }).toEqual({ route: key, status: 403, code: 'FORBIDDEN_FOR_CONNECT_TOKEN' })
    }
    // Routes open to connect tokens reach only the items the token created: the owner's item is 403.
    for (const route of engine.tributary.app!.routeList.filter((r) => r.access === 'connect' && r.url.startsWith('/items/:id'))) {
      const key = `${route.method} ${route.url}`
      const reply = await engine.request(route.method, SCOPED[key].url(), { apiKey: token, ...(SCOPED[key].body ? { body: SCOPED[key].body!() } : {}) })
      expect({ route: key, status: reply.status }).toEqual({ route: key, status: 403 })
    }
    expect((await engine.request('GET', `/items/${ids.item}`, { apiKey: ownerKey })).status).toBe(200)
  })
})

describe('tenant isolation on every route', () => {
  it('every route is classified, and every scoped one answers another client like a missing resource', async () => {
    const routes = engine.tributary.app!.routeList.filter((r) => !(r.url === '/docs' || r.url.startsWith('/docs/')))
    const unclassified = routes.map((r) => `${r.method} ${r.url}`).filter((key) => !(key in SCOPED) && !NOT_SCOPED.has(key))
    expect(unclassified, 'classify these routes in test/tenant-isolation.test.ts').toEqual([])

    for (const route of routes) {
      const key = `${route.method} ${route.url}`
      const scoped = SCOPED[key]
      if (!scoped) continue
      const reply = await engine.request(route.method, scoped.url(), { apiKey: otherKey, ...(scoped.body ? { body: scoped.body() } : {}) })
      expect({ route: key, status: reply.status, code: reply.body?.codeDescription }).toEqual({ route: key, status: scoped.status ?? 404, code: scoped.code })
      if (scoped.field) expect({ route: key, fields: reply.body.details.map((d: { parameter: string }) => d.parameter) }).toEqual({ route: key, fields: [scoped.field] })
      // The same request naming ids nobody has gets the same answer.
      const unknown = (text: string) => Object.values(ids).reduce((t, id) => t.replaceAll(id, '00000000-0000-4000-8000-000000000000'), text)
      const body = scoped.body ? JSON.parse(unknown(JSON.stringify(scoped.body()))) : undefined
      const missing = await engine.request(route.method, unknown(scoped.url()), { apiKey: otherKey, ...(body !== undefined ? { body } : {}) })
      const answer = (r: typeof reply) => ({ route: key, status: r.status, code: r.body?.codeDescription, fields: r.body?.details?.map((d: { parameter: string }) => d.parameter) })
      expect(answer(reply)).toEqual(answer(missing))
    }

    // Nothing of the owner's changed, and the owner still reaches everything.
    const item = await engine.request('GET', `/items/${ids.item}`, { apiKey: ownerKey })
    expect(item.status).toBe(200)
    expect(item.body.nextAutoSyncAt).not.toBeNull()
    expect((await engine.request('GET', `/webhooks/${ids.webhook}`, { apiKey: ownerKey })).body.disabledAt).toBeNull()
    expect((await engine.executions(ownerKey, ids.item)).length).toBe(1)
    for (const url of [
      `/accounts/${ids.account}`,
      `/transactions/${ids.transaction}`,
      `/investments/${ids.investment}`,
      `/identity/${ids.identity}`,
      `/payments/customers/${ids.customer}`,
      `/payments/recipients/${ids.recipient}`,
    ]) {
      expect((await engine.request('GET', url, { apiKey: ownerKey })).status).toBe(200)
    }
    // The owner's payments are where they were: nothing another client sent moved or removed them.
    const statusOf = async (url: string) => (await engine.request('GET', url, { apiKey: ownerKey })).body.status
    expect(await statusOf(`/payments/requests/${ids.scheduledRequest}`)).toBe('SCHEDULED')
    expect(await statusOf(`/payments/requests/${ids.scheduledRequest}/schedules/${ids.scheduledPayment}`)).toBe('SCHEDULED')
    expect(await statusOf(`/payments/requests/${ids.automaticPixRequest}`)).toBe('AUTHORIZED')
    expect(await statusOf(`/payments/requests/${ids.automaticPixRequest}/automatic-pix/schedules/${ids.automaticPixPayment}`)).toBe('SCHEDULED')
    for (const url of [
      `/payments/requests/${ids.paymentRequest}`,
      `/payments/intents/${ids.paymentIntent}`,
      `/payments/smart-accounts/${ids.smartAccount}`,
      `/payments/bulk/${ids.bulkPayment}`,
      `/smart-transfers/preauthorizations/${ids.preauthorization}`,
      `/smart-transfers/payments/${ids.smartTransferPayment}`,
    ]) {
      expect({ url, status: (await engine.request('GET', url, { apiKey: ownerKey })).status }).toEqual({ url, status: 200 })
    }
  })
})

describe('payment bodies and filters that name another client’s resources', () => {
  it('are answered as if they named unknown ids, beside the caller’s own resources', async () => {
    const unknownId = '00000000-0000-4000-8000-000000000000'
    const mine = async (url: string, body: unknown) => {
      const reply = await engine.request('POST', url, { apiKey: otherKey, body })
      if (reply.status !== 200) throw new Error(`${url} answered ${reply.status}: ${JSON.stringify(reply.body)}`)
      return reply.body.id as string
    }
    // The payer's own Pix key: a recipient a smart transfer of theirs may name.
    const recipient = await mine('/payments/recipients', { pixKey: PAYERS.settles })
    const smartAccount = await mine('/payments/smart-accounts', { name: 'Outra', taxNumber: '11.222.333/0001-81', email: 'outra@example.com', phoneNumber: '+5511912345678', isSandbox: true })
    const ownersRequest = await owned('POST', '/payments/requests', { amount: 5, recipientId: ids.recipient, isSandbox: true })
    const day = brasiliaDateOf(engine.clock.now())
    // [method, url, the owner's resource it names, the request naming id]
    const cases: [string, string, string, (id: string) => unknown][] = [
      ['POST', '/payments/intents', ids.bulkPayment, (id) => ({ bulkPaymentId: id, connectorId: PAYER_BANK, parameters: { cpf: PAYERS.settles } })],
      ['POST', '/payments/requests', ids.customer, (id) => ({ amount: 5, recipientId: recipient, customerId: id, isSandbox: true })],
      ['POST', '/payments/requests', ids.smartAccount, (id) => ({ amount: 5, recipientId: recipient, smartAccountId: id, isSandbox: true })],
      ['POST', '/payments/requests/automatic-pix', ids.customer, (id) => ({ isSandbox: true, interval: 'MONTHLY', startDate: day, fixedAmount: 10, recipientId: recipient, customerId: id })],
      ['POST', '/payments/bulk', ownersRequest.id, (id) => ({ smartAccountId: smartAccount, paymentRequestIds: [id] })],
      ['POST', '/payments/recipients', ids.smartAccount, (id) => ({ smartAccountId: id })],
      ['POST', '/smart-transfers/preauthorizations', ids.recipient, (id) => ({ connectorId: PAYER_BANK, parameters: { cpf: PAYERS.settles }, recipientIds: [recipient, id] })],
      // A list filter narrows the caller's own rows: another client's request lists nothing, as an unknown one.
      ['GET', '/payments/intents?paymentRequestId=', ids.paymentRequest, () => undefined],
    ]
    for (const [method, url, ownersId, bodyOf] of cases) {
      const send = async (id: string) => {
        const body = bodyOf(id)
        const reply = await engine.request(method, body === undefined ? `${url}${id}` : url, { apiKey: otherKey, ...(body !== undefined ? { body } : {}) })
        return { status: reply.status, code: reply.body?.codeDescription, fields: reply.body?.details?.map((d: { parameter: string }) => d.parameter), total: reply.body?.total }
      }
      const [theirs, unknown] = [await send(ownersId), await send(unknownId)]
      const request = `${method} ${url} ${JSON.stringify(bodyOf('<id>') ?? '')}`
      expect({ request, ...theirs }).toEqual({ request, ...unknown })
      expect({ request, status: theirs.status }).toEqual({ request, status: method === 'GET' ? 200 : theirs.status === 200 ? 'refused' : theirs.status })
    }
    expect((await owned('GET', `/payments/requests/${ownersRequest.id}`)).bulkPaymentId ?? null).toBeNull()
  })
})
