import { PluggyClient } from 'pluggy-sdk'
import { startTributary, type TributaryFixture } from '../../src/testing/start-tributary.ts'

/** The sandbox Open Finance bank: the payer's bank of the sandbox payments. */
/** What a pluggy-sdk call rejects with (the API's error body), or 'answered' when it did not reject. */
export const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => 'answered',
    (error: { code?: number; codeDescription?: string; message?: string }) => error,
  )

export const PAYER_BANK = 8
/** A payer whose payments settle at once, and the payers of the sandbox bank's other scenarios. */
export const PAYERS = {
  settles: '529.982.247-25',
  insufficientFunds: '000.000.001-91',
  delayed: '000.000.002-72',
  failsAfterAcceptance: '000.000.003-53',
  secondApprover: '000.000.004-34',
} as const

export interface PaymentsFixture {
  tributary: TributaryFixture
  client: PluggyClient
}

/** An engine on a manual clock, with pluggy-sdk pointed at it (it reads PLUGGY_API_URL when built). */
export async function startPayments(): Promise<PaymentsFixture> {
  const tributary = await startTributary({ clock: 'manual' })
  return { tributary, client: clientOf(tributary) }
}

/** A new pluggy-sdk client (after the manual clock moved past its API key's expiry, which the client judges in real time). */
export function clientOf(tributary: TributaryFixture): PluggyClient {
  const previous = process.env.PLUGGY_API_URL
  process.env.PLUGGY_API_URL = tributary.url
  const client = new PluggyClient(tributary.credentials)
  if (previous === undefined) delete process.env.PLUGGY_API_URL
  else process.env.PLUGGY_API_URL = previous
  return client
}

/** A default recipient by bank account (at Bradesco). */
export async function createRecipient(client: PluggyClient, isDefault = true) {
  const [institution] = (await client.payments.fetchPaymentInstitutions({ name: 'bradesco' } as never)).results
  return client.payments.createPaymentRecipient({
    name: 'Loja da Esquina',
    taxNumber: '11.222.333/0001-81',
    paymentInstitutionId: institution.id,
    isDefault,
    account: { type: 'CHECKING_ACCOUNT', number: '12345-6', branch: '0001' },
  })
}

/** The payer at the bank's authorization page (over plain HTTP): authorize with a scenario, or reject. */
export async function answerAtBank(consentUrl: string, decision: 'approve' | 'reject', scenario?: string): Promise<{ status: number; body: string }> {
  const page = await fetch(consentUrl)
  const html = await page.text()
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1]
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1]
  if (!csrf || !action) throw new Error(`no authorization form on the bank's page: ${html}`)
  const form = new URLSearchParams({ csrf, decision, ...(scenario ? { scenario } : {}) })
  const answer = await fetch(
    new URL(
      action.replace(/&#(\d+);/g, (_, c) => String.fromCharCode(Number(c))),
      consentUrl,
    ),
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      redirect: 'manual',
    },
  )
  return { status: answer.status, body: await answer.text() }
}

/** A second approver approves at the bank's page. */
export async function approveAsSecond(consentUrl: string): Promise<string> {
  const html = await (await fetch(consentUrl)).text()
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1]
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1]
  if (!csrf || !action?.endsWith('second-approval')) throw new Error(`no second-approval form on the bank's page: ${html}`)
  const answer = await fetch(new URL(action, consentUrl), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf }).toString() })
  return answer.text()
}
