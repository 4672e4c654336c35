/**
 * A user at the sandbox Open Finance institution, with real HTTP and no browser: opens the
 * authorization URL the item gives, logs in, picks the data to share, approves or denies, and
 * follows the way back to Tributary's callback (without following its redirect to the application).
 */
const field = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1] ?? ''

export interface BankVisit {
  /** Tributary's callback URL the institution sent the user to. */
  callbackUrl: string
  /** The callback's answer: 303 to the application's oauthRedirectUri, or a page. */
  callback: Response
}

export async function visitBank(authorizationUrl: string, options: { user: string; decision: 'approve' | 'deny'; permissions?: string[] }): Promise<BankVisit> {
  const base = new URL('.', authorizationUrl)
  const opened = await fetch(authorizationUrl)
  if (opened.status !== 200) throw new Error(`the authorization page answered ${opened.status}: ${await opened.text()}`)
  const login = await opened.text()
  const hidden = { requestId: field(login, 'requestId'), csrf: field(login, 'csrf') }
  const form = (values: Record<string, string | string[]>) => {
    const body = new URLSearchParams()
    for (const [k, v] of Object.entries(values)) for (const one of [v].flat()) body.append(k, one)
    return { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() }
  }
  const consent = await fetch(new URL('login', base), form({ ...hidden, user: options.user, password: 'password-ok' }))
  const consentHtml = await consent.text()
  if (!consentHtml.includes('id="approve"')) throw new Error(`no consent page after login: ${consentHtml}`)
  const permissions = options.permissions ?? ['REGISTRATION_READ', 'ACCOUNTS_READ', 'CREDIT_CARDS_ACCOUNTS_READ', 'INVESTMENTS_READ']
  const leaving = await fetch(new URL('decision', base), form({ ...hidden, decision: options.decision, permissions }))
  const callbackUrl = /id="continue" href="([^"]+)"/.exec(await leaving.text())?.[1]?.replaceAll('&#38;', '&')
  if (!callbackUrl) throw new Error('the institution did not send the user back')
  return { callbackUrl, callback: await fetch(callbackUrl, { redirect: 'manual' }) }
}
