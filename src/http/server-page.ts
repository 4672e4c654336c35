/**
 * What the server-rendered pages share (the payment page, the sandbox banks' pages): plain HTML
 * forms, no script, every value escaped.
 */

/** Text made safe to place in HTML, as element content or a quoted attribute value. */
export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** Never framed (clickjacking), forms post only to this origin, nothing loaded from elsewhere, never cached. */
export const SERVER_PAGE_HEADERS = {
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'content-type': 'text/html; charset=utf-8',
}
