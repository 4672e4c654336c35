import { checkRedirectUri } from '../domain/redirect-uri.ts'
import { Refusal } from '../engine/refusal.ts'

/** The oauthRedirectUri to keep (null: none), or a 400 saying why the one given is refused. */
export function redirectUriOrRefuse(given: string | null | undefined, allowedByToken: string | null | undefined): string | null {
  const checked = checkRedirectUri(given, allowedByToken)
  if (!checked.ok) throw new Refusal('bad_request', 'OAUTH_REDIRECT_URI_INVALID', `oauthRedirectUri is refused: ${checked.reason}.`)
  return checked.uri
}
