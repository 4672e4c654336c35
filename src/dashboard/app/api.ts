/** The dashboard's calls to its own server (same origin only; the CSP allows nothing else). */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

let csrfToken = ''

/** Kept in memory only: a reload asks the server again (GET /dashboard/api/session). */
export function setCsrfToken(token: string): void {
  csrfToken = token
}

export async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken
  if (body !== undefined) headers['content-type'] = 'application/json'
  const response = await fetch(`/dashboard/api${path}`, { method, headers, credentials: 'same-origin', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) })
  const text = await response.text()
  const parsed = text ? JSON.parse(text) : null
  if (!response.ok) {
    // A session that ended sends the page back to the sign-in.
    if (response.status === 401 && parsed?.codeDescription === 'DASHBOARD_SESSION_MISSING' && location.pathname !== '/dashboard/sign-in') location.assign('/dashboard/sign-in')
    throw new ApiError(response.status, parsed?.codeDescription ?? `HTTP_${response.status}`, parsed?.message ?? response.statusText)
  }
  return parsed as T
}

export const get = <T>(path: string) => call<T>('GET', path)
export const post = <T>(path: string, body?: unknown) => call<T>('POST', path, body)

/** Query string of the defined values. */
export function query(values: Record<string, string | number | undefined | null>): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(values)) if (value !== undefined && value !== null && value !== '') params.set(key, String(value))
  const text = params.toString()
  return text ? `?${text}` : ''
}
