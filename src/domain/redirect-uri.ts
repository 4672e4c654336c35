/**
 * Where an application may have the user sent back to after an institution's page
 * (`oauthRedirectUri`, Open Finance). An https URL, or http on a loopback host (development);
 * never with credentials or a fragment. With a connect token, only the URI the token was created
 * with: a browser holding the token cannot pick another destination.
 */
export type RedirectUriCheck = { ok: true; uri: string | null } | { ok: false; reason: string }

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

export function checkRedirectUri(given: string | null | undefined, allowedByToken: string | null | undefined): RedirectUriCheck {
  const uri = given ?? allowedByToken ?? null
  if (uri === null) return { ok: true, uri: null }
  if (allowedByToken && uri !== allowedByToken) return { ok: false, reason: 'it differs from the oauthRedirectUri the connect token was created with' }
  let url: URL
  try {
    url = new URL(uri)
  } catch {
    return { ok: false, reason: 'it is not a URL' }
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) return { ok: false, reason: 'it must be https (http only on localhost)' }
  if (url.username || url.password) return { ok: false, reason: 'it must not carry credentials' }
  if (url.hash) return { ok: false, reason: 'it must not have a fragment' }
  return { ok: true, uri: url.href }
}
