/**
 * Payment initiation at the sandbox Open Finance institution, written only against the public SDK
 * (the example of a payment-initiation connector): the institution's payment API is served by
 * Tributary under `/sandbox/open-finance/payments`; this reaches it over HTTP like any bank's.
 */
import { siteNotAvailable, type CollectedTransaction, type ConnectorContext, type PaymentContext, type PaymentInitiation } from '../sdk/index.ts'

export function sandboxPaymentInitiation(options: { institutionUrl: () => string }): PaymentInitiation {
  async function call<T>(ctx: PaymentContext, path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
    let response: Response
    try {
      response = await fetch(`${options.institutionUrl()}/payments${path}`, {
        method: init.method ?? 'GET',
        headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: ctx.signal,
      })
    } catch (error) {
      if (ctx.signal.aborted) throw error
      throw siteNotAvailable(undefined, { message: `the sandbox bank did not answer: ${(error as Error).message}`, cause: error })
    }
    if (!response.ok) throw siteNotAvailable(`the sandbox bank's payment API answered ${response.status} to ${path}: ${await response.text()}`)
    return (await response.json()) as T
  }

  return {
    createConsent: (ctx, request) => call(ctx, '/consents', { method: 'POST', body: { ...request, expiresAt: request.expiresAt.toISOString() } }),
    async consentStatus(ctx, consentId) {
      const answer = await call<{ status: string; debtorAccountId: string | null }>(ctx, `/consents/${encodeURIComponent(consentId)}`)
      if (answer.status === 'AUTHORISED' || answer.status === 'CONSUMED') return { status: 'AUTHORISED', debtorAccountId: answer.debtorAccountId ?? '' }
      if (answer.status === 'REJECTED') return { status: 'REJECTED', reason: 'The payer rejected the payment at the bank.' }
      return { status: answer.status as 'AWAITING_AUTHORISATION' | 'QUEUED' }
    },
    initiatePayment: (ctx, consentId, payment) => call(ctx, `/consents/${encodeURIComponent(consentId)}/pix`, { method: 'POST', body: payment }),
    paymentStatus: (ctx, paymentId) => call(ctx, `/pix/${encodeURIComponent(paymentId)}`),
  }
}

/**
 * The Pix payments the payer made through the bank's payment initiation, as transactions of their
 * account (`accountProviderId`): a payment settled since the last sync shows up on the next one.
 */
export async function sandboxPixDebits(ctx: ConnectorContext, institutionUrl: string, cpf: string, accountProviderId: string): Promise<CollectedTransaction[]> {
  const response = await fetch(`${institutionUrl}/payments/accounts/pix?cpf=${encodeURIComponent(cpf)}`, { signal: ctx.signal }).catch((error: Error) => {
    throw siteNotAvailable(undefined, { message: `the sandbox bank did not answer: ${error.message}`, cause: error })
  })
  if (!response.ok) throw siteNotAvailable(`the sandbox bank's statement answered ${response.status}`)
  const { results } = (await response.json()) as { results: { id: string; amountCents: number; at: string }[] }
  return results.map((p) => ({
    providerId: `pix-${p.id}`,
    accountProviderId,
    date: p.at,
    description: 'PIX ENVIADO',
    currencyCode: 'BRL',
    amount: -p.amountCents / 100,
    status: 'POSTED',
    type: 'DEBIT',
    operationType: 'PIX',
  }))
}
