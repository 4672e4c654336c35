import type { AutomaticPixInterval, AutomaticPixTerms } from '../domain/payments/automatic-pix.ts'
import { formatReais } from '../domain/payments/money.ts'
import { escapeHtml } from './server-page.ts'

// Tributary's payment page (a payment request's paymentUrl): plain server-rendered HTML forms, no
// script. Every value put in a page is escaped.

function page(title: string, body: string, head = ''): string {
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="referrer" content="no-referrer">${head}<title>${escapeHtml(title)}</title>`,
    '<style>body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:30rem;padding:0 1rem;color:#1f2937}h1{font-size:1.3rem}',
    'label{display:block;margin:.7rem 0}select,input{width:100%;padding:.4rem}button{margin-top:1rem;padding:.5rem 1rem}.error{color:#b91c1c}</style></head>',
    `<body><main><p>Tributary · Pix payment</p><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`,
  ].join('')
}

export interface PaymentSummary {
  amountCents: number | null
  description: string | null
  recipientName: string | null
  /** A schedule's dates (empty for a single payment). */
  dates: string[]
  /** A Pix Automático authorization's terms. */
  mandate: AutomaticPixTerms | null
}

const INTERVALS: Record<AutomaticPixInterval, string> = { WEEKLY: 'Weekly', MONTHLY: 'Monthly', QUARTERLY: 'Quarterly', SEMESTER: 'Every six months', YEARLY: 'Yearly' }

/** What a Pix Automático authorization lets the store charge, in the payer's words. */
function mandateTerms(m: AutomaticPixTerms): string {
  const amount =
    m.fixedAmountCents !== null
      ? `${formatReais(m.fixedAmountCents)} each time`
      : `from ${formatReais(m.minimumVariableAmountCents ?? 0)}${m.maximumVariableAmountCents !== null ? ` to ${formatReais(m.maximumVariableAmountCents)}` : ''} each time`
  return `${INTERVALS[m.interval]}, from ${m.startDate}${m.expiresAt ? ` until ${m.expiresAt}` : ''}, ${amount}${m.isRetryAccepted ? '; a failed payment may be retried' : ''}`
}

const summary = (s: PaymentSummary) =>
  [
    '<dl>',
    s.recipientName ? `<dt>To</dt><dd id="recipient">${escapeHtml(s.recipientName)}</dd>` : '',
    s.amountCents !== null ? `<dt>${s.dates.length > 1 ? 'Amount of each payment' : 'Amount'}</dt><dd id="amount">${formatReais(s.amountCents)}</dd>` : '',
    s.dates.length > 0 ? `<dt>Paid on</dt><dd id="dates">${s.dates.map(escapeHtml).join(', ')}</dd>` : '',
    s.mandate ? `<dt>Pix Automático</dt><dd id="mandate">${escapeHtml(mandateTerms(s.mandate))}</dd>` : '',
    s.description ? `<dt>Description</dt><dd>${escapeHtml(s.description)}</dd>` : '',
    '</dl>',
  ].join('')

/** The payer chooses their bank and gives their CPF (and a company's CNPJ). */
export function choosePage(s: PaymentSummary & { csrf: string; banks: { id: number; name: string }[]; error?: string }): string {
  const banks = s.banks.map((b) => `<option value="${b.id}">${escapeHtml(b.name)}</option>`).join('')
  return page(
    'Pay with Pix',
    `${summary(s)}${s.error ? `<p class="error" role="alert">${escapeHtml(s.error)}</p>` : ''}<form method="post"><input type="hidden" name="csrf" value="${escapeHtml(s.csrf)}">
<label>Your bank <select name="connectorId" id="bank">${banks}</select></label>
<label>Your CPF <input type="text" name="cpf" id="cpf" required autocomplete="off" placeholder="000.000.000-00"></label>
<label>CNPJ (a company paying; optional) <input type="text" name="cnpj" id="cnpj" autocomplete="off"></label>
<button type="submit" id="pay">Continue to your bank</button></form>`,
  )
}

/** While the bank and Tributary finish: the page looks again every second. */
export function waitingPage(s: PaymentSummary & { consentUrl: string | null; pixQr?: string | null }): string {
  // A Pix QR top-up has no bank page: the payer pays its copia e cola from any banking app.
  const pix = s.pixQr ? `<p>Pay with Pix copia e cola:</p><p><code id="pix-qr">${escapeHtml(s.pixQr)}</code></p>` : ''
  return page(
    'Processing your payment',
    `${summary(s)}<p id="waiting">Your payment is being processed.</p>${s.consentUrl ? `<p><a id="bank-page" href="${escapeHtml(s.consentUrl)}">Go back to your bank</a></p>` : ''}${pix}`,
    '<meta http-equiv="refresh" content="1">',
  )
}

/** The outcome; the payer is sent back to the application's callback URL when it gave one. */
export function resultPage(s: PaymentSummary & { paid: boolean; reason: string | null; callbackUrl: string | null; retryUrl: string | null }): string {
  const back = s.callbackUrl ? `<p><a id="back" href="${escapeHtml(s.callbackUrl)}">Back to the store</a></p>` : ''
  const head = s.callbackUrl ? `<meta http-equiv="refresh" content="2;url=${escapeHtml(s.callbackUrl)}">` : ''
  return s.paid
    ? page('Payment completed', `${summary(s)}<p id="result" data-outcome="paid">Your payment was completed.</p>${back}`, head)
    : page(
        'Payment not completed',
        `${summary(s)}<p id="result" data-outcome="failed" class="error">${escapeHtml(s.reason ?? 'The payment was not completed.')}</p>${s.retryUrl ? `<p><a id="retry" href="${escapeHtml(s.retryUrl)}">Try again</a></p>` : ''}${back}`,
        head,
      )
}

export function missingPage(): string {
  return page('Payment not found', '<p class="error">This payment link is not valid. Ask the store for a new one.</p>')
}
