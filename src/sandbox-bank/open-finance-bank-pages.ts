import { SANDBOX_PERMISSIONS } from './open-finance-bank.ts'
import { escapeHtml } from '../http/server-page.ts'

// The sandbox institution's pages: plain HTML forms, no script. Every value put in a page is escaped.

function page(title: string, body: string): string {
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="referrer" content="no-referrer"><title>${escapeHtml(title)}</title>`,
    '<style>body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:28rem;padding:0 1rem;color:#1f2937}',
    'h1{font-size:1.3rem;color:#0e7490}label{display:block;margin:.6rem 0}input[type=text],input[type=password]{width:100%;padding:.4rem}',
    'button{margin:.8rem .4rem 0 0;padding:.5rem 1rem}.error{color:#b91c1c}</style></head>',
    `<body><main><p>Sandbox Open Finance Bank</p><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`,
  ].join('')
}

const hidden = (requestId: string, csrf: string) => `<input type="hidden" name="requestId" value="${escapeHtml(requestId)}"><input type="hidden" name="csrf" value="${escapeHtml(csrf)}">`

export function loginPage(requestId: string, csrf: string, error?: string): string {
  return page(
    'Log in to share your data',
    `${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}<form method="post" action="login">${hidden(requestId, csrf)}
<label>User <input type="text" name="user" autocomplete="off" required placeholder="user-ok"></label>
<label>Password <input type="password" name="password" required placeholder="password-ok"></label>
<button type="submit" id="login">Log in</button></form>`,
  )
}

export function consentPage(requestId: string, csrf: string, user: string): string {
  const boxes = Object.entries(SANDBOX_PERMISSIONS)
    .map(([permission, { label }]) => `<label><input type="checkbox" name="permissions" value="${permission}" checked> ${escapeHtml(label)}</label>`)
    .join('\n')
  return page(
    'Choose the data to share',
    `<p>Logged in as <strong>${escapeHtml(user)}</strong>. Tributary asks to read:</p><form method="post" action="decision">${hidden(requestId, csrf)}
${boxes}
<button type="submit" name="decision" value="approve" id="approve">Approve</button>
<button type="submit" name="decision" value="deny" id="deny">Deny</button></form>`,
  )
}

/** After the decision: on to Tributary's callback by a new navigation (not a form redirect, which CSP form-action would judge). */
export function leavingPage(redirect: string): string {
  const url = escapeHtml(redirect)
  return page('Returning to the application', `<meta http-equiv="refresh" content="0;url=${url}"><p><a id="continue" href="${url}">Continue</a></p>`)
}
