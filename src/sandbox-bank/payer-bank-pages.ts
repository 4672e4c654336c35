import { formatReais } from '../domain/payments/money.ts'
import { PAYER_BANK_SCENARIOS, SCENARIO_LABELS, type PayerBankScenario } from './payer-bank.ts'
import { escapeHtml } from '../http/server-page.ts'

// The payer bank's authorization page: a plain HTML form, no script. Every value put in it is escaped.

function page(title: string, body: string): string {
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="referrer" content="no-referrer"><title>${escapeHtml(title)}</title>`,
    '<style>body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:30rem;padding:0 1rem;color:#1f2937}',
    'h1{font-size:1.3rem;color:#0e7490}dt{font-weight:600}dd{margin:0 0 .5rem}label{display:block;margin:.6rem 0}',
    'button{margin:.8rem .4rem 0 0;padding:.5rem 1rem}.error{color:#b91c1c}</style></head>',
    `<body><main><p>Sandbox Open Finance Bank · Pix</p><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`,
  ].join('')
}

export interface AuthorizationPageData {
  consentId: string
  csrf: string
  status: string
  kind: string
  amountCents: number | null
  recipient: { name: string; taxNumber: string }
  description: string | null
  dates: string[]
  balanceCents: number
  scenario: PayerBankScenario
  awaitingSecondApproval: number
  /** A consent for payments yet to come, which stays in force after it was authorized. */
  standing: boolean
}

/** The payer authorizes (or rejects) the consent; a second approver approves payments waiting for one. */
export function authorizationPage(data: AuthorizationPageData): string {
  const facts = [
    `<dt>To</dt><dd>${escapeHtml(data.recipient.name)} (${escapeHtml(data.recipient.taxNumber)})</dd>`,
    data.amountCents !== null ? `<dt>Amount</dt><dd id="amount">${formatReais(data.amountCents)}</dd>` : '',
    data.description ? `<dt>Description</dt><dd>${escapeHtml(data.description)}</dd>` : '',
    data.dates.length > 0 ? `<dt>Dates</dt><dd>${data.dates.map(escapeHtml).join(', ')}</dd>` : '',
    `<dt>Your balance</dt><dd id="balance">${formatReais(data.balanceCents)}</dd>`,
  ].join('')
  const hidden = `<input type="hidden" name="csrf" value="${escapeHtml(data.csrf)}">`
  if (data.awaitingSecondApproval > 0) {
    return page(
      'A payment waits for a second approver',
      `<dl>${facts}</dl><form method="post" action="${escapeHtml(data.consentId)}/second-approval">${hidden}<button type="submit" id="second-approval">Approve as the second approver</button></form>`,
    )
  }
  const options = PAYER_BANK_SCENARIOS.map((s) => `<option value="${s}"${s === data.scenario ? ' selected' : ''}>${escapeHtml(SCENARIO_LABELS[s])}</option>`).join('')
  if (data.status === 'AUTHORISED' && data.standing) {
    // The payer manages a standing consent at their bank; in the sandbox, what its next payments meet.
    return page(
      'This authorization is in force',
      `<dl>${facts}</dl><p id="answered">Status at the bank: ${escapeHtml(data.status)}.</p><form method="post" action="${escapeHtml(data.consentId)}/scenario">${hidden}
<label>Next payments under this authorization (sandbox) <select name="scenario" id="scenario">${options}</select></label>
<button type="submit" id="change-scenario">Save</button></form>`,
    )
  }
  if (data.status !== 'AWAITING_AUTHORISATION') return page('This payment was answered', `<dl>${facts}</dl><p id="answered">Status at the bank: ${escapeHtml(data.status)}.</p>`)
  return page(
    'Authorize this Pix',
    `<dl>${facts}</dl><form method="post" action="${escapeHtml(data.consentId)}/decision">${hidden}
<label>What the bank does next (sandbox) <select name="scenario" id="scenario">${options}</select></label>
<button type="submit" name="decision" value="approve" id="approve">Authorize</button>
<button type="submit" name="decision" value="reject" id="reject">Reject</button></form>`,
  )
}

export function refusedPage(reason: string): string {
  return page('This payment cannot be authorized', `<p class="error" role="alert">${escapeHtml(reason)}</p>`)
}

export function approvedPage(approved: number): string {
  return page('Approved', `<p id="approved">${approved} payment(s) approved by the second approver. You may close this page.</p>`)
}

/** After the decision: back to Tributary by a new navigation (CSP form-action does not judge it). */
export function leavingPage(redirect: string): string {
  const url = escapeHtml(redirect)
  return page('Returning to the payment page', `<meta http-equiv="refresh" content="0;url=${url}"><p><a id="continue" href="${url}">Continue</a></p>`)
}
