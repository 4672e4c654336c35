import { setTimeout as delay } from 'node:timers/promises'

/**
 * How long a call that starts a consent (createPaymentIntent, createSmartTransferPreauthorization)
 * waits for the engine to get it from the payer's bank, so that its answer carries the `consentUrl`
 * an application redirects the payer to. A bank slower than this leaves the answer without it; the
 * resource's event and a later fetch then carry it.
 */
const CONSENT_WAIT_MS = 10_000
/** How often the wait reads again: the engine's job may run in another process. */
const CONSENT_POLL_MS = 20

/** `first`, or the resource as `read` gives it once `waiting` says no more, or after the wait. */
export async function untilConsentCreated<T>(first: T, read: () => Promise<T | undefined>, waiting: (resource: T) => boolean): Promise<T> {
  const deadline = Date.now() + CONSENT_WAIT_MS
  let current = first
  while (waiting(current) && Date.now() < deadline) {
    await delay(CONSENT_POLL_MS)
    current = (await read()) ?? current
  }
  return current
}
